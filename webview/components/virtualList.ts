/**
 * A list that keeps only the rows near the viewport in the DOM, so a thread of thousands of
 * messages opens as fast as a short one and streaming never re-lays-out the whole history. Row
 * heights are measured after drawing and remembered; rows never drawn use an estimate. While the
 * view is pinned to the bottom (the default, and whenever the user scrolls back down) growth
 * keeps the newest text in sight; otherwise the row at the top of the viewport stays put.
 */

export interface RowRenderer<Row> {
  /** Draws a row; `previous` is the element drawn for the same key before, to reuse if possible. */
  render(row: Row, previous: HTMLElement | undefined): HTMLElement;
  /** A number that changes whenever the row's content changes. */
  version(row: Row): number;
}

interface Mounted {
  element: HTMLElement;
  version: number;
}

const OVERSCAN_PX = 600;
const ESTIMATE_PX = 96;
const PIN_SLACK_PX = 48;

export class VirtualList<Row extends { key: string }> {
  readonly viewport: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly renderer: RowRenderer<Row>;
  private rows: Row[] = [];
  private readonly heights = new Map<string, number>();
  private readonly mounted = new Map<string, Mounted>();
  private offsets: number[] = [0];
  private isPinned = true;
  private frame = 0;
  private lastWidth = 0;
  private ignoreScroll = false;
  private readonly rowObserver: ResizeObserver;
  /** Set when the width changed: every mounted row may have rewrapped. */
  private remeasureAll = false;

