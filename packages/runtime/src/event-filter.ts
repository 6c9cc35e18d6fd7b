import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { EventFilterSchema, KeyScope, type EventFilter as EventFilterMessage, type Principal } from "@hyrelog/proto";
import { ERASED, parseTimestamp, textProblem, type ChainedEventFields, type TextKind, type Violation } from "@hyrelog/core";
import { invalidArgument } from "./errors.ts";
import type { Tenancy } from "./tenancy.ts";

/**
 * The filter of GET /v1/events: its fields, once. `text` fields match a column exactly and follow
 * the single-line text rule; `id` fields name a workspace or project of the caller's (checked by
 * Tenancy); `time` fields bound occurred_at. The names are the query parameters, the keys of an
 * export's `filters`, the stored copy in an export job and the fields of hyrelog.query.v1.EventFilter
 * (the type checker holds this list to that message).
 */
const FIELDS = {
  category: { kind: "text", column: "category" },
  action: { kind: "text", column: "action" },
  projectId: { kind: "id" },
  workspaceId: { kind: "id" },
  actorId: { kind: "text", column: "actor_id", rule: "multiline" },
  actorEmail: { kind: "text", column: "actor_email" },
  targetId: { kind: "text", column: "target_id", rule: "multiline" },
  targetType: { kind: "text", column: "target_type" },
  from: { kind: "time" },
  to: { kind: "time" },
} as const satisfies Record<Exclude<keyof EventFilterMessage, `$${string}`>, { kind: "text"; column: string; rule?: TextKind } | { kind: "id" | "time" }>;

export type EventFilterField = keyof typeof FIELDS;
type KindOf<K extends EventFilterField> = (typeof FIELDS)[K]["kind"];
/** The fields whose value is a string (text and ids). */
export type EventFilterStringField = { [K in EventFilterField]: KindOf<K> extends "time" ? never : K }[EventFilterField];
/** The bounds on occurredAt. */
export type EventFilterTimeField = { [K in EventFilterField]: KindOf<K> extends "time" ? K : never }[EventFilterField];

/** Every filter field, in the contract's order. */
export const EVENT_FILTER_FIELDS = Object.keys(FIELDS) as EventFilterField[];
const STRING_FIELDS = EVENT_FILTER_FIELDS.filter((f): f is EventFilterStringField => FIELDS[f].kind !== "time");
const TIME_FIELDS = EVENT_FILTER_FIELDS.filter((f): f is EventFilterTimeField => FIELDS[f].kind === "time");
const TEXT_FIELDS = EVENT_FILTER_FIELDS.flatMap((f) => (FIELDS[f].kind === "text" ? [f as EventFilterStringField] : []));
const isField = (k: string): k is EventFilterField => Object.hasOwn(FIELDS, k);
/** The text rule of the event field a filter matches (packages/core/src/input-rules.ts). */
const ruleOf = (f: EventFilterField): TextKind => {
  const field = FIELDS[f];
  return "rule" in field ? field.rule : "line";
};

/** The JSON form: an export's `filters` and the copy an export job stores (times as RFC 3339 text). */
export type EventFilterJson = Partial<Record<EventFilterField, string>>;

const TIMESTAMP_EXAMPLE = 'must be an RFC 3339 timestamp such as "2026-01-31T00:00:00Z"';
/** google.protobuf.Timestamp's own range, which RFC 3339 text (and so the stored copy) can always spell. */
const TIMESTAMP_RANGE = [Date.parse("0001-01-01T00:00:00Z"), Date.parse("9999-12-31T23:59:59.999Z")] as const;

/** Where the conditions of a read of audit_events come from: the caller's scope, then its filter. */
export interface EventConditions {
  where: string[];
  params: unknown[];
}

/**
 * The event filter in every form it takes: query string (GET /v1/events), JSON (an export's
 * `filters`, the job's stored copy), the contract's message, and the SQL conditions every reader
 * of audit_events uses (query, exports), so an export holds exactly the rows the query API lists.
 * Each `from*` reports bad input as violations naming the field (`path` prefixes it: "filters").
 * Empty strings mean "not set", as in the contract.
 */
export class EventFilter {
  readonly #strings: Partial<Record<EventFilterStringField, string>>;
  readonly #times: Partial<Record<EventFilterTimeField, Date>>;

  private constructor(strings: Partial<Record<EventFilterStringField, string>>, times: Partial<Record<EventFilterTimeField, Date>>) {
    this.#strings = strings;
    this.#times = times;
  }

  /** No filter: every event in scope. */
  static none(): EventFilter {
    return new EventFilter({}, {});
  }

