/**
 * Reasoning items on the Responses API as a reasoning model sends them and checks them when a
 * client keeps nothing on the server (`store: false`): the encrypted content comes back only when
 * `include` asks for it, other models refuse that include, and a reasoning item sent back must
 * carry content this server issued and be followed by the item it led to. The refusals use the
 * real API's status codes and wording, so a client that gets the rules wrong fails here too.
 */
type Json = Record<string, unknown>;

export const ENCRYPTED_REASONING = 'reasoning.encrypted_content';

export interface ReasoningRefusal {
  status: number;
  error: { message: string; type: string; code: string | null; param: string | null };
}

function refusal(status: number, message: string, param: string | null): ReasoningRefusal {
  return { status, error: { message, type: 'invalid_request_error', code: null, param } };
}

export function asksForEncryptedReasoning(body: Json): boolean {
  return Array.isArray(body.include) && body.include.includes(ENCRYPTED_REASONING);
}

/** The reasoning item a reply starts with; its encrypted content is remembered in `issued`. */
export function reasoningItem(responseId: string, body: Json, issued: Set<string>): Json {
  const id = `rs_${responseId.slice(5)}`;
  const item: Json = { id, type: 'reasoning', summary: [] };
  if (asksForEncryptedReasoning(body)) {
    const encrypted = Buffer.from(`scripted reasoning of ${responseId}`).toString('base64');
    issued.add(encrypted);
    item.encrypted_content = encrypted;
  }
  return item;
}

/** A model that does not reason refuses to be asked for encrypted reasoning. */
export function includeRefusal(body: Json, modelReasons: boolean): ReasoningRefusal | undefined {
  return asksForEncryptedReasoning(body) && !modelReasons ? refusal(400, 'Encrypted content is not supported with this model.', 'include') : undefined;
}

/** Why reasoning items in the input are refused (checked before any reply is used), or undefined. */
export function inputRefusal(body: Json, issued: ReadonlySet<string>): ReasoningRefusal | undefined {
  const input = Array.isArray(body.input) ? (body.input as Json[]) : [];
  for (const [index, item] of input.entries()) {
    if (item?.type !== 'reasoning') continue;
    const id = String(item.id);
    const encrypted = item.encrypted_content;
    if (typeof encrypted !== 'string') {
      return refusal(404, `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`, 'input');
    }
    if (!issued.has(encrypted)) return refusal(400, `The encrypted content for item ${id} could not be verified.`, null);
    const next = input[index + 1];
    if (!next || next.type === 'reasoning') return refusal(400, `Item '${id}' of type 'reasoning' was provided without its required following item.`, 'input');
  }
  return undefined;
}
