import type { Org, Person, Site } from '../domain/types.js';
import { checkOptions, type GenerateOptions } from './generate-options.js';
import { emailLocalPart, randomDisplayName, type NameRegion } from './people-names.js';
import { Prng } from './prng.js';
import { siteQuotas } from './site-shares.js';

export interface GeneratedWorld {
  readonly orgs: Org[];
  readonly sites: Site[];
  /** The hosts: each lives on one home site (siteUrls = [home], preferredSiteUrl = home). */
  readonly people: Person[];
  /** Home IANA time zone of every site; business hours are generated in it. */
  readonly siteTimeZones: Readonly<Record<string, string>>;
}

/** Home zones of the fixed demo sites. */
export const SITE_TIME_ZONES: Readonly<Record<string, string>> = {
  'acme.webex.com': 'America/New_York',
  'acme-eu.webex.com': 'Europe/Berlin',
  'globex.webex.com': 'Asia/Tokyo',
};

/** Zones handed out in turn to the sites of orgs 3, 4, … */
const FURTHER_SITE_ZONES = [
  'Europe/London', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo',
  'Asia/Singapore', 'Europe/Paris', 'America/Chicago', 'Africa/Johannesburg', 'America/Toronto',
];
const FURTHER_ORG_NAMES = ['Initrode', 'Umbrella Corp', 'Hooli', 'Soylent Corp', 'Stark Industries', 'Wayne Enterprises', 'Cyberdyne Systems', 'Tyrell Corp'];

const STREAM_WORLD = 0x574f524c; // "WORL": keeps the world's random stream apart from the sites'
const MAX_HOSTS_PER_SITE = 2500;

function orgsAndSites(orgCount: number): { orgs: Org[]; sites: Site[]; zones: Record<string, string> } {
  const orgs: Org[] = [
    { id: 'acme', name: 'Acme Corp' },
    { id: 'globex', name: 'Globex Inc' },
  ].slice(0, orgCount);
  for (let i = 2; i < orgCount; i++) {
    const base = FURTHER_ORG_NAMES[(i - 2) % FURTHER_ORG_NAMES.length] ?? 'Org';
    const round = Math.floor((i - 2) / FURTHER_ORG_NAMES.length);
    orgs.push({ id: `org${i + 1}`, name: round === 0 ? base : `${base} ${round + 1}` });
  }
  const siteUrls = (org: Org): string[] => (org.id === 'acme' ? ['acme.webex.com', 'acme-eu.webex.com'] : [`${org.id}.webex.com`]);
  const sites = orgs.flatMap((org) => siteUrls(org).map((siteUrl): Site => ({ siteUrl, orgId: org.id })));
  const zones: Record<string, string> = {};
  let further = 0;
  for (const { siteUrl } of sites) {
    zones[siteUrl] = SITE_TIME_ZONES[siteUrl] ?? (FURTHER_SITE_ZONES[further++ % FURTHER_SITE_ZONES.length] as string);
  }
  return { orgs, sites, zones };
}

export function regionOfZone(zone: string): NameRegion {
  if (zone.startsWith('America/')) return 'americas';
  if (zone.startsWith('Europe/') || zone.startsWith('Africa/')) return 'europe';
  return 'asia';
}

/** Hosts per site grow slowly with the data volume: ~40 for a demo, a few hundred for 1M rows. */
function hostCount(siteQuota: number): number {
  return Math.min(MAX_HOSTS_PER_SITE, 40 + Math.floor(siteQuota / 1000));
}

export function generateWorld(opts: GenerateOptions): GeneratedWorld {
  const checked = checkOptions(opts);
  const prng = new Prng(checked.seed, STREAM_WORLD);
  const { orgs, sites, zones } = orgsAndSites(checked.orgs);
  const quotas = siteQuotas(orgs, sites, checked.recordings);
  const people: Person[] = [];
  const emailsTaken = new Set<string>();
  const nextNumber = new Map<string, number>();
  sites.forEach((site, siteIndex) => {
    const region = regionOfZone(zones[site.siteUrl] ?? 'UTC');
    const count = hostCount(quotas[siteIndex] ?? 0);
    for (let i = 0; i < count; i++) {
      const displayName = randomDisplayName(prng, region);
      const local = emailLocalPart(displayName);
      let email = `${local}@${site.orgId}.com`;
      for (let n = 2; emailsTaken.has(email); n++) email = `${local}${n}@${site.orgId}.com`;
      emailsTaken.add(email);
      const number = (nextNumber.get(site.orgId) ?? 0) + 1;
      nextNumber.set(site.orgId, number);
      people.push({
        id: `${site.orgId}-p${String(number).padStart(4, '0')}`,
        orgId: site.orgId,
        email,
        displayName,
        siteUrls: [site.siteUrl],
        preferredSiteUrl: site.siteUrl,
      });
    }
  });
  return { orgs, sites, people, siteTimeZones: zones };
}
