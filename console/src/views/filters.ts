import { RECORDING_FORMATS, SERVICE_TYPES, type RecordingFormat, type ServiceType } from '../../../src/domain/constants.js';
import type { SiteListEntry } from '../../../src/client/types.js';
import { isDate } from '../dates.js';
import { field, h, option } from '../dom.js';
import { clearFilters, PAGE_SIZES, PRESETS, rangeDates, type DateRange, type PageSize, type Preset, type ViewState } from '../view-state.js';

export interface FiltersContext {
  readonly sites: readonly SiteListEntry[];
  readonly zones: readonly string[];
  /** The browser's zone, used when the view names none. */
  readonly defaultZone: string;
  /** The server's clock, for the presets' dates. */
  readonly now: () => number;
}

/**
 * The filter form. Pickers (site, range preset, zone, format, service type, page size) apply on
 * change; text and date fields on Enter or Apply. Status is not here: the tabs set it.
 */
export class FiltersForm {
  readonly element: HTMLFormElement;
  private readonly site = h('select', { name: 'site' });
  private readonly range = h('select', { name: 'range' });
  private readonly from = h('input', { type: 'date', name: 'from', required: true });
  private readonly to = h('input', { type: 'date', name: 'to', required: true });
  private readonly zone = h('select', { name: 'tz' });
  private readonly topic = h('input', { type: 'text', name: 'topic', autocomplete: 'off', maxlength: 500 });
  private readonly meetingId = h('input', { type: 'text', name: 'meetingId', autocomplete: 'off', maxlength: 500 });
  private readonly tag = h('input', { type: 'text', name: 'tag', autocomplete: 'off', maxlength: 500 });
  private readonly format = h('select', { name: 'format' });
  private readonly serviceType = h('select', { name: 'serviceType' });
  private readonly pageSize = h('select', { name: 'size' });
  private readonly summary = h('span', { class: 'filters-summary muted' });
  private readonly details: HTMLDetailsElement;
  private state: ViewState | null = null;

  constructor(
    private readonly ctx: FiltersContext,
    private readonly onApply: (state: ViewState) => void,
  ) {
    for (const s of ctx.sites) this.site.append(option(s.siteUrl, s.default ? `${s.siteUrl} (default)` : s.siteUrl, false));
    for (const days of PRESETS) this.range.append(option(`${days}d`, `Last ${days} days`, false));
    this.range.append(option('dates', 'Custom dates', false));
    for (const z of ctx.zones) this.zone.append(option(z, z === ctx.defaultZone ? `${z} (this browser)` : z, false));
    this.format.append(option('', 'Any format', false), ...RECORDING_FORMATS.map((f) => option(f, f, false)));
    this.serviceType.append(option('', 'Any service', false), ...SERVICE_TYPES.map((s) => option(s, s, false)));
    for (const size of PAGE_SIZES) this.pageSize.append(option(String(size), String(size), false));

    for (const picker of [this.site, this.zone, this.format, this.serviceType, this.pageSize]) picker.addEventListener('change', () => this.apply());
    this.range.addEventListener('change', () => {
      if (this.range.value === 'dates') {
        this.from.focus();
        return;
      }
      this.apply();
    });
    // Typing a date means custom dates.
    for (const date of [this.from, this.to]) date.addEventListener('input', () => (this.range.value = 'dates'));

    this.details = h(
      'details',
      { class: 'filters-details' },
      h('summary', {}, h('span', { class: 'filters-title' }, 'Filters and dates'), ' ', this.summary),
      h(
        'fieldset',
        { class: 'filter-group where' },
        h('legend', {}, 'Where and when'),
        field('Site', this.site),
        field('Date range', this.range),
        field('From', this.from),
        field('To (included)', this.to),
        field('Time zone', this.zone, 'Times are shown in this zone and dates are read in it.'),
      ),
      h(
        'fieldset',
        { class: 'filter-group' },
        h('legend', {}, 'Filters'),
        field('Topic', this.topic, 'Whole topic, any case.'),
        field('Meeting id', this.meetingId, 'Series, scheduled or instance id; searches all your sites and ignores dates.'),
        field('Integration tag', this.tag),
        field('Format', this.format),
        field('Service type', this.serviceType),
        field('Per page', this.pageSize),
      ),
      h(
        'div',
        { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Apply filters'),
        h('button', { type: 'button', class: 'secondary', onclick: () => this.clear() }, 'Clear filters'),
      ),
    );
    // Open on wide screens; on a phone the results come first and the filters fold away.
    this.details.open = !window.matchMedia('(max-width: 700px)').matches;
    this.element = h(
      'form',
      {
        class: 'filters',
        role: 'search',
        'aria-label': 'Recording filters',
        onsubmit: (event: Event) => {
          event.preventDefault();
          this.apply();
        },
      },
      this.details,
    );
  }

  /** Shows a view's values (after navigation, Back/Forward or a bookmark). */
  show(state: ViewState, site: string, zone: string): void {
    this.state = state;
    this.site.value = site;
    // A zone from a bookmark may be an alias the browser accepts but does not list (US/Eastern).
    if (![...this.zone.options].some((o) => o.value === zone)) this.zone.append(option(zone, zone, false));
    this.zone.value = zone;
    const dates = rangeDates(state.range, zone, this.ctx.now());
    this.range.value = state.range.kind === 'dates' ? 'dates' : `${state.range.days}d`;
    this.from.value = dates.from;
    this.to.value = dates.to;
    this.topic.value = state.topic;
    this.meetingId.value = state.meetingId;
    this.tag.value = state.integrationTag;
    this.format.value = state.format ?? '';
    this.serviceType.value = state.serviceType ?? '';
    this.pageSize.value = String(state.pageSize);
    this.summary.textContent = describe(state, site, dates);
  }

  private read(): ViewState | null {
    if (this.state === null) return null;
    let range: DateRange;
    if (this.range.value === 'dates') {
      if (!isDate(this.from.value) || !isDate(this.to.value)) {
        this.element.reportValidity();
        return null;
      }
      range = { kind: 'dates', from: this.from.value, to: this.to.value };
    } else {
      range = { kind: 'last', days: Number(this.range.value.slice(0, -1)) as Preset };
    }
    const zone = this.zone.value;
    return {
      ...this.state,
      site: this.site.value === '' ? null : this.site.value,
      range,
      timezone: zone === this.ctx.defaultZone || zone === '' ? null : zone,
      topic: this.topic.value,
      meetingId: this.meetingId.value.trim(),
      integrationTag: this.tag.value,
      format: this.format.value === '' ? null : (this.format.value as RecordingFormat),
      serviceType: this.serviceType.value === '' ? null : (this.serviceType.value as ServiceType),
      pageSize: Number(this.pageSize.value) as PageSize,
    };
  }

  private apply(): void {
    const next = this.read();
    if (next !== null) this.onApply(next);
  }

  private clear(): void {
    if (this.state === null) return;
    this.onApply(clearFilters(this.state));
  }
}

/** One line for the folded filters: where, when and how many filters are on. */
function describe(state: ViewState, site: string, dates: { from: string; to: string }): string {
  const filters = [state.topic, state.meetingId, state.integrationTag, state.format ?? '', state.serviceType ?? ''].filter((v) => v !== '').length;
  const when = state.meetingId !== '' ? 'all sites' : `${site}, ${state.range.kind === 'last' ? `last ${state.range.days} days` : `${dates.from} to ${dates.to}`}`;
  return filters === 0 ? when : `${when}, ${filters} ${filters === 1 ? 'filter' : 'filters'}`;
}
