import type { ServiceType } from '../domain/constants.js';
import type { NameRegion } from './people-names.js';
import { WeightedTable, type Prng } from './prng.js';

/** What a topic template may mention: the region of the site and the meeting's quarter. */
export interface TopicContext {
  readonly region: NameRegion;
  readonly year: number;
  readonly quarter: number;
}

export type Cadence = 'daily' | 'weekly' | 'biweekly';

export interface MeetingTemplate {
  readonly serviceType: ServiceType;
  /** Typical recording length; actual durations scatter log-normally around it. */
  readonly medianMinutes: number;
  readonly topic: (prng: Prng, ctx: TopicContext) => string;
}

export interface RecurringTemplate extends MeetingTemplate {
  readonly cadence: Cadence;
}

const TEAMS = ['Engineering', 'Platform', 'Mobile', 'Data', 'Security', 'Design', 'Sales', 'Marketing', 'Finance', 'Support', 'DevOps', 'Payments', 'Growth', 'Legal'];
const CUSTOMERS = ['Initech', 'Umbrella Corp', 'Hooli', 'Soylent', 'Stark Industries', 'Wayne Enterprises', 'Cyberdyne', 'Wonka Industries', 'Vandelay Industries', 'Tyrell Corp', 'Pied Piper', 'Gringotts', 'Dunder Mifflin', 'Nakatomi Trading', 'Müller & Söhne GmbH', 'Société Générale des Eaux', '株式会社サクラ'];
const PRODUCTS = ['Vault', 'Insights', 'Connect', 'Edge Gateway', 'Analytics Cloud', 'Mobile SDK'];
const ROLES = ['Senior Backend Engineer', 'Product Designer', 'Account Executive', 'Data Scientist', 'SRE', 'Engineering Manager'];
const REGION_LABEL: Readonly<Record<NameRegion, readonly string[]>> = {
  americas: ['AMER', 'NA', 'LATAM'],
  europe: ['EMEA', 'DACH', 'Nordics', 'UK&I'],
  asia: ['APJ', 'Japan', 'ANZ'],
};

const t = (
  serviceType: ServiceType,
  medianMinutes: number,
  topic: (prng: Prng, ctx: TopicContext) => string,
): MeetingTemplate => ({ serviceType, medianMinutes, topic });
const r = (cadence: Cadence, medianMinutes: number, topic: (prng: Prng, ctx: TopicContext) => string): RecurringTemplate => ({
  cadence,
  serviceType: 'MeetingCenter',
  medianMinutes,
  topic,
});

/** Series that repeat keep one topic for all their meetings. */
export const RECURRING_TEMPLATES = WeightedTable.of<RecurringTemplate>([
  [r('daily', 15, (p) => `${p.pick(TEAMS)} Daily Standup`), 6],
  [r('daily', 15, () => 'Daily Scrum'), 1],
  [r('weekly', 30, (p) => `Weekly ${p.pick(TEAMS)} Standup`), 6],
  [r('weekly', 45, (p) => `${p.pick(TEAMS)} Team Sync`), 4],
  [r('biweekly', 60, (p) => `${p.pick(TEAMS)} Sprint Planning`), 3],
  [r('biweekly', 45, (p) => `${p.pick(TEAMS)} Retro`), 2],
  [r('weekly', 30, (p, c) => `1:1 ${p.pick(['Manager', 'Skip-level', 'Mentoring'])} (${p.pick(REGION_LABEL[c.region])})`), 3],
  [r('weekly', 60, (p, c) => `Weekly Pipeline Review – ${p.pick(REGION_LABEL[c.region])}`), 2],
  [r('weekly', 60, () => 'Architecture Review Board'), 1],
  [r('weekly', 50, () => 'Staff Meeting'), 1],
  [r('weekly', 40, (p, c) => (c.region === 'europe' ? `Wöchentliche Abstimmung ${p.pick(TEAMS)}` : c.region === 'asia' ? '週次定例会議' : 'weekly ops review')), 2],
  [r('biweekly', 60, () => 'Straße planning'), 0.5],
  [r('weekly', 45, () => "Réunion d'équipe hebdomadaire"), 0.5],
]);

/** Meetings that happen once: customer calls, reviews, webinars, trainings, support sessions. */
export const ONE_OFF_TEMPLATES = WeightedTable.of<MeetingTemplate>([
  [t('MeetingCenter', 45, (p) => `Customer onboarding: ${p.pick(CUSTOMERS)}`), 8],
  [t('MeetingCenter', 75, (p, c) => `Q${c.quarter} Pipeline Review – ${p.pick(REGION_LABEL[c.region])}`), 4],
  [t('MeetingCenter', 60, (p, c) => `QBR ${c.year} Q${c.quarter} – ${p.pick(CUSTOMERS)}`), 4],
  [t('MeetingCenter', 50, (p) => `Demo for ${p.pick(CUSTOMERS)}`), 6],
  [t('MeetingCenter', 55, (p) => `Interview: ${p.pick(ROLES)}`), 5],
  [t('MeetingCenter', 60, (p) => `Incident review: INC-${p.int(1000, 9999)}`), 3],
  [t('MeetingCenter', 40, (p) => `${p.pick(PRODUCTS)} design review`), 5],
  [t('MeetingCenter', 30, (p) => `Quick sync re ${p.pick(CUSTOMERS)} renewal`), 5],
  [t('MeetingCenter', 90, (_p, c) => `All Hands Q${c.quarter} ${c.year}`), 1],
  [t('MeetingCenter', 90, (_p, c) => `ALL HANDS – Q${c.quarter}`), 1],
  [t('MeetingCenter', 60, (_p, c) => `budget ${c.year + 1} kickoff`), 0.5],
  [t('MeetingCenter', 45, (p) => `Kundengespräch ${p.pick(CUSTOMERS)}`), 2],
  [t('MeetingCenter', 45, () => 'Ελληνικά ΣΥΝΑΝΤΗΣΗ'), 0.3],
  [t('MeetingCenter', 40, () => 'Straße planning'), 0.3],
  [t('MeetingCenter', 30, () => 'ПЛАНЁРКА отдела продаж'), 0.3],
  [t('MeetingCenter', 35, (p) => `Offsite prep – ${p.pick(['Lisboa', 'Kraków', 'Zürich', 'São Paulo', '東京'])}`), 1],
  [t('EventCenter', 60, (p) => `Webinar: What's new in ${p.pick(PRODUCTS)}`), 5],
  [t('EventCenter', 75, (p, c) => `${p.pick(PRODUCTS)} Launch Event ${c.year}`), 2],
  [t('TrainingCenter', 90, (p) => `Training: ${p.pick(PRODUCTS)} basics`), 3],
  [t('TrainingCenter', 120, (p) => `Certification workshop – ${p.pick(PRODUCTS)} admin`), 1],
  [t('SupportCenter', 25, (p) => `Support session #${p.int(100000, 999999)}`), 3],
]);
