import type { Client } from "@connectrpc/connect";
import { fromJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { IngestService, KeyScope, type Region, type RequestContext } from "@hyrelog/proto";
import type { Logger } from "./logger.ts";

export interface AuditRecord {
  companyId: string;
  region: Region;
  /** Empty or null records at company level. */
  workspaceId?: string | null;
  category: string;
  action: string;
  actor: { id: string; type: string; name?: string; email?: string };
  target: { id: string; type: string; name?: string };
  /** Before and after values: any JSON (a plan's overrides, an IP allowlist); absent: did not exist / removed. */
  changes?: Array<{ field: string; old?: JsonValue; new?: JsonValue }>;
  /** E.g. the dashboard user's role. */
  metadata?: JsonObject;
  /** Makes a repeated record (a retried job, a redelivered message) store one event. */
  idempotencyKey?: string;
  context?: RequestContext;
}

/**
 * Records something HyreLog itself did (key, webhook, export operations, dashboard actions) in a
 * company's own audit log (or a region's system log: its system company's), through the ingest
 * service as a system principal. The operation it describes is
 * already committed, so a failure here is logged loudly rather than undoing it.
 */
export async function recordAuditEvent(ingest: Client<typeof IngestService>, logger: Logger, record: AuditRecord, options: { required?: boolean } = {}): Promise<void> {
  try {
    await ingest.ingestEvents({
      principal: { companyId: record.companyId, scope: KeyScope.SYSTEM, region: record.region },
      context: record.context,
      events: [
        {
          category: record.category,
          action: record.action,
          workspaceId: record.workspaceId ?? "",
          idempotencyKey: record.idempotencyKey ?? "",
          actor: record.actor,
          target: record.target,
          changes: (record.changes ?? []).map((c) => ({
            field: c.field,
            oldValue: c.old === undefined ? undefined : fromJson(ValueSchema, c.old),
            newValue: c.new === undefined ? undefined : fromJson(ValueSchema, c.new),
          })),
          metadata: record.metadata,
        },
      ],
    });
  } catch (err) {
    logger.error("could not record an operation in the audit log", { action: record.action, targetId: record.target.id, err });
    // `required`: the operation must not happen unrecorded (a deletion's tombstone), so it stops here.
    if (options.required) throw err;
  }
}
