import type { RecordingStatus } from '../../src/domain/constants.js';

/** A recycle-bin action as the console offers it. */
export interface RecycleAction {
  readonly method: 'softDelete' | 'restore' | 'purge';
  readonly label: string;
  readonly danger: boolean;
  readonly question: (count: number, noun: string) => string;
  readonly progress: string;
  readonly done: string;
}

const MOVE: RecycleAction = {
  method: 'softDelete',
  label: 'Move to recycle bin',
  danger: false,
  question: (n, noun) => `Move ${n} ${noun} to the recycle bin? They can be restored from the Recycle bin tab until purged.`,
  progress: 'Moving to the recycle bin:',
  done: 'Moved to the recycle bin:',
};
const RESTORE: RecycleAction = {
  method: 'restore',
  label: 'Restore',
  danger: false,
  question: (n, noun) => `Restore ${n} ${noun} from the recycle bin? They become available again.`,
  progress: 'Restoring',
  done: 'Restored',
};
const PURGE: RecycleAction = {
  method: 'purge',
  label: 'Purge',
  danger: true,
  question: (n, noun) => `Purge ${n} ${noun} for good? Purged recordings cannot be restored.`,
  progress: 'Purging',
  done: 'Purged',
};

/** What the API allows from each tab: available → recycle bin; recycle bin → restore or purge; purged → nothing. */
export function recycleActions(status: RecordingStatus): readonly RecycleAction[] {
  if (status === 'available') return [MOVE];
  if (status === 'deleted') return [RESTORE, PURGE];
  return [];
}
