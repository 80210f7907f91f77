/**
 * From a question to the terms worth looking up. Questions arrive in prose ("Why does the
 * router skip OPTIONS requests?") and sometimes at issue length, and an inverted index pays for
 * every posting of every term it looks up: BM25 scores each chunk that holds any of them. So:
 * code-aware terms; English function words dropped; for long questions, only the terms the
 * question leans on (repeated, then longer) are even looked up; terms the index has never seen
 * dropped; terms in most chunks dropped (their BM25 weight is nil anyway); then the rarest terms
 * kept while their postings fit a budget, at most MAX_QUERY_TERMS of them.
 */
import { codeTerms, stemTerm } from './codeTokens.ts';

export const MAX_QUERY_TERMS = 24;
/** Terms whose frequency is looked up at all (each look-up reads part of a posting list). */
export const MAX_CANDIDATE_TERMS = 32;
/**
 * Postings scored per question. Terms are kept rarest first while their postings fit (the rarest
 * one always is): common terms weigh least in BM25 and cost most to score. A few thousand chunks
 * of scoring is a few milliseconds; this bounds the worst question on a large index.
 */
export const MAX_QUERY_POSTINGS = 6_000;
/** A term in more than this share of all chunks is dropped when rarer terms remain. */
const COMMON_SHARE = 0.5;

/**
 * English function words that are rarely identifiers. Words that double as common method names
 * (get, set, all, each, some, every, has, is, then, next, find) stay: `req.is` and `.all()` are
 * real questions.
 */
const STOP_WORDS = new Set(`
a an the and or but nor not no so if else than too very can could would should will shall may might must
are was were be been being am does did doing had having
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those there here what which who whom whose when where why how both
also again ever
of in on at by for with about against into through during to from
as until while because via per
please thanks thank hi hello
`.trim().split(/\s+/).map(stemTerm));

export interface QueryPlan {
  /** Terms looked up, rarest first. */
  terms: string[];
  /** Every term the question yielded, before pruning (role words are read from these). */
  questionTerms: string[];
  /** Terms left out, and why. */
  dropped: Array<{ term: string; reason: 'stop_word' | 'unknown' | 'common' | 'cap' | 'postings' }>;
}

export interface TermStatistics {
  /** Chunks containing the term (may be an estimate for common terms). */
  documentFrequency(term: string): number;
  totalDocuments: number;
}

export function planQuery(question: string, statistics: TermStatistics, maxTerms = MAX_QUERY_TERMS, maxPostings = MAX_QUERY_POSTINGS): QueryPlan {
  const questionTerms = codeTerms(question);
  const dropped: QueryPlan['dropped'] = [];
  const occurrences = new Map<string, number>();
  for (const term of questionTerms) {
    if (STOP_WORDS.has(term)) {
      if (!occurrences.has(term)) dropped.push({ term, reason: 'stop_word' });
      occurrences.set(term, -1);
      continue;
    }
    occurrences.set(term, (occurrences.get(term) ?? 0) + 1);
  }
  // Long questions: the terms they repeat, then the longer (rarer-looking) ones, are looked up.
  const wanted = [...occurrences].filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
    .map(([term]) => term);
  for (const term of wanted.slice(MAX_CANDIDATE_TERMS)) dropped.push({ term, reason: 'cap' });

  const candidates: Array<{ term: string; frequency: number }> = [];
  for (const term of wanted.slice(0, MAX_CANDIDATE_TERMS)) {
    const frequency = statistics.documentFrequency(term);
    if (frequency === 0) dropped.push({ term, reason: 'unknown' });
    else candidates.push({ term, frequency });
  }
  candidates.sort((a, b) => a.frequency - b.frequency);
  const commonLimit = statistics.totalDocuments * COMMON_SHARE;
  const rare = candidates.filter((candidate) => candidate.frequency <= commonLimit);
  // A question made only of common words still gets answered with them.
  const usable = rare.length > 0 ? rare : candidates;
  for (const candidate of candidates) if (!usable.includes(candidate)) dropped.push({ term: candidate.term, reason: 'common' });

  const terms: string[] = [];
  let postings = 0;
  for (const candidate of usable) {
    if (terms.length >= maxTerms) dropped.push({ term: candidate.term, reason: 'cap' });
    else if (terms.length > 0 && postings + candidate.frequency > maxPostings) dropped.push({ term: candidate.term, reason: 'postings' });
    else {
      terms.push(candidate.term);
      postings += candidate.frequency;
    }
  }
  return { terms, questionTerms, dropped };
}
