import { AuthenticationError } from '../../src/client/errors.js';
import type { RetryEvent } from '../../src/client/http-transport.js';
import { retryMessage } from './retry-message.js';
import type { RecvaultClient } from '../../src/client/recvault-client.js';
import type { CallerProfile, RecordingItem, RecordingPage, SiteListEntry } from '../../src/client/types.js';
import type { RecordingStatus } from '../../src/domain/constants.js';
import { exportCsv, exportFileName } from './csv-export.js';
import { timeZoneChoices } from './dates.js';
import { h, replaceChildren } from './dom.js';
import { isAbort, problemFrom, type Problem } from './errors.js';
import { formatCount, formatInstant } from './format.js';
import { fetchPage, PageTrail } from './page-fetch.js';
import { listRequest, readViewState, writeViewState, type ViewState } from './view-state.js';
import { ConfirmDialog } from './views/confirm-dialog.js';
import { DetailsDrawer } from './views/details-drawer.js';
import { ExportPanel } from './views/export-panel.js';
import { FiltersForm } from './views/filters.js';
import { headerView } from './views/header.js';
import { problemView } from './views/problem.js';
import { resultsTable } from './views/results-table.js';
import { StatusTabs } from './views/tabs.js';
import { recycleActions, type RecycleAction } from './recycle-actions.js';

/** A signed-in console: the SDK client, who the token is, its sites and the server's clock. */
export interface ConsoleSession {
  readonly client: RecvaultClient;
  readonly me: CallerProfile;
  readonly sites: readonly SiteListEntry[];
  readonly browserZone: string;
  readonly now: () => number;
  /** Back to sign-in, forgetting the token; with the problem when the API stopped accepting it. */
  readonly signOut: (problem?: Problem | null) => void;
}

/** The recordings page: filters and tabs from the URL, one page of results, actions and export. */
export class RecordingsView {
  readonly element: HTMLElement;
  private state: ViewState;
  private page: RecordingPage | null = null;
  private readonly selected = new Set<string>();
  private readonly trail = new PageTrail();
  private loading: AbortController | null = null;
  private readonly filters: FiltersForm;
  private readonly tabs: StatusTabs;
  private readonly drawer = new DetailsDrawer();
  private readonly confirm = new ConfirmDialog();
  private readonly exportPanel: ExportPanel;
  private readonly statusLine = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  private readonly alert = h('div', { class: 'alert-region', role: 'alert' });
  private readonly notices = h('div', { class: 'notices', role: 'status' });
  private readonly results = h('section', { id: 'results', class: 'results-region', role: 'tabpanel', 'aria-live': 'off' });
  private readonly actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions on selected recordings' });
  private readonly exportButton = h('button', { type: 'button', class: 'secondary', onclick: () => void this.export() }, 'Export CSV');
  private readonly previous = h('button', { type: 'button', class: 'secondary', onclick: () => this.turn(-1) }, '← Previous');
  private readonly next = h('button', { type: 'button', class: 'secondary', onclick: () => this.turn(1) }, 'Next →');
  // Focus lands here when the pager button that had it turns disabled (first or last page).
  private readonly pageNumber = h('span', { class: 'page-number', tabindex: '-1' });
  private readonly onPopState = () => this.navigate(readViewState(location.search).state, { push: false });

  constructor(private readonly session: ConsoleSession) {
    const { me, sites } = session;
    this.state = readViewState(location.search).state;
    const statuses: RecordingStatus[] = me.role === 'complianceOfficer' ? ['available', 'deleted', 'purged'] : ['available', 'deleted'];
    this.filters = new FiltersForm(
      { sites, zones: timeZoneChoices(session.browserZone), defaultZone: session.browserZone, now: session.now },
      (state) => this.navigate(state, { push: true }),
    );
    this.tabs = new StatusTabs(statuses, 'results', (status) => this.navigate({ ...this.state, status }, { push: true }));
    this.exportPanel = new ExportPanel(() => this.exportButton.focus());
    const main = h(
      'main',
      { id: 'main', class: 'console' },
      h('h1', { class: 'visually-hidden' }, 'Recordings'),
      this.filters.element,
      this.notices,
      this.tabs.element,
      h('div', { class: 'toolbar' }, this.actions, this.exportButton),
      this.exportPanel.element,
      this.statusLine,
      this.alert,
      this.results,
      h('nav', { class: 'pager', 'aria-label': 'Pages' }, this.previous, this.pageNumber, this.next),
    );
    this.element = h('div', { class: 'app' }, headerView(me, sites, () => session.signOut()), main, this.drawer.element, this.confirm.element);
  }

  start(): void {
    window.addEventListener('popstate', this.onPopState);
    const { ignored } = readViewState(location.search);
    this.navigate(this.state, { push: false, ignored });
  }

  dispose(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.loading?.abort();
    this.exportPanel.cancel();
  }

  /** Says why a request is taking long: the SDK waits before retrying (rate limit, busy or unreachable server). */
  showRetry(event: RetryEvent): void {
    this.statusLine.textContent = retryMessage(event);
  }

