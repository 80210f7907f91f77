import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stemTerm } from '../../../src/engine/retrieval/codeTokens.ts';
import { MAX_CANDIDATE_TERMS, MAX_QUERY_POSTINGS, MAX_QUERY_TERMS, planQuery } from '../../../src/engine/retrieval/queryTerms.ts';

function statistics(frequencies: Record<string, number>, totalDocuments: number) {
  const looked: string[] = [];
  return {
    looked,
    stats: {
      totalDocuments,
      documentFrequency: (term: string) => {
        looked.push(term);
        return frequencies[term] ?? 0;
      },
    },
  };
}

describe('query term pruning', () => {
  test('terms unknown to the index are dropped', () => {
    const { stats } = statistics({ [stemTerm('cache')]: 4 }, 100);
    const plan = planQuery('cache invalidation', stats);
    assert.deepEqual(plan.terms, [stemTerm('cache')]);
    assert.deepEqual(plan.dropped.map((entry) => [entry.term, entry.reason]), [['invalidation', 'unknown']]);
  });

  test('terms in most chunks are dropped while rarer ones remain, kept when nothing else is left', () => {
    const { stats } = statistics({ request: 90, retry: 5 }, 100);
    assert.deepEqual(planQuery('request retry', stats).terms, ['retry']);
    assert.deepEqual(planQuery('request', stats).terms, ['request']);
  });

  test('the commonest terms are left out once the postings budget is spent, the rarest always kept', () => {
    const total = 1_000_000;
    const { stats } = statistics({ alpha: MAX_QUERY_POSTINGS - 10, beta: 20, gamma: 200_000 }, total);
    const plan = planQuery('alpha beta gamma', stats);
    assert.deepEqual(plan.terms, ['beta']);
    assert.ok(plan.dropped.some((entry) => entry.term === 'alpha' && entry.reason === 'postings'));
    const lonely = planQuery('gamma', stats);
    assert.deepEqual(lonely.terms, ['gamma']);
  });

  test('an issue-length question looks up at most MAX_CANDIDATE_TERMS terms and keeps at most MAX_QUERY_TERMS', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}k`);
    const frequencies = Object.fromEntries(words.map((word, i) => [word, 1 + i]));
    const { stats, looked } = statistics(frequencies, 10_000);
    // The question leans on "wordaak": it says it three times.
    const plan = planQuery(`${words.join(' ')} wordaak wordaak`, stats);
    assert.ok(looked.length <= MAX_CANDIDATE_TERMS, `looked up ${looked.length}`);
    assert.ok(plan.terms.length <= MAX_QUERY_TERMS);
    assert.ok(plan.terms.includes('wordaak'));
  });
});
