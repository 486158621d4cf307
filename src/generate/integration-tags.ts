import type { IntegrationTag } from '../domain/types.js';
import { WeightedTable, type Prng } from './prng.js';

/** The integration clients whose tokens the demo hands out; each sees only its own tags. */
export const INTEGRATION_CLIENTS = ['zendesk-app', 'jira-cloud'] as const;
export type IntegrationClient = (typeof INTEGRATION_CLIENTS)[number];

const JIRA_PROJECTS = ['PROJ', 'ENG', 'OPS', 'SEC', 'MKT', 'SALES', 'CX', 'PLAT', 'DATA'];

/** Tags without a client (visible to every caller): CRM references, legal holds, audits. */
function sharedTag(prng: Prng): string {
  switch (prng.int(0, 3)) {
    case 0:
      return `CRM-OPP-${prng.int(100, 999)}`;
    case 1:
      return `LEGAL-HOLD-${prng.int(2023, 2025)}-${String(prng.int(1, 40)).padStart(3, '0')}`;
    case 2:
      return `AUDIT-Q${prng.int(1, 4)}`;
    default:
      return prng.pick(['training-material', 'Customer-Escalation', 'board-review']);
  }
}

type TagKind = 'zendesk' | 'jira' | 'shared';
const TAG_KINDS = WeightedTable.of<TagKind>([
  ['zendesk', 40],
  ['jira', 40],
  ['shared', 20],
]);

export function randomTag(prng: Prng): IntegrationTag {
  switch (TAG_KINDS.pick(prng)) {
    case 'zendesk':
      return { tag: `ZD-${prng.int(10000, 99999)}`, clientId: 'zendesk-app' };
    case 'jira':
      return { tag: `${prng.pick(JIRA_PROJECTS)}-${prng.int(1, 4999)}`, clientId: 'jira-cloud' };
    case 'shared':
      return { tag: sharedTag(prng), clientId: null };
  }
}

/** One or two distinct tags for one meeting; all its recordings share the returned array. */
export function randomTagSet(prng: Prng, seriesTag: IntegrationTag | null): readonly IntegrationTag[] {
  const first = seriesTag !== null && prng.chance(0.5) ? seriesTag : randomTag(prng);
  if (!prng.chance(0.25)) return [first];
  const second = randomTag(prng);
  return second.tag === first.tag && second.clientId === first.clientId ? [first] : [first, second];
}
