/**
 * A code_interpreter call in the step view: the Python the model wrote, highlighted (it streams in
 * as the model writes it), then what it printed. Charts it drew are shown in the answer; the card
 * says so. Open by default, since the code and its output are what the user wants to check; the
 * user's closing it is remembered across redraws.
 *
 * The card element is kept per call and updated in place: a fresh `vscode-collapsible` has no
 * height until its shadow DOM renders, and a tall card collapsing to nothing for a frame on every
 * streamed delta would make the conversation jump.
 */
import type { RunStep, ToolCall } from '../../src/protocol/chatModel.ts';
import { custom, h } from '../dom.ts';
import { renderMarkdown } from '../markdown.ts';

type CodeInterpreterCall = Extract<ToolCall, { type: 'code_interpreter' }>;

const MAX_SHOWN = 20_000;
/** Cards kept for reuse per message list; older ones are simply drawn afresh. */
const MAX_KEPT = 100;

interface Card {
  element: HTMLElement;
  code: HTMLElement;
  output: HTMLElement;
  logs: HTMLElement;
  images: HTMLElement;
  shown: { input: string | null; logs: string | null; images: number; outputShown: boolean };
}

/** Per message list (its `openCards` set), the cards by call. */
const kept = new WeakMap<Set<string>, Map<string, Card>>();

export function renderCodeInterpreterCall(call: CodeInterpreterCall, step: RunStep, openCards: Set<string>): HTMLElement {
  const key = call.id || `${step.id}:code_interpreter`;
  const card = cardFor(key, openCards);
  const { input, outputs } = call.code_interpreter;
  const logs = outputs.flatMap((output) => (output.type === 'logs' ? [output.logs] : [])).join('\n');
  const images = outputs.filter((output) => output.type === 'image').length;
  card.element.setAttribute('description', statusOf(step, outputs.length > 0));

  if (card.shown.input !== input) {
    card.shown.input = input;
    if (input.length > 0) card.code.innerHTML = renderMarkdown(fenced(clip(input), 'python'));
    else card.code.replaceChildren(h('div', { className: 'tool-pending' }, 'Writing code…'));
  }
  const outputShown = logs.length > 0 || step.status !== 'in_progress';
  if (card.shown.outputShown !== outputShown) {
    card.shown.outputShown = outputShown;
    card.output.hidden = !outputShown;
  }
  if (card.shown.logs !== logs) {
    card.shown.logs = logs;
    card.logs.textContent = logs.length > 0 ? clip(logs) : '(no output)';
  }
  if (card.shown.images !== images) {
    card.shown.images = images;
    card.images.hidden = images === 0;
    card.images.textContent = images === 1 ? 'Drew 1 image, shown in the answer.' : `Drew ${images} images, shown in the answer.`;
  }
  return card.element;
}

function cardFor(key: string, openCards: Set<string>): Card {
  let cards = kept.get(openCards);
  if (!cards) {
    cards = new Map();
    kept.set(openCards, cards);
  }
  const existing = cards.get(key);
  if (existing) return existing;

  const closedKey = `closed:${key}`;
  const element = custom('vscode-collapsible', { className: 'tool-call code-interpreter', attrs: { heading: 'Code interpreter' } });
  (element as HTMLElement & { open: boolean }).open = !openCards.has(closedKey);
  element.addEventListener('vsc-collapsible-toggle', (event) => {
    if ((event as CustomEvent<{ open: boolean }>).detail.open) openCards.delete(closedKey);
    else openCards.add(closedKey);
  });
  const code = h('div', { className: 'markdown ci-code', attrs: { 'aria-label': 'Python code the assistant ran' } });
  const logs = h('pre', { className: 'tool-text ci-logs', attrs: { 'aria-label': 'Output of the code' } });
  const output = h('div', { className: 'tool-section' }, h('div', { className: 'tool-label' }, 'Output'), logs);
  const images = h('div', { className: 'tool-section ci-images' });
  images.hidden = true;
  element.append(h('div', { className: 'tool-section' }, h('div', { className: 'tool-label' }, 'Python'), code), output, images);
  const card: Card = { element, code, output, logs, images, shown: { input: null, logs: null, images: 0, outputShown: true } };
  cards.set(key, card);
  if (cards.size > MAX_KEPT) cards.delete(cards.keys().next().value!);
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
