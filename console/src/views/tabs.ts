import type { RecordingStatus } from '../../../src/domain/constants.js';
import { h } from '../dom.js';

const LABELS: Record<RecordingStatus, string> = { available: 'Available', deleted: 'Recycle bin', purged: 'Purged' };

/**
 * The status tabs (WAI-ARIA tabs pattern): one tab stop, arrow keys, Home and End move between
 * tabs and select them; the panel is the results region below.
 */
export class StatusTabs {
  readonly element: HTMLElement;
  private readonly tabs: Map<RecordingStatus, HTMLButtonElement>;

  constructor(
    statuses: readonly RecordingStatus[],
    panelId: string,
    private readonly onSelect: (status: RecordingStatus) => void,
  ) {
    this.tabs = new Map(
      statuses.map((status) => [
        status,
        h('button', { type: 'button', role: 'tab', id: `tab-${status}`, 'aria-controls': panelId, onclick: () => this.onSelect(status) }, LABELS[status]),
      ]),
    );
    this.element = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Recording status' }, ...this.tabs.values());
    this.element.addEventListener('keydown', (event) => this.onKey(event));
  }

  show(status: RecordingStatus): void {
    for (const [s, tab] of this.tabs) {
      tab.setAttribute('aria-selected', String(s === status));
      tab.tabIndex = s === status ? 0 : -1;
    }
  }

  private onKey(event: KeyboardEvent): void {
    const order = [...this.tabs.keys()];
    const current = order.findIndex((s) => this.tabs.get(s) === document.activeElement);
    if (current < 0) return;
    let next: number;
    if (event.key === 'ArrowRight') next = (current + 1) % order.length;
    else if (event.key === 'ArrowLeft') next = (current - 1 + order.length) % order.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = order.length - 1;
    else return;
    event.preventDefault();
    const status = order[next] as RecordingStatus;
    this.tabs.get(status)?.focus();
    this.onSelect(status);
  }
}
