/**
 * What part a file plays in a repository, from its path alone. Tests, docs, fixtures, examples
 * and build output repeat the words of the code they describe, so for a question about how the
 * code behaves they crowd out the file that implements it (bench/retrieval/README.md: indexing
 * source files only roughly doubled recall@1). A product cannot drop them, so ranking applies a
 * prior instead, and lifts it for a role the question asks about ("the tests for X", "docs on Y").
 */

import { stemTerm } from './codeTokens.ts';

export type FileRole = 'source' | 'test' | 'fixture' | 'docs' | 'changelog' | 'example' | 'benchmark' | 'generated' | 'config';

const TEST_DIRECTORIES = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'testing', '__mocks__', 'unittests', 'integration-tests']);
const FIXTURE_DIRECTORIES = new Set(['fixtures', 'fixture', '__fixtures__', 'testdata', 'test-data', '__snapshots__', 'snapshots', 'mocks']);
const DOC_DIRECTORIES = new Set(['docs', 'doc', 'documentation', 'man', 'wiki']);
const EXAMPLE_DIRECTORIES = new Set(['examples', 'example', 'samples', 'sample', 'demo', 'demos', 'playground', 'playgrounds', 'sandbox']);
const BENCHMARK_DIRECTORIES = new Set(['benchmark', 'benchmarks', 'bench', 'benches', 'perf']);
const GENERATED_DIRECTORIES = new Set(['dist', 'build', 'out', 'vendor', 'third_party', 'third-party', 'node_modules', 'coverage', '.next', 'target']);

const TEST_FILE = /(?:^|[._-])(?:test|tests|spec|specs)\.[^.]+$|^test_.*\.py$|_test\.(?:go|py|rb|exs?|dart)$|(?:Tests?|Spec|IT)\.(?:java|kt|cs|swift|scala)$/;
const DOC_FILE = /\.(?:md|mdx|markdown|rst|adoc|asciidoc|txt|textile|org)$|^(?:readme|license|licence|contributing|authors|notice|security|code_of_conduct)(?:\.[^.]*)?$/i;
/** Release notes name every feature and fix in the project's history, so they match every question. */
const CHANGELOG_FILE = /^(?:changelog|changes|history|news|release[-_ ]?notes|releases|upgrading|migrating)(?:\.[^.]*)?$/i;
const GENERATED_FILE = /\.min\.(?:js|css)$|\.map$|\.(?:lock|snap)$|^(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|composer\.lock|cargo\.lock|gemfile\.lock|poetry\.lock)$/i;
/** Configuration, including build and tool configuration written as code (`karma.conf.js`, `Gruntfile.js`). */
const CONFIG_FILE = /^\.|\.(?:json|ya?ml|toml|ini|cfg|conf|properties|xml|plist|editorconfig)$|[.-](?:conf|config|rc)\.[cm]?[jt]s$|^(?:makefile|dockerfile|procfile|gemfile|rakefile|jenkinsfile|vagrantfile|gruntfile\.[cm]?[jt]s|gulpfile\.[cm]?[jt]s|setup\.py|conftest\.py)$/i;
const CONFIG_DIRECTORIES = new Set(['.github', '.circleci', '.gitlab', '.vscode', '.idea', '.devcontainer', '.husky']);

export function fileRole(path: string): FileRole {
  const segments = path.replace(/\\/g, '/').split('/');
  const name = segments[segments.length - 1] ?? '';
  const directories = segments.slice(0, -1).map((segment) => segment.toLowerCase());
  if (directories.some((segment) => GENERATED_DIRECTORIES.has(segment)) || GENERATED_FILE.test(name)) return 'generated';
  if (directories.some((segment) => FIXTURE_DIRECTORIES.has(segment))) return 'fixture';
  if (directories.some((segment) => TEST_DIRECTORIES.has(segment)) || TEST_FILE.test(name)) return 'test';
  if (directories.some((segment) => BENCHMARK_DIRECTORIES.has(segment))) return 'benchmark';
  if (directories.some((segment) => EXAMPLE_DIRECTORIES.has(segment))) return 'example';
  if (CHANGELOG_FILE.test(name)) return 'changelog';
  if (directories.some((segment) => DOC_DIRECTORIES.has(segment)) || DOC_FILE.test(name)) return 'docs';
  if (directories.some((segment) => CONFIG_DIRECTORIES.has(segment)) || CONFIG_FILE.test(name)) return 'config';
  return 'source';
}

/**
 * Multipliers for a question about behaviour. Fixed a priori, not fitted to any benchmark:
 * supporting material keeps a bit over half its score, so a strongly matching test still beats a
 * weakly matching source file.
 */
const BEHAVIOUR_PRIOR: Record<FileRole, number> = {
  source: 1,
  config: 0.8,
  docs: 0.6,
  changelog: 0.45,
  example: 0.6,
  test: 0.55,
  benchmark: 0.55,
  fixture: 0.45,
  generated: 0.45,
};

/** Words that show the question is about the supporting material itself. */
const ROLE_WORDS: Record<Exclude<FileRole, 'source'>, readonly string[]> = {
  test: ['test', 'tests', 'testing', 'spec', 'specs', 'unittest', 'e2e'],
  fixture: ['fixture', 'fixtures', 'testdata', 'snapshot', 'snapshots', 'mock', 'mocks'],
  docs: ['doc', 'docs', 'documentation', 'readme', 'guide', 'documented', 'license'],
  changelog: ['changelog', 'releases'],
  example: ['example', 'examples', 'sample', 'samples', 'demo', 'playground'],
  benchmark: ['benchmark', 'benchmarks', 'bench', 'perf', 'performance'],
  generated: ['dist', 'build', 'bundle', 'minified', 'lockfile', 'generated'],
  config: ['config', 'configuration', 'settings', 'package', 'dependency', 'dependencies', 'tsconfig', 'eslint', 'ci'],
};

export type RolePrior = (role: FileRole) => number;

/** The prior for a question, given its lower-cased terms; `enabled: false` weighs every role 1. */
export function rolePriorFor(queryTerms: readonly string[], enabled = true): RolePrior {
  if (!enabled) return () => 1;
  const terms = new Set(queryTerms);
  const lifted = new Set<FileRole>();
  for (const [role, words] of Object.entries(ROLE_WORDS) as Array<[FileRole, readonly string[]]>) {
    // Question terms come stemmed (codeTokens.ts), so the role words are too.
    if (words.some((word) => terms.has(stemTerm(word)))) lifted.add(role);
  }
  return (role) => (lifted.has(role) ? 1 : BEHAVIOUR_PRIOR[role]);
}
