/**
 * Realistic audit events for the bench: the JSON a client POSTs, and the audit_events row the
 * ingest writer would store for it (for the raw COPY baseline, so both carry the same columns and
 * JSON sizes).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";

export interface Tenant {
  companyId: string;
  workspaceId: string;
  projectId: string;
}

/** Sent as User-Agent by every bench request; the gateway stores it with each event. */
export const USER_AGENT = "hyrelog-node/1.4.2 (linux x64)";

const ACTIONS: Array<[category: string, action: string]> = [
  ["user", "user.login"],
  ["user", "user.role_changed"],
  ["document", "document.updated"],
  ["document", "document.shared"],
  ["billing", "invoice.paid"],
  ["billing", "subscription.updated"],
  ["settings", "sso.configured"],
  ["api", "api_key.created"],
];

const SOURCES = ["web", "api", "mobile", "scim"];
const ROLES = ["viewer", "editor", "admin"];

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

export interface ApiEvent {
  category: string;
  action: string;
  actor: { id: string; type: string; email: string; name: string };
  target: { id: string; type: string; name: string };
  projectId?: string;
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  metadata: Record<string, unknown>;
  occurredAt: string;
}

/** Event number `n` (ids vary with n); `action` overrides the rotating action. */
export function apiEvent(n: number, projectId: string | undefined, action?: string): ApiEvent {
  const [category, act] = ACTIONS[n % ACTIONS.length]!;
  const user = (n * 7919) % 50_000;
  const seats = n % 97;
  return {
    category,
    action: action ?? act,
    actor: { id: `usr_${hex(user, 8)}`, type: "user", email: `jane.doe+${user}@example.com`, name: `Jane Doe ${user}` },
    target: { id: `doc_${hex(n, 10)}`, type: "document", name: `Quarterly report ${n % 1000}` },
    ...(projectId ? { projectId } : {}),
    changes: [
      { field: "role", old: ROLES[n % 3], new: ROLES[(n + 1) % 3] },
      { field: "seats", old: seats, new: seats + 1 },
    ],
    metadata: { source: SOURCES[n % SOURCES.length], sessionId: `sess_${hex((n * 2654435761) >>> 0, 8)}${hex(n, 8)}`, client: "web/4.12.1" },
    occurredAt: new Date().toISOString(),
  };
}

/** A time-ordered UUID (version 7 layout: 48-bit milliseconds, then random bits). */
export function uuidv7(ms = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** COPY text format: \N for null; backslash, tab, newline and carriage return escaped. */
function copyField(v: string | number | null): string {
  if (v === null) return "\\N";
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : s;
}

export const COPY_COLUMNS =
  "id, company_id, workspace_id, log_id, project_id, sequence, prev_hash, hash, occurred_at, received_at, " +
  "category, action, actor_id, actor_type, actor_email, actor_name, target_id, target_type, target_name, " +
  "changes, metadata, ip, user_agent, trace_id, request_id, idempotency_key";

/** The audit_events row (COPY text line) the ingest writer stores for apiEvent(n). */
export function copyRow(n: number, t: Tenant, sequence: number): string {
  const e = apiEvent(n, t.projectId);
  const now = new Date().toISOString();
  const hash = createHash("sha256").update(String(n)).digest("hex");
  return [
    uuidv7(),
    t.companyId,
    t.workspaceId,
    t.workspaceId,
    t.projectId,
    sequence,
    hash,
    hash,
    e.occurredAt,
    now,
    e.category,
    e.action,
    e.actor.id,
    e.actor.type,
    e.actor.email,
    e.actor.name,
    e.target.id,
    e.target.type,
    e.target.name,
    JSON.stringify(e.changes),
    JSON.stringify(e.metadata),
    "127.0.0.1",
    USER_AGENT,
    randomBytes(16).toString("hex"),
    randomUUID(),
    null,
  ]
    .map(copyField)
    .join("\t");
}
