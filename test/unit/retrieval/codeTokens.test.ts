import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeTerms, pathTermText, stemTerm } from '../../../src/engine/retrieval/codeTokens.ts';
import { planQuery } from '../../../src/engine/retrieval/queryTerms.ts';

/** Terms come out stemmed (stemTerm); expectations are written as words and stemmed the same way. */
const stems = (words: string[]): string[] => words.map(stemTerm);

describe('code-aware terms', () => {
  test('camelCase and PascalCase split into parts, and the whole identifier is kept', () => {
    assert.deepEqual(codeTerms('getUserName'), stems(['get', 'user', 'name', 'getusername']));
    assert.deepEqual(codeTerms('XMLHttpRequest'), stems(['xml', 'http', 'request', 'xmlhttprequest']));
  });

  test('snake_case, kebab-case and camelCase of the same name share every term', () => {
    const snake = codeTerms('get_user_name');
    const kebab = codeTerms('get-user-name');
    assert.deepEqual(snake, stems(['get', 'user', 'name', 'getusername']));
    assert.deepEqual(kebab, snake);
    assert.deepEqual(codeTerms('getUserName'), snake);
  });

  test('letters and digits split, digits kept as terms of two or more', () => {
    assert.deepEqual(codeTerms('base64Encode'), stems(['base', '64', 'encode', 'base64encode']));
    assert.deepEqual(codeTerms('status 1223'), stems(['status', '1223']));
  });

  test('a hyphen joins only word runs that start with a letter', () => {
    assert.deepEqual(codeTerms('content-type'), stems(['content', 'type', 'contenttype']));
    assert.deepEqual(codeTerms('x-1 a-b'), stems(['ab']));
  });

  test('lower-cases, drops single letters and punctuation, handles other scripts', () => {
    assert.deepEqual(codeTerms('res.jsonp(app.use) i = j'), ['res', 'jsonp', 'app', 'use']);
    assert.deepEqual(codeTerms('Ünïcode_wörd'), stems(['ünïcode', 'wörd', 'ünïcodewörd']));
  });

  test('inflections meet their stems, conservatively', () => {
    assert.equal(stemTerm('errors'), stemTerm('error'));
    assert.equal(stemTerm('handling'), stemTerm('handle'));
    assert.equal(stemTerm('handled'), stemTerm('handles'));
    assert.equal(stemTerm('adding'), stemTerm('add'));
    assert.equal(stemTerm('entries'), 'entry');
    assert.equal(stemTerm('status'), 'status');
    assert.notEqual(stemTerm('parser'), stemTerm('parse'));
    assert.deepEqual(codeTerms('setHeaders'), stems(['set', 'header', 'setheader']));
  });

  test('paths split like identifiers', () => {
    assert.equal(pathTermText('lib/router/indexRoute.js'), stems(['lib', 'router', 'index', 'route', 'indexroute', 'js']).join(' '));
  });

  test('queries and documents share the tokenizer: stop words go, identifiers stay whole and split', () => {
    const frequencies: Record<string, number> = Object.fromEntries(Object.entries({ router: 3, skip: 1, option: 2, request: 9, getusername: 1, get: 5, user: 4, name: 6 }).map(([word, n]) => [stemTerm(word), n]));
    const plan = planQuery('Why does the router skip OPTIONS requests in getUserName?', {
      totalDocuments: 100,
      documentFrequency: (term) => frequencies[term] ?? 0,
    });
    assert.ok(plan.dropped.some((entry) => entry.term === 'the' && entry.reason === 'stop_word'));
    assert.deepEqual([...plan.terms].sort(), stems(['get', 'getusername', 'name', 'option', 'request', 'router', 'skip', 'user']).sort());
    assert.ok(plan.terms[0] === 'skip' || plan.terms[0] === stemTerm('getusername'), 'rarest first');
  });
});
