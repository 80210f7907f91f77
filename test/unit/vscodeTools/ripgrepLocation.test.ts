import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ripgrepCandidates, vscodeRipgrepPath } from '../../../src/vscode/tools/ripgrepLocation.ts';

describe("VS Code's own ripgrep", () => {
  test('desktop (asar-unpacked), server and universal-package layouts are all looked at', () => {
    const candidates = ripgrepCandidates('/app', 'linux', 'x64');
    assert.ok(candidates.includes('/app/node_modules.asar.unpacked/@vscode/ripgrep/bin/rg'));
    assert.ok(candidates.includes('/app/node_modules/@vscode/ripgrep/bin/rg'));
    assert.ok(candidates.includes('/app/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg'));
    assert.ok(ripgrepCandidates('C:\\app', 'win32', 'x64').every((candidate) => candidate.endsWith('rg.exe')));
  });

  test('the first executable candidate wins; a non-executable file or no appRoot gives none', () => {
    const root = mkdtempSync(join(tmpdir(), 'tw-rg-'));
    try {
      assert.equal(vscodeRipgrepPath(undefined), undefined);
      assert.equal(vscodeRipgrepPath(root), undefined);
      const binary = join(root, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'rg.exe' : 'rg');
      mkdirSync(join(binary, '..'), { recursive: true });
      writeFileSync(binary, '#!/bin/sh\n');
      chmodSync(binary, 0o644);
      if (process.platform !== 'win32') assert.equal(vscodeRipgrepPath(root), undefined);
      chmodSync(binary, 0o755);
      assert.equal(vscodeRipgrepPath(root), binary);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