  constructor(viewport: HTMLElement, renderer: RowRenderer<Row>) {
    this.viewport = viewport;
    this.renderer = renderer;
    this.canvas = document.createElement('div');
    this.canvas.className = 'virtual-canvas';
    viewport.appendChild(this.canvas);
    viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => this.onResize()).observe(viewport);
    // Rows also change size on their own: web components render their shadow DOM a moment after
    // they are attached, and tool cards open and close. Those rows are measured again next frame.
    this.rowObserver = new ResizeObserver((entries) => this.onRowsResized(entries));
  }

  setRows(rows: Row[]): void {
    this.rows = rows;
    this.schedule();
  }

  /** Redraws changed rows on the next frame (deltas arrive far faster than frames). */
  schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  /** Draws now (first paint of a thread, tests). */
  flush(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.update();
  }

  scrollToBottom(): void {
    this.isPinned = true;
    this.schedule();
  }

  get pinned(): boolean {
    return this.isPinned;
  }

  /** Keys of the rows currently in the DOM (for tests and the bench). */
  mountedKeys(): string[] {
    return [...this.mounted.keys()];
  }

  private onScroll(): void {
    if (this.ignoreScroll) {
      this.ignoreScroll = false;
      return;
    }
    const { scrollTop, scrollHeight, clientHeight } = this.viewport;
    this.isPinned = scrollHeight - scrollTop - clientHeight <= PIN_SLACK_PX;
    this.schedule();
  }

  private onRowsResized(entries: ResizeObserverEntry[]): void {
    let changed = false;
    for (const entry of entries) {
      const element = entry.target as HTMLElement;
      const key = element.dataset['key'];
      if (key === undefined || this.mounted.get(key)?.element !== element) continue;
      const measured = element.offsetHeight;
      if (this.heights.get(key) !== measured) {
        this.heights.set(key, measured);
        changed = true;
      }
    }
    if (changed) this.schedule();
  }

  private onResize(): void {
    const width = this.viewport.clientWidth;
    // A new width rewraps every row: measured heights are only estimates now.
    if (width !== this.lastWidth) {
      this.lastWidth = width;
      for (const key of this.heights.keys()) if (!this.mounted.has(key)) this.heights.delete(key);
      this.remeasureAll = true;
    }
    this.schedule();
  }

  private computeOffsets(): void {
    const offsets = new Array<number>(this.rows.length + 1);
    offsets[0] = 0;
    for (let index = 0; index < this.rows.length; index++) offsets[index + 1] = offsets[index]! + (this.heights.get(this.rows[index]!.key) ?? ESTIMATE_PX);
    this.offsets = offsets;
  }

  private total(): number {
    return this.offsets[this.rows.length] ?? 0;
  }

  /** The first row whose bottom edge is below `y`. */
  private indexAt(y: number): number {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.offsets[middle + 1]! <= y) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private update(): void {
    const anchor = this.isPinned ? undefined : this.topAnchor();
    // Measuring can change heights, which changes what is visible: settle in a few passes. Only rows
    // drawn in this update are measured, so a frame costs one layout, not one per mounted row.
    for (let pass = 0; pass < 4; pass++) {
      this.computeOffsets();
      if (!this.measure(this.drawVisible())) break;
    }
    this.computeOffsets();
    this.positionMounted();
    this.canvas.style.height = `${this.total()}px`;
    this.restoreScroll(anchor);
  }

  /** The row at the top of the viewport and how far into it the view starts. */
  private topAnchor(): { key: string; delta: number } | undefined {
    const index = this.indexAt(this.viewport.scrollTop);
    const row = this.rows[index];
    return row ? { key: row.key, delta: this.viewport.scrollTop - this.offsets[index]! } : undefined;
  }

  private restoreScroll(anchor: { key: string; delta: number } | undefined): void {
    const maxTop = Math.max(0, this.total() - this.viewport.clientHeight);
    let target: number;
    if (this.isPinned) {
      target = maxTop;
    } else if (anchor) {
      const index = this.rows.findIndex((row) => row.key === anchor.key);
      if (index < 0) return;
      target = Math.min(maxTop, this.offsets[index]! + anchor.delta);
    } else {
      return;
    }
    if (Math.abs(this.viewport.scrollTop - target) >= 1) {
      this.ignoreScroll = true;
      this.viewport.scrollTop = target;
    }
  }

  /** Mounts, redraws and removes rows for the current scroll position; returns the rows drawn. */
  private drawVisible(): HTMLElement[] {
    const height = this.viewport.clientHeight;
    const top = this.isPinned ? Math.max(0, this.total() - height) : this.viewport.scrollTop;
    const first = this.indexAt(Math.max(0, top - OVERSCAN_PX));
    const last = Math.min(this.rows.length - 1, this.indexAt(top + height + OVERSCAN_PX));
    const wanted = new Set<string>();
    const drawn: HTMLElement[] = [];
    let previous: HTMLElement | null = null;
    for (let index = first; index <= last; index++) {
      const row = this.rows[index]!;
      wanted.add(row.key);
      const version = this.renderer.version(row);
      const existing = this.mounted.get(row.key);
      let element: HTMLElement;
      if (!existing || existing.version !== version) {
        element = this.renderer.render(row, existing?.element);
        element.dataset['key'] = row.key;
        if (existing && element !== existing.element) {
          this.rowObserver.unobserve(existing.element);
          existing.element.replaceWith(element);
        }
        if (element !== existing?.element) this.rowObserver.observe(element);
        this.mounted.set(row.key, { element, version });
        drawn.push(element);
      } else {
        element = existing.element;
      }
      // Keep DOM order equal to visual order: screen readers and Tab follow the DOM.
      if (element.previousElementSibling !== previous || element.parentElement !== this.canvas) {
        const wasConnected = element.isConnected;
        if (previous) previous.after(element);
        else this.canvas.prepend(element);
        if (!wasConnected && existing?.version === version) drawn.push(element);
      }
      element.style.transform = `translateY(${this.offsets[index]!}px)`;
      previous = element;
    }
    for (const [key, { element }] of this.mounted) {
      if (!wanted.has(key)) {
        this.rowObserver.unobserve(element);
        element.remove();
        this.mounted.delete(key);
      }
    }
    return drawn;
  }

  /** Records the heights of `elements` (all mounted rows after a width change); true when one changed. */
  private measure(elements: HTMLElement[]): boolean {
    const targets = this.remeasureAll ? [...this.mounted.values()].map((entry) => entry.element) : elements;
    this.remeasureAll = false;
    let changed = false;
    for (const element of targets) {
      const key = element.dataset['key']!;
      const measured = element.offsetHeight;
      if (this.heights.get(key) !== measured) {
        this.heights.set(key, measured);
        changed = true;
      }
    }
    return changed;
  }

  private positionMounted(): void {
    for (let index = 0; index < this.rows.length; index++) {
      const entry = this.mounted.get(this.rows[index]!.key);
      if (entry) entry.element.style.transform = `translateY(${this.offsets[index]!}px)`;
    }
  }
}
