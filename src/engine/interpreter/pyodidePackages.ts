/**
 * Which of Pyodide's optional packages (numpy, pandas, ...) a cell imports, and whether they can
 * be had here. Pyodide ships only its core; the rest are wheels listed in pyodide-lock.json and
 * fetched from its CDN. Offline, or with downloads off, a cell importing them gets a plain
 * ModuleNotFoundError plus a note saying why, instead of a network attempt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockPackage {
  name: string;
  file_name: string;
  imports: string[];
  depends: string[];
}

export class PyodidePackageIndex {
  readonly #byImport = new Map<string, string>();
  readonly #packages = new Map<string, LockPackage>();
  readonly #dirs: string[];

  /** `searchDirs`: where wheels may already sit (Pyodide's own directory, the download cache). */
  constructor(lockFilePath: string, searchDirs: string[]) {
    this.#dirs = searchDirs;
    const lock = JSON.parse(readFileSync(lockFilePath, 'utf8')) as { packages: Record<string, LockPackage> };
    for (const entry of Object.values(lock.packages)) {
      this.#packages.set(entry.name, entry);
      for (const name of entry.imports) this.#byImport.set(name, entry.name);
    }
  }

  /** Package names (with their dependencies) that the code's import statements need. */
  packagesFor(code: string): string[] {
    const wanted = new Set<string>();
    const visit = (name: string): void => {
      if (wanted.has(name)) return;
      const entry = this.#packages.get(name);
      if (!entry) return;
      wanted.add(name);
      for (const dependency of entry.depends) visit(dependency);
    };
    for (const module of importedModules(code)) {
      const name = this.#byImport.get(module);
      if (name) visit(name);
    }
    return [...wanted].sort();
  }

  /** True when every package's wheel is already on disk, so loading needs no network. */
  availableLocally(packages: string[]): boolean {
    return packages.every((name) => {
      const file = this.#packages.get(name)?.file_name;
      return file !== undefined && this.#dirs.some((dir) => existsSync(join(dir, file)));
    });
  }

  /** The top-level module names that map to `packages` (for messages: "numpy", not "numpy-base"). */
  importNamesOf(packages: string[]): string[] {
    return packages.flatMap((name) => this.#packages.get(name)?.imports ?? []);
  }
}

/** Top-level module names from `import a.b, c as d` and `from e.f import g` lines. */
export function importedModules(code: string): string[] {
  const found = new Set<string>();
  for (const line of code.split('\n')) {
    const from = /^\s*from\s+([A-Za-z_]\w*)[\w.]*\s+import\b/.exec(line);
    if (from?.[1]) found.add(from[1]);
    const plain = /^\s*import\s+([^#;]+)/.exec(line);
    if (plain?.[1]) {
      for (const part of plain[1].split(',')) {
        const name = /^\s*([A-Za-z_]\w*)/.exec(part)?.[1];
        if (name) found.add(name);
      }
    }
  }
  return [...found];
}