  /** The zone for the `timezone` header and the presets: the view's, else the browser's. */
  private get zone(): string {
    return this.state.timezone ?? this.session.browserZone;
  }

  /** A view the caller can see: their default site for an unknown one, Available for Purged unless a CO. */
  private effective(state: ViewState): { state: ViewState; notes: string[] } {
    const notes: string[] = [];
    const fallback = this.session.sites.find((s) => s.default)?.siteUrl ?? this.session.sites[0]?.siteUrl ?? null;
    let site = state.site;
    if (site !== null && !this.session.sites.some((s) => s.siteUrl === site)) {
      notes.push(`${site} is not one of your sites; showing ${fallback ?? 'your default site'} instead.`);
      site = fallback;
    }
    let status = state.status;
    if (status === 'purged' && this.session.me.role !== 'complianceOfficer') {
      notes.push('Only compliance officers see purged recordings; showing available ones.');
      status = 'available';
    }
    return { state: { ...state, site: site ?? fallback, status }, notes };
  }

  private navigate(requested: ViewState, options: { push: boolean; ignored?: readonly string[] }): void {
    const { state, notes } = this.effective(requested);
    this.state = state;
    if (options.ignored !== undefined && options.ignored.length > 0) {
      notes.push(`Ignored invalid ${options.ignored.join(', ')} in the address.`);
    }
    replaceChildren(this.notices, ...notes.map((n) => h('p', { class: 'notice' }, n)));
    if (options.push) {
      const query = writeViewState(state).toString();
      history.pushState(null, '', query === '' ? location.pathname : `?${query}`);
    }
    this.filters.show(state, state.site ?? '', this.zone);
    this.tabs.show(state.status);
    this.results.setAttribute('aria-labelledby', `tab-${state.status}`);
    this.trail.reset();
    void this.load();
  }

  private turn(direction: 1 | -1): void {
    if (this.loading !== null) return; // the pager is only marked busy, so that it keeps the focus
    if (direction === 1) {
      if (this.page?.next === null || this.page === null) return;
      this.trail.forward(this.page.checkpoint);
    } else {
      if (!this.trail.hasPrevious) return;
      this.trail.back();
    }
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.selected.clear();
    this.page = null;
    replaceChildren(this.alert);
    this.renderActions();
    const request = listRequest(this.state, this.zone, this.session.now());
    if (!request.ok) {
      // A range the API would refuse is explained, not sent.
      this.showProblem('This range cannot be listed', { message: request.message, trackingId: null, status: null });
      replaceChildren(this.results);
      this.statusLine.textContent = '';
      this.renderPager();
      return;
    }
    this.results.setAttribute('aria-busy', 'true');
    this.statusLine.textContent = 'Loading recordings…';
    if (this.results.querySelector('table') === null) replaceChildren(this.results, h('p', { class: 'placeholder' }, 'Loading recordings…'));
    this.renderPager();
    try {
      const page = await fetchPage(this.session.client.recordings, { ...request.params, max: this.state.pageSize }, this.trail.current, controller.signal);
      if (controller.signal.aborted) return;
      this.page = page;
      this.renderResults(request.from, request.to);
    } catch (error) {
      if (controller.signal.aborted || isAbort(error)) return;
      if (error instanceof AuthenticationError) {
        // Revoked or expired while signed in: nothing more can be shown with this token.
        this.session.signOut(problemFrom(error));
        return;
      }
      this.statusLine.textContent = '';
      replaceChildren(this.results);
      this.showProblem('Could not load recordings', problemFrom(error));
    } finally {
      if (this.loading === controller) {
        this.loading = null;
        this.results.setAttribute('aria-busy', 'false');
        this.renderPager();
      }
    }
  }

  private renderResults(from: string | null, to: string | null): void {
    const items = this.page?.items ?? [];
    const scope = this.state.meetingId !== '' ? `meeting ${this.state.meetingId}` : `${this.state.site ?? ''}, ${from ?? ''} to ${to ?? ''}`;
    this.statusLine.textContent = `Page ${this.trail.number} · ${formatCount(items.length)} ${items.length === 1 ? 'recording' : 'recordings'} · ${scope} · times in ${this.zone}`;
    if (items.length === 0) {
      replaceChildren(
        this.results,
        h('p', { class: 'placeholder empty' }, this.trail.hasPrevious ? 'No more recordings on this page.' : 'No recordings match these filters.'),
      );
      return;
    }
    const table = resultsTable(items, {
      caption: `Recordings (${this.state.status}), ${scope}, page ${this.trail.number}`,
      selectable: this.mayAct(),
      selected: this.selected,
      onToggle: (id, on) => {
        if (on) this.selected.add(id);
        else this.selected.delete(id);
        this.refreshSelection();
      },
      onToggleAll: (on) => {
        for (const item of items) {
          if (on) this.selected.add(item.id);
          else this.selected.delete(item.id);
        }
        this.refreshSelection();
      },
      onOpen: (item, trigger) => this.drawer.open(item, trigger),
    });
    replaceChildren(this.results, h('div', { class: 'table-scroll' }, table));
  }

