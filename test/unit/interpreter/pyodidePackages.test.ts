import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importedModules, PyodidePackageIndex } from '../../../src/engine/interpreter/pyodidePackages.ts';

const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const lockFile = join(pyodideDir, 'pyodide-lock.json');

test('import statements are read the way Python reads them', () => {
  const code = ['import os, numpy.linalg as la', 'from pandas.io import json', '  import csv  # indented', '# import sklearn', 'x = "import scipy"', 'from . import local'].join('\n');
  assert.deepEqual(importedModules(code).sort(), ['csv', 'numpy', 'os', 'pandas']);
});

test('pandas brings its dependencies; stdlib imports need no package', () => {
  const index = new PyodidePackageIndex(lockFile, [pyodideDir]);
  const needed = index.packagesFor('import pandas as pd\nimport csv, json');
  assert.ok(needed.includes('pandas') && needed.includes('numpy'), needed.join(','));
  assert.deepEqual(index.packagesFor('import csv, statistics, zlib'), []);
  assert.deepEqual(index.importNamesOf(['numpy']), ['numpy']);
});

test('wheels count as available only when present on disk', () => {
  const cache = mkdtempSync(join(tmpdir(), 'tw-wheel-cache-'));
  try {
    const index = new PyodidePackageIndex(lockFile, [pyodideDir, cache]);
    const six = index.packagesFor('import six');
    assert.deepEqual(six, ['six']);
    assert.equal(index.availableLocally(six), false);
    const { packages } = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages: Record<string, { file_name: string }> };
    writeFileSync(join(cache, packages.six!.file_name), 'wheel');
    assert.equal(index.availableLocally(six), true);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
