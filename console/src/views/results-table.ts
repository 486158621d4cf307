import type { RecordingItem } from '../../../src/client/types.js';
import { h } from '../dom.js';
import { formatCount, formatDuration, formatInstant, formatSize, safeHttpUrl } from '../format.js';

export interface TableOptions {
  readonly caption: string;
  /** Rows get checkboxes only when the token may act on the recycle bin. */
  readonly selectable: boolean;
  readonly selected: ReadonlySet<string>;
  readonly onToggle: (id: string, on: boolean) => void;
  readonly onToggleAll: (on: boolean) => void;
  readonly onOpen: (item: RecordingItem, trigger: HTMLElement) => void;
}

const COLUMNS = ['Topic', 'Host', 'Created', 'Recorded', 'Duration', 'Size', 'Format', 'Service type', 'Links'] as const;

/**
 * The recordings table. Explicit ARIA roles keep its table semantics at narrow widths, where CSS
 * lays rows out as cards (browsers drop the implicit roles of a table shown as blocks).
 */
export function resultsTable(items: readonly RecordingItem[], options: TableOptions): HTMLTableElement {
  const headRow = h('tr', { role: 'row' });
  if (options.selectable) {
    const all = h('input', { type: 'checkbox', 'aria-label': 'Select all recordings on this page' });
    all.checked = items.length > 0 && items.every((i) => options.selected.has(i.id));
    all.indeterminate = !all.checked && items.some((i) => options.selected.has(i.id));
    all.addEventListener('change', () => options.onToggleAll(all.checked));
    headRow.append(h('th', { scope: 'col', role: 'columnheader', class: 'col-select' }, all));
  }
  for (const name of COLUMNS) headRow.append(h('th', { scope: 'col', role: 'columnheader' }, name));

  const body = h('tbody', { role: 'rowgroup' });
  for (const item of items) body.append(row(item, options));
  return h(
    'table',
    { class: 'results', role: 'table' },
    h('caption', { class: 'visually-hidden' }, options.caption),
    h('thead', { role: 'rowgroup' }, headRow),
    body,
  );
}

function row(item: RecordingItem, options: TableOptions): HTMLTableRowElement {
  const tr = h('tr', { role: 'row', 'data-id': item.id });
  if (options.selected.has(item.id)) tr.classList.add('selected');
  if (options.selectable) {
    const box = h('input', { type: 'checkbox', 'aria-label': `Select ${item.topic}` });
    box.checked = options.selected.has(item.id);
    box.addEventListener('change', () => options.onToggle(item.id, box.checked));
    tr.append(h('td', { role: 'cell', class: 'col-select' }, box));
  }
  const open = h('button', { type: 'button', class: 'link-button', 'aria-haspopup': 'dialog' }, item.topic === '' ? '(no topic)' : item.topic);
  open.addEventListener('click', () => options.onOpen(item, open));
  const play = safeHttpUrl(item.playbackUrl);
  const download = safeHttpUrl(item.downloadUrl);
  tr.append(
    h('th', { scope: 'row', role: 'rowheader', class: 'col-topic' }, open),
    cell('Host', h('span', { class: 'host' }, h('span', {}, item.hostDisplayName), h('span', { class: 'muted small' }, item.hostEmail))),
    cell('Created', time(item.createTime)),
    cell('Recorded', time(item.timeRecorded)),
    cell('Duration', formatDuration(item.durationSeconds)),
    cell('Size', h('span', { title: `${formatCount(item.sizeBytes)} bytes` }, formatSize(item.sizeBytes))),
    cell('Format', item.format),
    cell('Service type', item.serviceType),
    cell(
      'Links',
      h(
        'span',
        { class: 'links' },
        play === null ? null : external(play, 'Play', item.topic),
        download === null ? h('span', { class: 'muted small' }, 'no download') : external(download, 'Download', item.topic),
      ),
    ),
  );
  return tr;
}

function cell(label: string, ...content: (Node | string | null)[]): HTMLTableCellElement {
  return h('td', { role: 'cell', 'data-label': label }, ...content);
}

/** Date and time as two unbreakable halves, so a narrow column wraps between them and nowhere else. */
function time(iso: string): HTMLTimeElement {
  const text = formatInstant(iso);
  const at = text.indexOf(' ');
  if (at < 0) return h('time', { datetime: iso, title: iso }, text);
  return h('time', { datetime: iso, title: iso }, h('span', {}, text.slice(0, at)), ' ', h('span', {}, text.slice(at + 1)));
}

/** Opens in a new tab without handing it this page (`noopener`) or its URL (`noreferrer`). */
export function external(href: string, label: string, topic: string): HTMLAnchorElement {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', 'aria-label': `${label} ${topic} (opens in a new tab)` }, label);
}
