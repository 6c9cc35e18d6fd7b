import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { HyrelogConfig } from "@hyrelog/config";
import { textProblem, type Violation } from "@hyrelog/core";
import type { Orm } from "@hyrelog/db";
import { RetentionPolicySchema, type IngestService, type Principal, type RetentionClass, type RetentionPolicy } from "@hyrelog/proto";
import { companyPlan, invalidArgument, recordAuditEvent, regionToProto, requireCompanyPrincipal, type Logger } from "@hyrelog/runtime";

/** The most classes a company may define. */
const MAX_CLASSES = 50;
/** As long as an event's category may be (services/ingest LIMITS.categoryLength). */
const CATEGORY_LENGTH = 100;

/**
 * Retention classes: categories whose events stay hot for their own number of days instead of the
 * plan's hot retention (retention marking reads them). A class may keep events hot for as long as
 * the plan keeps archives (its archive retention), and a company defines at most 50.
 */
export class RetentionClasses {
  readonly #d: { orm: Orm; config: HyrelogConfig; ingest: Client<typeof IngestService>; logger: Logger };

  constructor(deps: { orm: Orm; config: HyrelogConfig; ingest: Client<typeof IngestService>; logger: Logger }) {
    this.#d = deps;
  }

  async get(p: Principal | undefined): Promise<RetentionPolicy> {
    return this.#policy(companyOf(p));
  }

  async set(p: Principal | undefined, classes: readonly RetentionClass[], actor: string): Promise<RetentionPolicy> {
    const companyId = companyOf(p);
    const before = await this.#policy(companyId);
    const violations: Violation[] = [];
    if (classes.length > MAX_CLASSES) violations.push({ field: "classes", description: `must have at most ${MAX_CLASSES} entries (got ${classes.length})` });
    const seen = new Set<string>();
    classes.forEach((c, i) => {
      const problem = !c.category ? "is required" : c.category.length > CATEGORY_LENGTH ? `must be at most ${CATEGORY_LENGTH} characters` : textProblem(c.category, "line");
      if (problem) violations.push({ field: `classes[${i}].category`, description: problem });
      else if (seen.has(c.category)) violations.push({ field: `classes[${i}].category`, description: "is listed twice" });
      seen.add(c.category);
      if (!Number.isInteger(c.hotRetentionDays) || c.hotRetentionDays < 1 || c.hotRetentionDays > before.maxHotRetentionDays) {
        violations.push({ field: `classes[${i}].hotRetentionDays`, description: `must be a whole number of days from 1 to ${before.maxHotRetentionDays} (the plan's archive retention)` });
      }
    });
    if (violations.length) throw invalidArgument("invalid retention classes", violations);
    await this.#d.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`delete from retention_classes where company_id = ?`, [companyId]);
      for (const c of classes) {
        await tx.execute(`insert into retention_classes (company_id, category, hot_retention_days) values (?, ?, ?)`, [companyId, c.category, c.hotRetentionDays]);
      }
    });
    const after = await this.#policy(companyId);
    const summary = (policy: RetentionPolicy) => policy.classes.map((c) => `${c.category}=${c.hotRetentionDays}d`).join(", ") || "none";
    await recordAuditEvent(this.#d.ingest, this.#d.logger, {
      companyId,
      region: regionToProto(this.#d.config.region),
      category: "archive",
      action: "retention.classes_changed",
      actor: { id: actor || p!.keyId, type: "user" },
      target: { id: companyId, type: "company" },
      changes: [{ field: "retentionClasses", old: summary(before), new: summary(after) }],
    });
    return after;
  }

  async #policy(companyId: string): Promise<RetentionPolicy> {
    const plan = await companyPlan(this.#d.orm, companyId);
    if (!plan) throw new ConnectError(`company ${companyId} not found`, Code.NotFound);
    const [limits] = await this.#d.orm.em.fork().execute<Array<{ days: number }>>(
      `select coalesce((c.plan_overrides ->> 'archiveRetentionDays')::int, p.archive_retention_days) as days from companies c join plans p on p.tier = c.plan_tier where c.id = ?`,
      [companyId],
    );
    const rows = await this.#d.orm.em.fork().execute<Array<{ category: string; hot_retention_days: number }>>(
      `select category, hot_retention_days from retention_classes where company_id = ? order by category`,
      [companyId],
    );
    return create(RetentionPolicySchema, {
      classes: rows.map((r) => ({ category: r.category, hotRetentionDays: r.hot_retention_days })),
      defaultHotRetentionDays: plan.retentionDays,
      maxHotRetentionDays: Math.max(plan.retentionDays, limits!.days),
    });
  }
}

function companyOf(p: Principal | undefined): string {
  return requireCompanyPrincipal(p, "retention classes are set for a company (the dashboard)").companyId;
}
