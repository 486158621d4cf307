/** A tiny element builder: enough to keep views declarative without a framework. */

type Attrs = Readonly<Record<string, string | number | boolean | null | undefined | EventListener>>;
export type Child = Node | string | null | undefined | false;

/**
 * Creates an element. `on…` attributes add listeners; `true` sets a boolean attribute, `false`,
 * `null` and `undefined` leave it out; text children become text nodes (never HTML).
 *
 * @example
 * h('button', { type: 'button', onclick: () => save() }, 'Save');
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let nextId = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

/** A labelled form field: a `<label>` tied to the control by id, and an optional hint. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (control.id === '') control.id = uid('f');
  const hintEl = hint === undefined ? null : h('span', { class: 'hint', id: `${control.id}-hint` }, hint);
  if (hintEl !== null) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const o = h('option', { value }, label);
  o.selected = selected;
  return o;
}