  /** Row highlights and the select-all box follow the selection without rebuilding the table. */
  private refreshSelection(): void {
    const items = this.page?.items ?? [];
    for (const row of this.results.querySelectorAll<HTMLTableRowElement>('tbody tr')) {
      row.classList.toggle('selected', this.selected.has(row.dataset['id'] ?? ''));
    }
    const all = this.results.querySelector<HTMLInputElement>('thead input[type=checkbox]');
    if (all !== null) {
      all.checked = items.length > 0 && items.every((i) => this.selected.has(i.id));
      all.indeterminate = !all.checked && items.some((i) => this.selected.has(i.id));
    }
    this.renderActions();
  }

  private mayAct(): boolean {
    return this.session.me.recycleBin !== 'none' && recycleActions(this.state.status).length > 0;
  }

  private renderActions(): void {
    if (!this.mayAct()) {
      replaceChildren(this.actions);
      return;
    }
    const count = this.selected.size;
    const buttons = recycleActions(this.state.status).map((action) =>
      h('button', { type: 'button', class: action.danger ? 'danger' : 'secondary', disabled: count === 0, onclick: () => void this.act(action) }, action.label),
    );
    const own = this.session.me.recycleBin === 'own' ? h('span', { class: 'hint' }, 'Your token may change only recordings you hosted.') : null;
    replaceChildren(this.actions, h('span', { class: 'selection-count' }, `${count} selected`), ...buttons, own);
  }

  /**
   * While a page loads the buttons are only marked busy (`aria-disabled`, clicks ignored): a
   * disabled button loses the keyboard focus to the page's body. When the focused one turns
   * disabled (first or last page), the focus moves to the other one, else to the page number.
   */
  private renderPager(): void {
    const busy = this.loading !== null;
    const focused = document.activeElement;
    const hadFocus = focused === this.previous || focused === this.next;
    const hasNext = this.page !== null && this.page.next !== null;
    this.previous.disabled = !busy && !this.trail.hasPrevious;
    this.next.disabled = !busy && !hasNext;
    this.previous.setAttribute('aria-disabled', String(busy || !this.trail.hasPrevious));
    this.next.setAttribute('aria-disabled', String(busy || !hasNext));
    this.pageNumber.textContent = `Page ${this.trail.number}`;
    if (hadFocus && (focused as HTMLButtonElement).disabled) {
      const other = focused === this.next ? this.previous : this.next;
      (other.disabled ? this.pageNumber : other).focus();
    }
  }

  private showProblem(title: string, problem: Problem): void {
    replaceChildren(this.alert, problemView(title, problem));
  }

  private async act(action: RecycleAction): Promise<void> {
    const items = (this.page?.items ?? []).filter((i) => this.selected.has(i.id));
    if (items.length === 0) return;
    const noun = items.length === 1 ? 'recording' : 'recordings';
    const ok = await this.confirm.ask({
      title: `${action.label}?`,
      message: action.question(items.length, noun),
      items: items.map((i) => `${i.topic} — ${formatInstant(i.createTime)}`),
      confirmLabel: `${action.label} (${items.length})`,
      danger: action.danger,
    });
    if (!ok) return;
    replaceChildren(this.alert);
    this.statusLine.textContent = `${action.progress} ${items.length} ${noun}…`;
    try {
      // The API acts on one site per call; a meeting-id search may span several.
      for (const [siteUrl, ids] of bySite(items)) await this.session.client.recordings[action.method](ids, { siteUrl });
    } catch (error) {
      if (error instanceof AuthenticationError) {
        this.session.signOut(problemFrom(error));
        return;
      }
      this.statusLine.textContent = '';
      this.showProblem(`${action.label} failed`, problemFrom(error));
      return;
    }
    await this.load();
    this.statusLine.textContent = `${action.done} ${items.length} ${noun}. ${this.statusLine.textContent}`;
  }

  private async export(): Promise<void> {
    const request = listRequest(this.state, this.zone, this.session.now(), { allowLong: true });
    if (!request.ok) {
      this.showProblem('Cannot export this range', { message: request.message, trackingId: null, status: null });
      return;
    }
    const what = this.state.meetingId !== '' ? `meeting-${this.state.meetingId}` : (this.state.site ?? 'site');
    const description =
      request.from === null ? `Meeting ${this.state.meetingId}, ${this.state.status}` : `${this.state.site ?? ''}, ${request.from} to ${request.to ?? ''}, ${this.state.status}, times in ${this.zone}`;
    this.exportButton.disabled = true;
    try {
      await this.exportPanel.run(
        (signal, onProgress) => exportCsv(this.session.client.recordings, request.params, { signal, onProgress }),
        exportFileName(what, request.from, request.to),
        description,
      );
    } finally {
      this.exportButton.disabled = false;
    }
  }
}

function bySite(items: readonly RecordingItem[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) groups.set(item.siteUrl, [...(groups.get(item.siteUrl) ?? []), item.id]);
  return groups;
}
