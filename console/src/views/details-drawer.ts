import type { RecordingItem } from '../../../src/client/types.js';
import { h, replaceChildren } from '../dom.js';
import { formatCount, formatDuration, formatInstant, formatSize, safeHttpUrl } from '../format.js';
import { external } from './results-table.js';

/** A link whose address is not http(s) (e.g. `javascript:`) is not offered, and says so. */
const NOT_A_WEB_LINK = 'Not shown: the address is not an http(s) link';

/**
 * A side drawer with every field of one recording. A modal `<dialog>`: focus moves into it,
 * stays in it, Escape closes it, and focus goes back to the row that opened it.
 */
export class DetailsDrawer {
  readonly element: HTMLDialogElement;
  private readonly body = h('div', { class: 'drawer-body' });
  private readonly title = h('h2', { id: 'drawer-title' });
  private readonly close = h('button', { type: 'button', class: 'secondary close', 'aria-label': 'Close details' }, 'Close');
  private opener: HTMLElement | null = null;

  constructor() {
    this.element = h('dialog', { class: 'drawer', 'aria-labelledby': 'drawer-title' }, h('div', { class: 'drawer-head' }, this.title, this.close), this.body);
    this.close.addEventListener('click', () => this.element.close());
    // A click on the backdrop (outside the panel) closes too.
    this.element.addEventListener('click', (event) => {
      if (event.target === this.element) this.element.close();
    });
    this.element.addEventListener('close', () => {
      this.opener?.focus();
      this.opener = null;
    });
  }

  open(item: RecordingItem, opener: HTMLElement): void {
    this.opener = opener;
    this.title.textContent = item.topic === '' ? '(no topic)' : item.topic;
    const play = safeHttpUrl(item.playbackUrl);
    const download = safeHttpUrl(item.downloadUrl);
    const rows: [string, Node | string][] = [
      ['Status', item.status],
      ['Host', `${item.hostDisplayName} <${item.hostEmail}>`],
      ['Site', item.siteUrl],
      ['Created', instant(item.createTime)],
      ['Recorded', instant(item.timeRecorded)],
      ['Duration', `${formatDuration(item.durationSeconds)} (${formatCount(item.durationSeconds)} s)`],
      ['Size', `${formatSize(item.sizeBytes)} (${formatCount(item.sizeBytes)} bytes)`],
      ['Format', item.format],
      ['Service type', item.serviceType],
      ['Integration tags', item.integrationTags === undefined || item.integrationTags.length === 0 ? '—' : item.integrationTags.join(', ')],
      ['Recording id', code(item.id)],
      ['Meeting instance id', code(item.meetingId)],
      ['Scheduled meeting id', item.scheduledMeetingId === undefined ? '—' : code(item.scheduledMeetingId)],
      ['Meeting series id', item.meetingSeriesId === undefined ? '—' : code(item.meetingSeriesId)],
      ['Playback', play !== null ? external(play, 'Play', item.topic) : item.playbackUrl === undefined ? '—' : NOT_A_WEB_LINK],
      [
        'Download',
        download !== null
          ? external(download, 'Download', item.topic)
          : item.downloadUrl === undefined
            ? 'Downloading is prevented for this recording'
            : NOT_A_WEB_LINK,
      ],
    ];
    const list = h('dl', { class: 'details' });
    for (const [term, value] of rows) list.append(h('dt', {}, term), h('dd', {}, value));
    replaceChildren(this.body, list);
    this.element.showModal();
    this.close.focus();
  }
}

function instant(iso: string): HTMLElement {
  return h('span', {}, h('time', { datetime: iso }, formatInstant(iso)), h('br'), h('code', { class: 'small' }, iso));
}

function code(text: string): HTMLElement {
  return h('code', { class: 'wrap' }, text);
}
