/**
 * Reads one string field out of a JSON object that is still arriving, so code_interpreter's
 * `input` can stream as the model writes `{"code": "…"}`. Returns what can be decoded so far
 * (an escape cut in half waits for its next fragment), or null before the field starts.
 */
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function partialStringField(json: string, field: string): string | null {
  const opening = new RegExp(`"${field}"\\s*:\\s*"`).exec(json);
  if (!opening) return null;
  let out = '';
  for (let i = opening.index + opening[0].length; i < json.length; i++) {
    const char = json[i]!;
    if (char === '"') return out;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = json[i + 1];
    if (next === undefined) return out;
    if (next === 'u') {
      const hex = json.slice(i + 2, i + 6);
      if (hex.length < 4) return out;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += SIMPLE_ESCAPES[next] ?? next;
    i += 1;
  }
  return out;
}
