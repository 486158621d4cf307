import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/domain/constants.js';
import { defaultSite, listRole, matchSite, resolveSite, tagVisible, visibleSites, type Principal } from '../../src/domain/principal.js';
import type { Person } from '../../src/domain/types.js';
import { expect403 } from './support.js';

const ACME_SITES = ['a.example.com', 'b.example.com', 'c.example.com'];
const OTHER_ORG_SITE = 'z.example.com';

function principal(opts: { scopes: string[]; siteUrls?: string[]; preferred?: string | null; clientId?: string | null; orgSites?: string[] }): Principal {
  const person: Person = {
    id: 'p1',
    orgId: 'acme',
    email: 'p1@acme.example',
    displayName: 'P One',
    siteUrls: opts.siteUrls ?? [],
    preferredSiteUrl: opts.preferred === undefined ? null : opts.preferred,
  };
  return { tokenId: 'tok-1', person, scopes: new Set(opts.scopes), clientId: opts.clientId ?? null, orgSiteUrls: opts.orgSites ?? ACME_SITES };
}

const admin = (siteUrls: string[], preferred: string | null = null) => principal({ scopes: [SCOPES.adminRead], siteUrls, preferred });
const co = (preferred: string | null = null, siteUrls: string[] = []) => principal({ scopes: [SCOPES.complianceRead], siteUrls, preferred });

describe('listRole', () => {
  it('admin scope → admin', () => {
    expect(listRole(admin(['a.example.com']))).toBe('admin');
  });

  it('compliance scope → compliance officer', () => {
    expect(listRole(co())).toBe('complianceOfficer');
  });

  it('both scopes → compliance officer, in either order', () => {
    expect(listRole(principal({ scopes: [SCOPES.adminRead, SCOPES.complianceRead] }))).toBe('complianceOfficer');
    expect(listRole(principal({ scopes: [SCOPES.complianceRead, SCOPES.adminRead] }))).toBe('complianceOfficer');
  });

  it('neither → null, whatever other scopes the token has', () => {
    expect(listRole(principal({ scopes: [] }))).toBeNull();
    expect(
      listRole(principal({ scopes: ['meeting:recordings_read', SCOPES.adminWrite, SCOPES.ownWrite, SCOPES.preferencesRead, SCOPES.adminPreferencesRead, SCOPES.ingest] })),
    ).toBeNull();
    // scope names are exact
    expect(listRole(principal({ scopes: ['MEETING:ADMIN_RECORDINGS_READ', 'spark-compliance:meetings_read ', 'meeting:admin_recordings'] }))).toBeNull();
  });

  it('uses the vendor scope names', () => {
    expect(SCOPES.adminRead).toBe('meeting:admin_recordings_read');
    expect(SCOPES.complianceRead).toBe('spark-compliance:meetings_read');
  });
});

describe('visibleSites', () => {
  it('a compliance officer sees every site of the org, whatever their person record lists', () => {
    expect(visibleSites(co())).toEqual(ACME_SITES);
    expect(visibleSites(co(null, ['b.example.com']))).toEqual(ACME_SITES);
  });

  it('a token with both scopes sees every org site', () => {
    expect(visibleSites(principal({ scopes: [SCOPES.adminRead, SCOPES.complianceRead], siteUrls: ['b.example.com'] }))).toEqual(ACME_SITES);
  });

  it('an admin sees only the sites on their person record', () => {
    expect(visibleSites(admin(['b.example.com']))).toEqual(['b.example.com']);
    expect(visibleSites(admin(['c.example.com', 'a.example.com']))).toEqual(['a.example.com', 'c.example.com']);
    expect(visibleSites(admin([]))).toEqual([]);
  });

  it("an admin's record is intersected with the org's sites (never another org's site)", () => {
    expect(visibleSites(admin(['b.example.com', OTHER_ORG_SITE, 'gone.example.com']))).toEqual(['b.example.com']);
    expect(visibleSites(admin([OTHER_ORG_SITE]))).toEqual([]);
  });
});

