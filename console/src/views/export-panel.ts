import type { ExportProgress } from '../csv-export.js';
import { h, replaceChildren } from '../dom.js';
import { isAbort, problemFrom } from '../errors.js';
import { formatCount } from '../format.js';
import { problemView } from './problem.js';

export type ExportTask = (signal: AbortSignal, onProgress: (p: ExportProgress) => void) => Promise<{ parts: string[]; rows: number }>;

/**
 * The CSV export's progress: a progress bar (windows of at most 30 days done), the row count, and
 * Cancel, which aborts the request in flight. When done, the file is offered for download.
 */
export class ExportPanel {
  readonly element: HTMLElement;
  private readonly content = h('div', { class: 'export-content' });
  private controller: AbortController | null = null;
  private fileUrl: string | null = null;

  constructor(private readonly onDismiss: () => void) {
    this.element = h('section', { class: 'export-panel', 'aria-label': 'CSV export', hidden: true }, this.content);
  }

  get running(): boolean {
    return this.controller !== null;
  }

  /** Stops an export in flight (sign-out). */
  cancel(): void {
    this.controller?.abort();
  }

  async run(task: ExportTask, fileName: string, description: string): Promise<void> {
    if (this.controller !== null) return;
    const controller = new AbortController();
    this.controller = controller;
    this.forgetFile();
    const bar = h('progress', { id: 'export-progress', max: 1, 'aria-label': 'Export progress' });
    bar.removeAttribute('value'); // indeterminate until the first page
    const text = h('p', { class: 'export-text', 'aria-live': 'polite' }, 'Starting…');
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => controller.abort() }, 'Cancel export');
    replaceChildren(this.content, h('h2', { class: 'export-title' }, 'Exporting CSV'), h('p', { class: 'muted' }, description), bar, text, cancel);
    this.element.hidden = false;
    cancel.focus();
    try {
      const { parts, rows } = await task(controller.signal, (p) => {
        bar.max = p.windows;
        bar.value = p.windowsDone;
        text.textContent = `${formatCount(p.rows)} recordings so far · ${p.windowsDone} of ${p.windows} ${p.windows === 1 ? 'window' : 'windows'} of up to 30 days done`;
      });
      this.fileUrl = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
      const link = h('a', { href: this.fileUrl, download: fileName, class: 'button-like' }, `Save ${fileName}`);
      replaceChildren(
        this.content,
        h('h2', { class: 'export-title' }, 'Export finished'),
        h('p', { role: 'status' }, `Exported ${formatCount(rows)} recordings.`),
        link,
        this.dismissButton(),
      );
      link.click();
    } catch (error) {
      const cancelled = controller.signal.aborted && (isAbort(error) || error === controller.signal.reason);
      replaceChildren(
        this.content,
        cancelled
          ? h('p', { role: 'status', class: 'export-title' }, 'Export cancelled. Nothing was saved.')
          : h('div', { role: 'alert' }, problemView('Export failed', problemFrom(error))),
        this.dismissButton(),
      );
    } finally {
      this.controller = null;
    }
  }

  private dismissButton(): HTMLButtonElement {
    return h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          this.element.hidden = true;
          this.onDismiss();
        },
      },
      'Dismiss',
    );
  }

  private forgetFile(): void {
    if (this.fileUrl !== null) URL.revokeObjectURL(this.fileUrl);
    this.fileUrl = null;
  }
}
