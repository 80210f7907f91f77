/**
 * The keyword index's tokenizer, used on documents and queries alike so both sides agree.
 * Code names a concept in many spellings (`getUserName`, `get_user_name`, `get-user-name`,
 * "get user name"), so every identifier yields its parts (camelCase, PascalCase, snake_case,
 * kebab-case and letter/digit runs split) and, when it has several, the whole identifier with its
 * separators removed. Everything is lower-cased. Single letters are dropped: in code they are
 * loop counters, in prose articles.
 */

/** Parts longer than this are hashes, base64 or minified blobs: noise for a keyword index. */
const MAX_TERM_LENGTH = 48;

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const JOINER = 4; // `_` and `$` inside identifiers
const HYPHEN = 5;

const ASCII_CLASS = new Uint8Array(128);
for (let code = 97; code <= 122; code++) ASCII_CLASS[code] = LOWER;
for (let code = 65; code <= 90; code++) ASCII_CLASS[code] = UPPER;
for (let code = 48; code <= 57; code++) ASCII_CLASS[code] = DIGIT;
ASCII_CLASS[95] = JOINER;
ASCII_CLASS[36] = JOINER;
ASCII_CLASS[45] = HYPHEN;

const LETTER_OR_NUMBER = /[\p{L}\p{N}\p{M}]/u;

function charClass(code: number, text: string, index: number): number {
  if (code < 128) return ASCII_CLASS[code]!;
  // Other scripts have no case split worth making here; their letters behave as lower-case.
  if (code >= 0xd800 && code <= 0xdbff) return LETTER_OR_NUMBER.test(text.slice(index, index + 2)) ? LOWER : OTHER;
  return LETTER_OR_NUMBER.test(text[index]!) ? LOWER : OTHER;
}

/**
 * One pass over the text. A word is a run of letters, digits, `_` and `$`; a hyphen joins two
 * runs when a letter follows it (`content-type`, not `x-1`). Inside a word, parts break at
 * joiners, at lower-to-upper (`getUser`), before the last capital of a run followed by a
 * lower-case letter (`XMLHttp`) and between letters and digits.
 */
export function codeTerms(text: string, out: string[] = []): string[] {
  const length = text.length;
  let index = 0;
  while (index < length) {
    let cls = charClass(text.charCodeAt(index), text, index);
    if (cls === OTHER || cls === HYPHEN) {
      index++;
      continue;
    }
    const wordStart = index;
    let segments = 0;
    let partStart = -1;
    let previous = OTHER;
    for (;;) {
      if (cls === HYPHEN) {
        // Joins only when a letter follows; otherwise the word ends here.
        const next = index + 1 < length ? charClass(text.charCodeAt(index + 1), text, index + 1) : OTHER;
        if (next !== LOWER && next !== UPPER) break;
      }
      if (cls === JOINER || cls === HYPHEN) {
        if (partStart >= 0) {
          pushPart(text, partStart, index, out);
          segments++;
          partStart = -1;
        }
      } else if (partStart < 0) {
        partStart = index;
      } else if ((cls === UPPER && previous === LOWER) || (cls === DIGIT) !== (previous === DIGIT)) {
        pushPart(text, partStart, index, out);
        segments++;
        partStart = index;
      } else if (cls === LOWER && previous === UPPER && index - partStart > 1) {
        pushPart(text, partStart, index - 1, out);
        segments++;
        partStart = index - 1;
      }
      previous = cls;
      index += cls === LOWER && text.charCodeAt(index) >= 0xd800 && text.charCodeAt(index) <= 0xdbff ? 2 : 1;
      if (index >= length) break;
      cls = charClass(text.charCodeAt(index), text, index);
      if (cls === OTHER) break;
    }
    if (partStart >= 0) {
      pushPart(text, partStart, index, out);
      segments++;
    }
    if (segments > 1) {
      const whole = text.slice(wordStart, index).replace(/[_$-]+/g, '').toLowerCase();
      if (whole.length >= 2 && whole.length <= MAX_TERM_LENGTH) {
        out.push(stemTerm(whole));
      }
    }
  }
  return out;
}

function pushPart(text: string, start: number, end: number, out: string[]): void {
  const length = end - start;
  if (length < 2 || length > MAX_TERM_LENGTH) return;
  out.push(stemTerm(text.slice(start, end).toLowerCase()));
}

const VOWEL = /[aeiouy]/;

function hasVowel(stem: string): boolean {
  return VOWEL.test(stem);
}

/**
 * Inflection off, so "errors", "handling" and "handled" meet "error" and "handle" in code:
 * plural -s/-es/-ies, -ing and -ed, a doubled final consonant, then a final silent -e, for
 * ASCII words only. Conservative on purpose (no derivational suffixes): "parser" and "parse" stay
 * apart. Documents and questions go through the same function, so the stems need not be words.
 */
export function stemTerm(term: string): string {
  const length = term.length;
  if (length < 4 || term.charCodeAt(length - 1) > 122 || term.charCodeAt(length - 1) < 97) return term;
  let stem = term;
  if (stem.endsWith('ies') && length > 4) stem = `${stem.slice(0, -3)}y`;
  else if (stem.endsWith('sses') || stem.endsWith('shes') || stem.endsWith('ches') || stem.endsWith('xes') || stem.endsWith('zes')) stem = stem.slice(0, -2);
  else if (stem.endsWith('s') && !stem.endsWith('ss') && !stem.endsWith('us') && !stem.endsWith('is')) stem = stem.slice(0, -1);
  let stripped = false;
  if (stem.endsWith('ing') && stem.length > 5 && hasVowel(stem.slice(0, -3))) {
    stem = stem.slice(0, -3);
    stripped = true;
  } else if (stem.endsWith('ed') && stem.length > 4 && hasVowel(stem.slice(0, -2))) {
    stem = stem.slice(0, -2);
    stripped = true;
  }
  if (stripped) {
    const last = stem.charCodeAt(stem.length - 1);
    // "running" → "run", but "adding" → "add" like "add" itself.
    if (stem.length > 3 && last === stem.charCodeAt(stem.length - 2) && !'lsz'.includes(stem[stem.length - 1]!) && !VOWEL.test(stem[stem.length - 1]!)) stem = stem.slice(0, -1);
  }
  if (stem.length > 4 && stem.endsWith('e') && !stem.endsWith('ee')) stem = stem.slice(0, -1);
  return stem;
}

/** Terms joined by spaces: the form stored in the full-text index. */
export function codeTermText(text: string): string {
  return codeTerms(text).join(' ');
}

/** Terms of a file path: every directory and the file name split like identifiers. */
export function pathTermText(path: string): string {
  return codeTerms(path.replace(/\\/g, '/')).join(' ');
}
