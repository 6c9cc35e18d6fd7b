import type { Client } from "@connectrpc/connect";
import { IngestService, KeyScope, type Region, type RequestContext } from "@hyrelog/proto";
import type { Logger } from "./logger.ts";

export interface AuditRecord {
  companyId: string;
  region: Region;
  /** Empty or null records at company level. */
  workspaceId?: string | null;
  category: string;
  action: string;
  actor: { id: string; type: string; name?: string };
  target: { id: string; type: string; name?: string };
  changes?: Array<{ field: string; old?: string; new?: string }>;
  /** Makes a repeated record (a retried job, a redelivered message) store one event. */
  idempotencyKey?: string;
  context?: RequestContext;
}

/**
 * Records something HyreLog itself did (key, webhook, export operations) in the company's own
 * audit log, through the ingest service as a system principal. The operation it describes is
 * already committed, so a failure here is logged loudly rather than undoing it.
 */
export async function recordAuditEvent(ingest: Client<typeof IngestService>, logger: Logger, record: AuditRecord): Promise<void> {
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
            oldValue: c.old === undefined ? undefined : { kind: { case: "stringValue", value: c.old } },
            newValue: c.new === undefined ? undefined : { kind: { case: "stringValue", value: c.new } },
          })),
        },
      ],
    });
  } catch (err) {
    logger.error("could not record an operation in the audit log", { action: record.action, targetId: record.target.id, err });
  }
}
