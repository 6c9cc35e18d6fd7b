import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { PlanLimitSchema } from "@hyrelog/proto";
import type { Orm } from "@hyrelog/db";
import { companyPlan, planTierToProto } from "@hyrelog/runtime";

/** How long a company's quota and month count are trusted before they are read again. */
export const QUOTA_TTL_MS = 1_000;
const MAX_CACHED = 50_000;

interface Entry {
  month: string;
  tier: string;
  /** null: unlimited (ENTERPRISE, or a monthlyEventQuota override of null). */
  quota: number | null;
  used: number;
  until: number;
}

/**
 * The monthly event quota of a company's plan (plans.monthly_event_quota, replaced by a
 * monthlyEventQuota override), against the events counted this UTC month in usage_daily (kept by
 * the audit_events trigger, migration 0011). Read at most once a second per company, plus what
 * this process stored since. The check is before the write and not under a lock, so concurrent
 * requests (on this replica within one read, or on other replicas within QUOTA_TTL_MS) can each
 * pass and overshoot the quota by what they carry; the next read sees the true count and refuses.
 */
export class MonthlyQuota {
  readonly #orm: Orm;
  readonly #cache = new Map<string, Entry>();

  constructor(orm: Orm) {
    this.#orm = orm;
  }

  /** RESOURCE_EXHAUSTED (HTTP 429 plan_limit) when `count` more events would pass the quota; nothing is stored then. */
  async check(companyId: string, count: number, now = new Date()): Promise<void> {
    const month = now.toISOString().slice(0, 7);
    let e = this.#cache.get(companyId);
    if (!e || e.until <= now.getTime() || e.month !== month) {
      e = await this.#read(companyId, month, now.getTime());
      if (!e) return; // no such company: the ownership check answers
    }
    if (e.quota === null || e.used + count <= e.quota) return;
    const resets = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    const left = Math.max(0, e.quota - e.used);
    throw new ConnectError(
      `monthly event quota reached: the ${e.tier} plan of this company allows ${e.quota} events per calendar month (UTC), ` +
        `${e.used} are stored this month, and this request carries ${count} (${left} left); nothing was stored. ` +
        `The quota resets at ${resets}; a plan change or a monthlyEventQuota override raises it.`,
      Code.ResourceExhausted,
      undefined,
      [{ desc: PlanLimitSchema, value: create(PlanLimitSchema, { plan: planTierToProto(e.tier), limit: "monthlyEventQuota", value: String(e.quota) }) }],
    );
  }

  /** Events this process just stored for the company: counted until the next read. */
  stored(companyId: string, count: number): void {
    const e = this.#cache.get(companyId);
    if (e) e.used += count;
  }

  async #read(companyId: string, month: string, now: number): Promise<Entry | undefined> {
    const plan = await companyPlan(this.#orm, companyId);
    if (!plan) return undefined;
    const [usage] = await this.#orm.em
      .fork()
      .execute<Array<{ used: string }>>(`select coalesce(sum(events), 0)::text as used from usage_daily where company_id = ? and day >= ?::date`, [companyId, `${month}-01`]);
    const quota = plan.monthlyEventQuota;
    const e: Entry = { month, tier: plan.tier, quota: quota === null ? null : Number(quota), used: Number(usage!.used), until: now + QUOTA_TTL_MS };
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(companyId, e);
    return e;
  }
}
