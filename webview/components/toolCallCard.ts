/**
 * A tool-calls step: one collapsed card per call, with the arguments the model sent and the result
 * it got back. Everything here is model or tool output, so it is shown as text, never as markup.
 */
import type { RunStep, ToolCall } from '../../src/protocol/chatModel.ts';
import { custom, h } from '../dom.ts';
import { renderCodeInterpreterCall } from './codeInterpreterCard.ts';

const MAX_SHOWN = 20_000;

/** `openCards` remembers which cards the user expanded, across redraws. */
export function renderToolStep(step: RunStep, openCards: Set<string>): HTMLElement {
  const row = h('div', { className: `row tool-step status-${step.status}`, attrs: { 'data-step-id': step.id } });
  const calls = step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [];
  if (calls.length === 0) row.appendChild(h('div', { className: 'tool-pending' }, 'Preparing a tool call…'));
  for (const call of calls) row.appendChild(call.type === 'code_interpreter' ? renderCodeInterpreterCall(call, step, openCards) : renderCall(call, step, openCards));
  return row;
}

function renderCall(call: ToolCall, step: RunStep, openCards: Set<string>): HTMLElement {
  const { name, input, output } = describe(call);
  const key = call.id || `${step.id}:${name}`;
  const card = custom('vscode-collapsible', { className: 'tool-call', attrs: { heading: `Tool: ${name}`, description: statusOf(step, output) } });
  (card as HTMLElement & { open: boolean }).open = openCards.has(key);
  card.addEventListener('vsc-collapsible-toggle', (event) => {
    const open = (event as CustomEvent<{ open: boolean }>).detail.open;
    if (open) openCards.add(key);
    else openCards.delete(key);
  });
  card.appendChild(h('div', { className: 'tool-section' },
    h('div', { className: 'tool-label' }, 'Arguments'),
    h('pre', { className: 'tool-text', attrs: { 'aria-label': `Arguments of ${name}` } }, clip(pretty(input)))));
  if (output !== null) {
    card.appendChild(h('div', { className: 'tool-section' },
      h('div', { className: 'tool-label' }, 'Result'),
      h('pre', { className: 'tool-text', attrs: { 'aria-label': `Result of ${name}` } }, clip(output))));
  }
  return card;
}

function describe(call: ToolCall): { name: string; input: string; output: string | null } {
  if (call.type === 'function') return { name: call.function.name || 'function', input: call.function.arguments, output: call.function.output };
  if (call.type === 'code_interpreter') {
    const logs = call.code_interpreter.outputs.map((output) => (output.type === 'logs' ? output.logs : `[image ${output.image.file_id}]`)).join('\n');
    return { name: 'code_interpreter', input: call.code_interpreter.input, output: logs.length > 0 ? logs : null };
  }
  const results = call.file_search.results;
  return { name: 'file_search', input: '', output: results ? results.map((result) => `${result.file_name} (score ${result.score.toFixed(2)})`).join('\n') : null };
}

function statusOf(step: RunStep, output: string | null): string {
  if (step.status === 'in_progress') return output === null ? 'running' : 'finishing';
  return step.status;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)` : text;
}
