/**
 * NATS naming (docs/events.md). Subjects carry region, company and log so consumers can filter
 * by tenant without reading payloads:
 *   <prefix>.<region>.events.<companyId>.<workspaceId | "company">   stored events (JetStream)
 *   <prefix>.<region>.keys.invalidated                                 key revoked/rotated (core NATS)
 *   <prefix>.<region>.notifications.<companyId>.<type>                 product notifications (JetStream), e.g.
 *                                                                      EXPORT_COMPLETED, CHECKPOINT_PUBLISHED
 *   <prefix>.<region>.jobs.<jobType>                                   job hand-out (JetStream work queue)
 */
export function eventSubject(prefix: string, region: string, companyId: string, workspaceId: string | null): string {
  return `${prefix}.${region}.events.${companyId}.${workspaceId ?? "company"}`;
}

/** The company of an events or notifications subject (the fourth token; NATS_PREFIX holds no dots), read without opening the message. */
export function subjectCompanyId(subject: string): string {
  return subject.split(".", 4)[3] ?? "";
}

export function eventsStreamName(prefix: string, region: string): string {
  return `${prefix}_EVENTS_${region}`.toUpperCase().replace(/[^A-Z0-9_-]/g, "_");
}

export function keyInvalidationSubject(prefix: string, region: string): string {
  return `${prefix}.${region}.keys.invalidated`;
}

/** Core NATS, not stored: a workspace or project was archived (`{"id": …}`); ingest drops its cached answer. */
export function archivedSubject(prefix: string, region: string): string {
  return `${prefix}.${region}.tenancy.archived`;
}

/** Core NATS, not stored: data subjects were erased (`{"companyId", "externalIds"}`); ingest drops their cached keys. */
export function subjectsErasedSubject(prefix: string, region: string): string {
  return `${prefix}.${region}.subjects.erased`;
}

export function notificationSubject(prefix: string, region: string, companyId: string, type: string): string {
  return `${prefix}.${region}.notifications.${companyId}.${type}`;
}

export function notificationsStreamName(prefix: string, region: string): string {
  return `${prefix}_NOTIFICATIONS_${region}`.toUpperCase().replace(/[^A-Z0-9_-]/g, "_");
}

export function jobSubject(prefix: string, region: string, jobType: string): string {
  return `${prefix}.${region}.jobs.${jobType}`;
}

export function jobsStreamName(prefix: string, region: string): string {
  return `${prefix}_JOBS_${region}`.toUpperCase().replace(/[^A-Z0-9_-]/g, "_");
}
