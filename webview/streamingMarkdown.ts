/**
 * Markdown for a message that is still growing. Re-rendering the whole message on every frame costs
 * time in proportion to its length (a 2,000-token answer takes longer than a frame to parse,
 * sanitize and lay out), so the text is cut into top-level blocks at blank lines outside code
 * fences, each block keeps its own element, and only blocks whose text changed (in practice the
 * last one) are rendered again. A message that finished while on screen keeps its blocks (one more
 * whole render would cost the frame the stream just saved); drawn again later, it is rendered whole,
 * so constructs that span blocks (loose lists, reference links) end up exactly as markdown-it says.
 */
import { renderMarkdown } from './markdown.ts';

interface Block {
  source: string;
  element: HTMLElement;
}

const blocksOf = new WeakMap<HTMLElement, Block[]>();

/** Updates `body` to show `source`, touching only the blocks that changed. */
export function renderStreamingMarkdown(body: HTMLElement, source: string): void {
  let blocks = blocksOf.get(body);
  if (!blocks) {
    body.replaceChildren();
    blocks = [];
    blocksOf.set(body, blocks);
  }
  const sources = splitBlocks(source);
  for (const [index, text] of sources.entries()) {
    const existing = blocks[index];
    if (existing?.source === text) continue;
    const element = existing?.element ?? document.createElement('div');
    element.className = 'md-block';
    element.innerHTML = renderMarkdown(text);
    if (!existing) body.appendChild(element);
    blocks[index] = { source: text, element };
  }
  for (const extra of blocks.splice(sources.length)) extra.element.remove();
}

export function isStreamingBody(body: HTMLElement): boolean {
  return blocksOf.has(body);
}

/** Renders `source` whole, leaving streaming mode (the element's blocks are forgotten). */
export function renderWholeMarkdown(body: HTMLElement, source: string): void {
  blocksOf.delete(body);
  body.innerHTML = renderMarkdown(source);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Top-level blocks: split at blank lines, except inside fenced code and before an indented line
 * (which continues a list item or an indented block).
 */
export function splitBlocks(source: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let blankLines = 0;
  for (const line of source.split('\n')) {
    if (fence !== null) {
      current.push(line);
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && line.trim() === close[1]) fence = null;
      continue;
    }
    if (line.trim() === '') {
      blankLines++;
      continue;
    }
    if (blankLines > 0) {
      if (/^[ \t]/.test(line) && current.length > 0) {
        for (; blankLines > 0; blankLines--) current.push('');
      } else if (current.length > 0) {
        blocks.push(current.join('\n'));
        current = [];
      }
      blankLines = 0;
    }
    const open = FENCE.exec(line);
    if (open) fence = open[1]!;
    current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}
