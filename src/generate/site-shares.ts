import type { Org, Site } from '../domain/types.js';

/** The first org is the big customer: it holds this share of all recordings. */
const FIRST_ORG_SHARE = 0.7;
/** Within the first org, the home site outweighs the EU site. */
const FIRST_ORG_SITE_WEIGHTS = [5, 2];

/** Each site's share of all recordings (sums to 1), in `sites` order. */
function siteShares(orgs: readonly Org[], sites: readonly Site[]): number[] {
  const orgWeights = orgs.map((_, i): number => (i === 0 ? 0 : i === 1 ? 2 : 1));
  const otherWeight = orgWeights.reduce((a, b) => a + b, 0);
  const orgShare = (i: number): number =>
    orgs.length === 1 ? 1 : i === 0 ? FIRST_ORG_SHARE : ((1 - FIRST_ORG_SHARE) * (orgWeights[i] ?? 0)) / otherWeight;
  return sites.map((site) => {
    const orgIndex = orgs.findIndex((o) => o.id === site.orgId);
    const orgSites = sites.filter((s) => s.orgId === site.orgId);
    const position = orgSites.indexOf(site);
    const weights = orgSites.map((_, j) => (orgIndex === 0 ? (FIRST_ORG_SITE_WEIGHTS[j] ?? 1) : 1));
    const total = weights.reduce((a, b) => a + b, 0);
    return (orgShare(orgIndex) * (weights[position] ?? 0)) / total;
  });
}

/** Exact per-site recording counts summing to `total` (largest-remainder rounding). */
export function siteQuotas(orgs: readonly Org[], sites: readonly Site[], total: number): number[] {
  const exact = siteShares(orgs, sites).map((share) => share * total);
  const quotas = exact.map(Math.floor);
  let missing = total - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (missing-- <= 0) break;
    quotas[i] = (quotas[i] ?? 0) + 1;
  }
  return quotas;
}
