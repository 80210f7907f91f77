/**
 * A tiny element builder. Text always goes in as text nodes (never as HTML), so nothing passed
 * here can become markup; the only HTML the panel inserts is sanitized markdown (markdown.ts).
 */

type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  /** Attributes set with setAttribute (aria-*, role, data-*, title…). */
  attrs?: Record<string, string | undefined>;
  /** Event listeners. */
  on?: Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyOptions(element, options);
  append(element, children);
  return element;
}

/** Custom elements (vscode-button, vscode-collapsible…) by tag name. */
export function custom(tag: string, options: ElementOptions = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  applyOptions(element, options);
  append(element, children);
  return element;
}

function applyOptions(element: HTMLElement, options: ElementOptions): void {
  if (options.className) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const [type, listener] of Object.entries(options.on ?? {})) {
    if (listener) element.addEventListener(type, listener);
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}
