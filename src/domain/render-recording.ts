import type { InstantRenderer } from './render-instant.js';
import { tagVisible } from './principal.js';
import type { Recording, RecordingItem } from './types.js';

/**
 * The wire item for one recording as one caller sees it: times in the caller's zone, no
 * `downloadUrl` when downloading is prevented, only the integration tags the caller's client may
 * see (and no `integrationTags` at all when that is none).
 */
export function renderRecording(r: Recording, times: InstantRenderer, callerClientId: string | null): RecordingItem {
  // Fields in the vendor's order; optional ones are left out rather than sent empty.
  const item: RecordingItem = { id: r.id, meetingId: r.meetingId } as RecordingItem;
  if (r.scheduledMeetingId !== null) item.scheduledMeetingId = r.scheduledMeetingId;
  if (r.meetingSeriesId !== null) item.meetingSeriesId = r.meetingSeriesId;
  item.topic = r.topic;
  item.createTime = times.render(r.createTime);
  item.timeRecorded = times.render(r.timeRecorded);
  item.hostDisplayName = r.hostDisplayName;
  item.hostEmail = r.hostEmail;
  item.siteUrl = r.siteUrl;
  if (!r.preventDownload) item.downloadUrl = r.downloadUrl;
  item.playbackUrl = r.playbackUrl;
  item.format = r.format;
  item.serviceType = r.serviceType;
  item.durationSeconds = r.durationSeconds;
  item.sizeBytes = r.sizeBytes;
  const tags = r.integrationTags.filter((t) => tagVisible(t.clientId, callerClientId)).map((t) => t.tag);
  if (tags.length > 0) item.integrationTags = [...new Set(tags)];
  item.status = r.status;
  return item;
}
