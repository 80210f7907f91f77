/**
 * A code_interpreter call in the step view: the Python the model wrote, highlighted (it streams in
 * as the model writes it), then what it printed. Charts it drew are shown in the answer; the card
 * says so. Open by default, since the code and its output are what the user wants to check; the
 * user's closing it is remembered across redraws.
 */
import type { RunStep, ToolCall } from '../../src/protocol/chatModel.ts';
import { custom, h } from '../dom.ts';
import { renderMarkdown } from '../markdown.ts';

type CodeInterpreterCall = Extract<ToolCall, { type: 'code_interpreter' }>;

const MAX_SHOWN = 20_000;

export function renderCodeInterpreterCall(call: CodeInterpreterCall, step: RunStep, openCards: Set<string>): HTMLElement {
  const closedKey = `closed:${call.id || `${step.id}:code_interpreter`}`;
  const { input, outputs } = call.code_interpreter;
  const logs = outputs.flatMap((output) => (output.type === 'logs' ? [output.logs] : [])).join('\n');
  const images = outputs.filter((output) => output.type === 'image').length;
  const card = custom('vscode-collapsible', {
    className: 'tool-call code-interpreter',
    attrs: { heading: 'Code interpreter', description: statusOf(step, outputs.length > 0) },
  });
  (card as HTMLElement & { open: boolean }).open = !openCards.has(closedKey);
  card.addEventListener('vsc-collapsible-toggle', (event) => {
    if ((event as CustomEvent<{ open: boolean }>).detail.open) openCards.delete(closedKey);
    else openCards.add(closedKey);
  });

  const code = h('div', { className: 'markdown ci-code', attrs: { 'aria-label': 'Python code the assistant ran' } });
  if (input.length > 0) code.innerHTML = renderMarkdown(fenced(clip(input), 'python'));
  else code.append(h('div', { className: 'tool-pending' }, 'Writing code…'));
  card.appendChild(h('div', { className: 'tool-section' }, h('div', { className: 'tool-label' }, 'Python'), code));

  if (logs.length > 0 || step.status !== 'in_progress') {
    card.appendChild(h('div', { className: 'tool-section' },
      h('div', { className: 'tool-label' }, 'Output'),
      h('pre', { className: 'tool-text ci-logs', attrs: { 'aria-label': 'Output of the code' } }, logs.length > 0 ? clip(logs) : '(no output)')));
  }
  if (images > 0) {
    card.appendChild(h('div', { className: 'tool-section ci-images' }, images === 1 ? 'Drew 1 image, shown in the answer.' : `Drew ${images} images, shown in the answer.`));
  }
  return card;
}

function statusOf(step: RunStep, hasOutput: boolean): string {
  if (step.status === 'in_progress') return hasOutput ? 'finishing' : 'running';
  return step.status;
}

/** A fence longer than any backtick run inside the code, so the code cannot close it. */
function fenced(code: string, language: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${code}${code.endsWith('\n') ? '' : '\n'}${fence}\n`;
}

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)` : text;
}
