import type { RecordingsApi } from '../../src/client/recordings-api.js';
import type { ListCheckpoint, ListRecordingsParams, RecordingPage } from '../../src/client/types.js';

/**
 * One page of a listing through the SDK: the first page, or the page after a checkpoint (which
 * holds the `Link` URL with its cursor). The SDK's page iterator is stopped after one page, so
 * nothing is fetched ahead.
 */
export async function fetchPage(
  recordings: RecordingsApi,
  params: ListRecordingsParams,
  start: ListCheckpoint | null,
  signal: AbortSignal,
): Promise<RecordingPage | null> {
  const pages = recordings.pages(params, start === null ? { signal } : { signal, resume: start });
  try {
    const first = await pages.next();
    return first.done === true ? null : first.value;
  } finally {
    await pages.return(undefined);
  }
}

/**
 * Where each page visited starts (`null`: the first page). Next pushes the current page's
 * checkpoint, Previous pops it: cursors only go forward, so going back means re-reading from a
 * remembered start.
 */
export class PageTrail {
  private starts: (ListCheckpoint | null)[] = [null];

  get current(): ListCheckpoint | null {
    return this.starts[this.starts.length - 1] ?? null;
  }

  /** 1-based number of the current page. */
  get number(): number {
    return this.starts.length;
  }

  get hasPrevious(): boolean {
    return this.starts.length > 1;
  }

  forward(checkpoint: ListCheckpoint): void {
    this.starts.push(checkpoint);
  }

  back(): void {
    if (this.starts.length > 1) this.starts.pop();
  }

  reset(): void {
    this.starts = [null];
  }
}