describe('defaultSite', () => {
  it('is the preferred site when visible', () => {
    expect(defaultSite(admin(['a.example.com', 'b.example.com'], 'b.example.com'))).toBe('b.example.com');
    expect(defaultSite(co('c.example.com'))).toBe('c.example.com');
  });

  it('falls back to the first visible site when the preferred one is not visible', () => {
    expect(defaultSite(admin(['c.example.com', 'b.example.com'], 'a.example.com'))).toBe('b.example.com');
    expect(defaultSite(admin(['b.example.com'], OTHER_ORG_SITE))).toBe('b.example.com');
    expect(defaultSite(co('gone.example.com'))).toBe('a.example.com');
  });

  it('falls back to the first visible site when there is no preference', () => {
    expect(defaultSite(admin(['c.example.com', 'b.example.com'], null))).toBe('b.example.com');
    expect(defaultSite(co(null))).toBe('a.example.com');
  });

  it('is null when nothing is visible', () => {
    expect(defaultSite(admin([], 'a.example.com'))).toBeNull();
    expect(defaultSite(admin([OTHER_ORG_SITE], OTHER_ORG_SITE))).toBeNull();
    expect(defaultSite(principal({ scopes: [SCOPES.complianceRead], orgSites: [] }))).toBeNull();
  });
});

describe('resolveSite', () => {
  it('no site requested → the default site', () => {
    expect(resolveSite(admin(['a.example.com', 'b.example.com'], 'b.example.com'), null)).toBe('b.example.com');
    expect(resolveSite(co(null), null)).toBe('a.example.com');
  });

  it('a visible site is returned as is', () => {
    expect(resolveSite(admin(['b.example.com']), 'b.example.com')).toBe('b.example.com');
    expect(resolveSite(co(), 'c.example.com')).toBe('c.example.com');
  });

  it('site URLs are host names: any letter case names the visible site, returned as stored; an exact spelling wins', () => {
    expect(resolveSite(admin(['b.example.com']), 'B.Example.COM')).toBe('b.example.com');
    expect(resolveSite(co(), 'C.EXAMPLE.COM')).toBe('c.example.com');
    expect(matchSite(['Mixed.example.com', 'mixed.example.com'], 'mixed.example.com')).toBe('mixed.example.com');
    expect(matchSite(['Mixed.example.com', 'mixed.example.com'], 'Mixed.example.com')).toBe('Mixed.example.com');
    expect(matchSite(['b.example.com'], 'b.example.co')).toBeNull();
    expect403(() => resolveSite(admin(['b.example.com']), 'A.EXAMPLE.COM'));
  });

  it('no visible site at all → 403', () => {
    expect403(() => resolveSite(admin([]), null));
  });

  it('an unknown site, another org\'s site and an invisible own-org site all get the same 403 message shape', () => {
    const caller = admin(['b.example.com'], 'b.example.com');
    const messageFor = (site: string) => expect403(() => resolveSite(caller, site)).message;
    const unknown = messageFor('nope.example.com');
    const foreign = messageFor(OTHER_ORG_SITE);
    const invisible = messageFor('a.example.com');
    expect(unknown).toContain('nope.example.com');
    expect(unknown.replace('nope.example.com', 'SITE')).toBe(foreign.replace(OTHER_ORG_SITE, 'SITE'));
    expect(unknown.replace('nope.example.com', 'SITE')).toBe(invisible.replace('a.example.com', 'SITE'));
    // a compliance officer cannot reach other orgs either, with the same message
    const coForeign = expect403(() => resolveSite(co(), OTHER_ORG_SITE)).message;
    expect(coForeign.replace(OTHER_ORG_SITE, 'SITE')).toBe(unknown.replace('nope.example.com', 'SITE'));
  });

  it('site names are matched exactly but for letter case (decided 2026-11-29: host names are case-insensitive)', () => {
    expect(resolveSite(co(), 'A.EXAMPLE.COM')).toBe('a.example.com');
    expect403(() => resolveSite(co(), ' a.example.com'));
    expect403(() => resolveSite(co(), 'a.example.com/'));
  });

  it('bounds a huge requested site name in the message', () => {
    const error = expect403(() => resolveSite(co(), 'x'.repeat(10_000)));
    expect(error.message.length).toBeLessThan(500);
  });
});

describe('tagVisible', () => {
  it.each([
    [null, null, true],
    [null, 'zendesk-app', true],
    ['zendesk-app', 'zendesk-app', true],
    ['zendesk-app', null, false],
    ['zendesk-app', 'jira-cloud', false],
    ['zendesk-app', 'Zendesk-App', false],
  ] as [string | null, string | null, boolean][])('tag client %j, caller client %j → %s', (tagClient, callerClient, visible) => {
    expect(tagVisible(tagClient, callerClient)).toBe(visible);
  });
});
