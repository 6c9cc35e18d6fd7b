/**
 * NATS naming (docs/events.md). Subjects carry region, company and log so consumers can filter
 * by tenant without reading payloads:
 *   <prefix>.<region>.events.<companyId>.<workspaceId | "company">   stored events (JetStream)
 *   <prefix>.<region>.keys.invalidated                                 key revoked/rotated (core NATS)
 */
export function eventSubject(prefix: string, region: string, companyId: string, workspaceId: string | null): string {
  return `${prefix}.${region}.events.${companyId}.${workspaceId ?? "company"}`;
}

export function eventsStreamName(prefix: string, region: string): string {
  return `${prefix}_EVENTS_${region}`.toUpperCase().replace(/[^A-Z0-9_-]/g, "_");
}

export function keyInvalidationSubject(prefix: string, region: string): string {
  return `${prefix}.${region}.keys.invalidated`;
}
