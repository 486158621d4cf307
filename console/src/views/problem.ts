import { h } from '../dom.js';
import type { Problem } from '../errors.js';

/** An error as the console shows it everywhere: the API's message, then the tracking id to quote. */
export function problemView(title: string, problem: Problem): HTMLElement {
  return h(
    'div',
    { class: 'problem' },
    h('p', { class: 'problem-title' }, title),
    h('p', { class: 'problem-message' }, problem.message),
    problem.trackingId === null
      ? null
      : h('p', { class: 'problem-tracking' }, 'Tracking ID: ', h('code', { class: 'tracking-id' }, problem.trackingId)),
  );
}
