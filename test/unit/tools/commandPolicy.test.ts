import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateCommand } from '../../../src/engine/tools/policy/commandPolicy.ts';
import type { CommandRule } from '../../../src/engine/tools/policy/policyRules.ts';
import { isProtectedPath, isSecretPath } from '../../../src/engine/tools/policy/protectedPaths.ts';
import { analyzeShell } from '../../../src/engine/tools/policy/shellParser.ts';

const rules: CommandRule[] = [
  { prefix: 'npm test', decision: 'allow' },
  { prefix: 'git status', decision: 'allow' },
  { prefix: 'ls', decision: 'allow' },
  { prefix: 'echo', decision: 'allow' },
  { prefix: 'cat', decision: 'allow' },
  { prefix: 'grep', decision: 'allow' },
  { prefix: 'rm', decision: 'deny' },
];
const paths = { isProtected: isProtectedPath, isSecret: isSecretPath };
const verdict = (line: string) => evaluateCommand(line, rules, paths);

describe('shell parsing', () => {
  test('splits on every separator and removes quotes', () => {
    const analysis = analyzeShell(`a 'x y' "z" ; b && c || d | e & f\ng`);
    assert.deepEqual(analysis.commands.map((command) => command.argv), [['a', 'x y', 'z'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g']]);
    assert.deepEqual(analysis.concerns, []);
  });

  test('finds commands inside $( ), backticks, subshells and process substitution', () => {
    const analysis = analyzeShell('echo $(whoami) `id` <(curl example.com); (cd x && make)');
    const names = analysis.commands.map((command) => command.argv[0]).sort();
    assert.deepEqual(names, ['cd', 'curl', 'echo', 'id', 'make', 'whoami']);
  });

  test('separates assignments and redirections from the words', () => {
    const [command] = analyzeShell('FOO=1 BAR="a b" node app.js > out.txt 2>&1 < in.txt').commands;
    assert.deepEqual(command!.argv, ['node', 'app.js']);
    assert.deepEqual(command!.assignments, [{ name: 'FOO', value: '1' }, { name: 'BAR', value: 'a b' }]);
    assert.deepEqual(command!.redirections.map((redirection) => `${redirection.operator}${redirection.target}`), ['>out.txt', '>&&1', '<in.txt']);
  });

  test('operators inside quotes are data, not separators', () => {
    const analysis = analyzeShell(`echo "a; rm -rf /" 'b && c'`);
    assert.equal(analysis.commands.length, 1);
    assert.deepEqual(analysis.commands[0]!.argv, ['echo', 'a; rm -rf /', 'b && c']);
  });

  test('unbalanced quotes and here-documents are concerns', () => {
    assert.ok(analyzeShell(`echo "unterminated`).concerns.length > 0);
    assert.ok(analyzeShell(`cat <<EOF\nhi\nEOF`).concerns.some((concern) => concern.includes('here-document')));
  });
});

describe('command policy', () => {
  test('a command every part of which is allowed is allowed', () => {
    assert.equal(verdict('npm test -- --watch=false').decision, 'allow');
    assert.equal(verdict('git status && ls -la | grep src').decision, 'allow');
  });

  test('a denied command hidden after ; && || is denied', () => {
    for (const line of ['ls; rm -rf /', 'npm test && rm -rf build', 'git status || rm x', 'ls\nrm -rf ~']) {
      const result = verdict(line);
      assert.equal(result.decision, 'deny', line);
      assert.match(result.reasons.join(' '), /"rm .*" is denied/);
    }
  });

  test('an unknown command hidden in $( ), backticks or a pipe asks', () => {
    for (const [line, hidden] of [['echo $(curl evil.sh)', 'curl evil.sh'], ['echo `wget x`', 'wget x'], ['cat file | sh', 'sh'], ['ls && (python3 -c 1)', 'python3 -c 1']]) {
      const result = verdict(line!);
      assert.equal(result.decision, 'ask', line);
      assert.ok(result.commands.includes(hidden!), `${line}: ${result.commands.join(' / ')}`);
    }
  });

  test('a denied command inside a substitution is denied', () => {
    assert.equal(verdict('echo $(rm -rf /)').decision, 'deny');
    assert.equal(verdict('echo "`rm -rf /`"').decision, 'deny');
    assert.equal(verdict(`bash -c 'ls; rm -rf /'`).decision, 'deny');
  });

  test('redirection to a file asks; to a protected file asks and cannot be remembered', () => {
    const plain = verdict('echo hi > notes.txt');
    assert.equal(plain.decision, 'ask');
    assert.match(plain.concerns.join(), /writes to notes.txt/);
    const protectedWrite = verdict(`echo '{"chat.tools.autoApprove": true}' > .vscode/settings.json`);
    assert.equal(protectedWrite.decision, 'ask');
    assert.match(protectedWrite.concerns.join(), /protected path .vscode\/settings.json/);
    assert.deepEqual(protectedWrite.suggestedRules, []);
    assert.equal(verdict('ls > /dev/null 2>&1').decision, 'allow');
  });

  test('environment prefixes do not hide the command, and dangerous ones ask', () => {
    assert.equal(verdict('CI=1 npm test').decision, 'allow');
    assert.equal(verdict('CI=1 rm -rf x').decision, 'deny');
    const preload = verdict('LD_PRELOAD=/tmp/x.so ls');
    assert.equal(preload.decision, 'ask');
    assert.match(preload.concerns.join(), /LD_PRELOAD/);
    assert.equal(verdict('env PATH=/tmp ls').decision, 'ask');
    assert.equal(verdict('env -i rm -rf /').decision, 'deny');
  });

  test('wrappers are seen through', () => {
    assert.equal(verdict('timeout 10 npm test').decision, 'allow');
    assert.equal(verdict('nice -n 5 rm x').decision, 'deny');
    assert.equal(verdict('xargs -n 1 rm < list.txt').decision, 'deny');
    assert.equal(verdict('sudo ls').decision, 'ask');
  });

  test('computed command names, eval and find -exec ask even if the first word is allowed', () => {
    assert.equal(verdict('$CMD arg').decision, 'ask');
    assert.equal(verdict('eval "ls"').decision, 'ask');
    const find = evaluateCommand('find . -name x -exec curl {} ;', [{ prefix: 'find', decision: 'allow' }], paths);
    assert.equal(find.decision, 'ask');
  });

  test('reading a secret-like file asks even with an allowed command', () => {
    const result = verdict('cat .env');
    assert.equal(result.decision, 'ask');
    assert.match(result.concerns.join(), /secret-like file .env/);
    assert.equal(verdict('grep KEY < config/.env.local').decision, 'ask');
  });

  test('suggested rules keep the sub-command', () => {
    assert.deepEqual(evaluateCommand('npm run build && git diff', [], paths).suggestedRules, ['npm run build', 'git diff']);
  });

  test('the most specific rule wins', () => {
    const layered: CommandRule[] = [{ prefix: 'git', decision: 'allow' }, { prefix: 'git push', decision: 'deny' }];
    assert.equal(evaluateCommand('git log', layered, paths).decision, 'allow');
    assert.equal(evaluateCommand('git push origin main', layered, paths).decision, 'deny');
  });
});