  /** The query parameters of GET /v1/events (each one's first value; empty means not set). */
  static fromQuery(q: URLSearchParams, out: Violation[]): EventFilter {
    const strings: Partial<Record<EventFilterStringField, string>> = {};
    const times: Partial<Record<EventFilterTimeField, Date>> = {};
    for (const f of STRING_FIELDS) {
      const v = q.get(f);
      if (v) strings[f] = v;
    }
    for (const f of TIME_FIELDS) {
      const raw = q.get(f);
      if (!raw) continue;
      const d = parseTimestamp(raw);
      if (d) times[f] = d;
      else out.push({ field: f, description: TIMESTAMP_EXAMPLE });
    }
    return new EventFilter(strings, times);
  }

  /**
   * A JSON object with the query parameters of GET /v1/events as keys (`null` or absent: no
   * filter). Unknown keys, non-strings and times that are not RFC 3339 are violations under `path`.
   */
  static fromJson(json: unknown, path: string, out: Violation[]): EventFilter {
    const strings: Partial<Record<EventFilterStringField, string>> = {};
    const times: Partial<Record<EventFilterTimeField, Date>> = {};
    const at = (k: string) => (path ? `${path}.${k}` : k);
    if (json === undefined || json === null) return new EventFilter(strings, times);
    if (typeof json !== "object" || Array.isArray(json)) {
      out.push({ field: path || "filter", description: "must be an object with the query parameters of GET /v1/events" });
      return new EventFilter(strings, times);
    }
    for (const [k, v] of Object.entries(json)) {
      if (!isField(k)) {
        out.push({ field: at(k), description: `is not a filter of GET /v1/events (${EVENT_FILTER_FIELDS.join(", ")})` });
      } else if (FIELDS[k].kind === "time") {
        const d = parseTimestamp(v);
        if (d) times[k as EventFilterTimeField] = d;
        else out.push({ field: at(k), description: TIMESTAMP_EXAMPLE });
      } else if (typeof v !== "string") {
        out.push({ field: at(k), description: "must be a string" });
      } else if (v) {
        strings[k as EventFilterStringField] = v;
      }
    }
    return new EventFilter(strings, times);
  }

  /** The contract's message; a timestamp outside google.protobuf.Timestamp's range is a violation. */
  static fromProto(m: EventFilterMessage | undefined, out: Violation[]): EventFilter {
    const strings: Partial<Record<EventFilterStringField, string>> = {};
    const times: Partial<Record<EventFilterTimeField, Date>> = {};
    if (!m) return new EventFilter(strings, times);
    for (const f of STRING_FIELDS) if (m[f]) strings[f] = m[f];
    for (const f of TIME_FIELDS) {
      const t: Timestamp | undefined = m[f];
      if (!t) continue;
      const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
      if (t.nanos < 0 || t.nanos > 999_999_999 || !(ms >= TIMESTAMP_RANGE[0] && ms <= TIMESTAMP_RANGE[1])) {
        out.push({ field: f, description: "must be a timestamp from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z" });
      } else {
        times[f] = timestampDate(t);
      }
    }
    return new EventFilter(strings, times);
  }

  /** The JSON form: only the fields that are set, times as ISO 8601 UTC text. */
  toJson(): EventFilterJson {
    const out: EventFilterJson = {};
    for (const f of EVENT_FILTER_FIELDS) {
      const v = FIELDS[f].kind === "time" ? this.#times[f as EventFilterTimeField]?.toISOString() : this.#strings[f as EventFilterStringField];
      if (v) out[f] = v;
    }
    return out;
  }

