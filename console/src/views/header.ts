import type { CallerProfile, SiteListEntry } from '../../../src/client/types.js';
import { h } from '../dom.js';
import { ROLE_LABELS } from '../format.js';

/** Who is signed in (person, org, role) and which sites they may see, with Sign out. */
export function headerView(me: CallerProfile, sites: readonly SiteListEntry[], onSignOut: () => void): HTMLElement {
  const siteList = h('ul', { class: 'site-list', 'aria-label': 'Your sites' });
  for (const site of sites) {
    siteList.append(h('li', {}, site.siteUrl, site.default ? h('span', { class: 'badge' }, 'default') : null));
  }
  return h(
    'header',
    { class: 'top-bar' },
    h('p', { class: 'brand' }, 'recvault console'),
    h(
      'div',
      { class: 'who', 'aria-label': 'Signed in as' },
      h('p', { class: 'who-line' }, h('strong', { class: 'who-name' }, me.person.displayName), ' ', h('span', { class: 'muted' }, me.person.email)),
      h(
        'p',
        { class: 'who-line' },
        h('span', { class: 'who-org' }, me.org.name),
        ' · ',
        h('span', { class: 'who-role' }, ROLE_LABELS[me.role]),
        me.recycleBin === 'none' ? ' · read only' : me.recycleBin === 'own' ? ' · may change own recordings' : null,
      ),
      h('div', { class: 'who-sites' }, h('span', { class: 'muted' }, 'Sites: '), siteList),
    ),
    h('button', { type: 'button', class: 'secondary', onclick: onSignOut }, 'Sign out'),
  );
}