  toProto(): EventFilterMessage {
    const m = create(EventFilterSchema, this.#strings);
    for (const f of TIME_FIELDS) {
      const d = this.#times[f];
      if (d) m[f] = timestampFromDate(d);
    }
    return m;
  }

  /** The workspace the filter names, or "". */
  get workspaceId(): string {
    return this.#strings.workspaceId ?? "";
  }

  /**
   * The full condition set of GET /v1/events for this principal: its scope (Tenancy.readScope),
   * then the filter. Text values follow the text rule of the fields they match (a value
   * no event can hold is a mistake worth naming, not an empty page); a project must be one of the
   * principal's (its workspace's, for a workspace key), another company's is NOT_FOUND; `from`
   * must be before `to`.
   */
  async conditions(tenancy: Tenancy, p: Principal | undefined, blindIndex?: BlindIndex): Promise<EventConditions> {
    const { where, params } = await eventScope(tenancy, p, this.workspaceId);
    const principal = p!;
    requireFilterText(TEXT_FIELDS.map((f) => [f, this.#strings[f] ?? "", ruleOf(f)]));
    for (const f of TEXT_FIELDS) {
      const value = this.#strings[f];
      if (value && f === "actorEmail" && blindIndex) {
        // Sealed (v2) events are found by the email's blind index, v1 events by the email itself.
        where.push("(actor_email = ? or actor_email_index = ?)");
        params.push(value, blindIndex.emailIndex(principal.companyId, value));
      } else if (value) {
        where.push(`${(FIELDS[f] as { column: string }).column} = ?`);
        params.push(value);
      }
    }
    const projectId = this.#strings.projectId;
    if (projectId) {
      const workspace = principal.scope === KeyScope.WORKSPACE ? principal.workspaceId : this.workspaceId || undefined;
      await tenancy.requireProject(principal.companyId, projectId, workspace);
      where.push("project_id = ?");
      params.push(projectId);
    }
    const { from, to } = this.#times;
    if (from && to && from >= to) throw invalidArgument("empty time range", [{ field: "from", description: "must be before to" }]);
    if (from) {
      where.push("occurred_at >= ?");
      params.push(from.toISOString());
    }
    if (to) {
      where.push("occurred_at < ?");
      params.push(to.toISOString());
    }
    return { where, params };
  }

  /**
   * The same conditions checked in memory, for events read from the event stream (live tail):
   * validated exactly as conditions() validates (the same errors), scope first. Text fields match
   * the stored form; `actorEmail` matches a version 1 event's email exactly and a sealed (version 2)
   * event's opened email by blind index, as PostgreSQL compares actor_email_index.
   */
  async matcher(tenancy: Tenancy, p: Principal | undefined, blindIndex: BlindIndex): Promise<EventMatcher> {
    await this.conditions(tenancy, p, blindIndex);
    const { reader, workspaceId } = await tenancy.readScope(p, this.workspaceId);
    const companyId = reader.companyId;
    const s = this.#strings;
    const { from, to } = this.#times;
    const [fromMs, toMs] = [from?.getTime(), to?.getTime()];
    const email = s.actorEmail;
    const emailIndex = email ? blindIndex.emailIndex(companyId, email) : "";
    return {
      companyId,
      workspaceId,
      needsOpened: (e) => !!email && (e.v ?? 1) >= 2,
      matches(e, openedEmail) {
        if (e.companyId !== companyId || (workspaceId && e.workspaceId !== workspaceId)) return false;
        if ((s.category && e.category !== s.category) || (s.action && e.action !== s.action)) return false;
        if ((s.actorId && e.actor.id !== s.actorId) || (s.targetId && e.target.id !== s.targetId) || (s.targetType && e.target.type !== s.targetType)) return false;
        if (s.projectId && e.projectId !== s.projectId) return false;
        if (fromMs !== undefined || toMs !== undefined) {
          const at = Date.parse(e.occurredAt);
          if ((fromMs !== undefined && at < fromMs) || (toMs !== undefined && at >= toMs)) return false;
        }
        if (email) {
          if ((e.v ?? 1) < 2) return e.actor.email === email;
          if (typeof openedEmail !== "string" || openedEmail === ERASED) return false;
          return blindIndex.emailIndex(companyId, openedEmail) === emailIndex;
        }
        return true;
      },
    };
  }
}

/** The fields of an event a filter looks at (stored or API form). */
export type MatchableEvent = Pick<ChainedEventFields, "v" | "companyId" | "workspaceId" | "projectId" | "category" | "action" | "actor" | "target" | "occurredAt">;

/** EventFilter.matcher: the scope and filter of a reader, checked in memory. */
export interface EventMatcher {
  companyId: string;
  /** The one workspace read, or null: the whole company, its own log included. */
  workspaceId: string | null;
  /** Whether matches() needs the event's opened actor email (an `actorEmail` filter and a sealed event). */
  needsOpened(e: MatchableEvent): boolean;
  matches(e: MatchableEvent, openedEmail?: string | null): boolean;
}

/** Finds sealed events by email (SubjectKeyStore): without it, `actorEmail` matches only v1 events. */
export interface BlindIndex {
  emailIndex(companyId: string, email: string): string;
}

/** Conditions that confine a principal to what it may read (Tenancy.readScope): company, and a workspace. */
export async function eventScope(tenancy: Tenancy, p: Principal | undefined, workspaceFilter: string): Promise<EventConditions> {
  const { reader, workspaceId } = await tenancy.readScope(p, workspaceFilter);
  const where = ["company_id = ?"];
  const params: unknown[] = [reader.companyId];
  if (workspaceId) {
    where.push("workspace_id = ?");
    params.push(workspaceId);
  }
  return { where, params };
}

/**
 * Filter values follow the rule of the fields they match (single-line text): a value no event
 * can hold (NUL, a control character, a lone surrogate) is a mistake worth naming, not an empty page.
 */
export function requireFilterText(fields: Array<[field: string, value: string, rule?: TextKind]>): void {
  const violations = fields.flatMap(([field, value, rule]) => {
    const problem = value ? textProblem(value, rule) : null;
    return problem ? [{ field, description: problem }] : [];
  });
  if (violations.length) throw invalidArgument("invalid filter", violations);
}
