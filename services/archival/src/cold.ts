import { GetObjectTaggingCommand, PutObjectTaggingCommand, type LifecycleRule, type S3Client } from "@aws-sdk/client-s3";
import type { Orm } from "@hyrelog/db";
import { ensureLifecycleRule } from "@hyrelog/storage";

/** The tag cold marking puts on an archive's object; the bucket's lifecycle rule moves what carries it. */
export const COLD_TAG = { Key: "hyrelog-storage", Value: "cold" } as const;
export const ARCHIVES_PREFIX = "archives/";
export const COLD_RULE_ID = "hyrelog-archives-cold";

export interface ColdResult extends Record<string, unknown> {
  /** Archives marked cold by this run. */
  marked: number;
  /** Archives whose object could not be tagged: they stay as they were and are tried again next run. */
  failed: number;
  failures: Array<{ archiveId: string; error: string }>;
}

/**
 * The bucket's lifecycle rule for cold archives: objects under `archives/` tagged cold move to
 * `storageClass` (S3 runs lifecycle rules once a day). Objects under 128 KiB move too (most
 * archives are smaller; S3's default since 2024 would keep them where they are).
 */
export function coldRule(storageClass: string): LifecycleRule {
  return {
    ID: COLD_RULE_ID,
    Status: "Enabled",
    Filter: { And: { Prefix: ARCHIVES_PREFIX, Tags: [{ ...COLD_TAG }] } },
    Transitions: [{ Days: 0, StorageClass: storageClass as "GLACIER" }],
  };
}

/**
 * At the archival service's start with ARCHIVAL_COLD_STORAGE=s3: the bucket has the cold rule
 * (the bucket's other rules are kept). A bucket that refuses it stops the start with the reason.
 */
export async function ensureColdRule(s3: S3Client, bucket: string, storageClass: string): Promise<boolean> {
  try {
    return await ensureLifecycleRule(s3, bucket, coldRule(storageClass), { smallObjects: true });
  } catch (err) {
    const e = err as { name?: string; message?: string };
    throw new Error(
      `ARCHIVAL_COLD_STORAGE=s3: could not set the lifecycle rule ${COLD_RULE_ID} of bucket ${bucket} (${e.name ?? "error"}: ${e.message ?? ""}). ` +
        `The archival service needs s3:GetLifecycleConfiguration and s3:PutLifecycleConfiguration on the bucket; ` +
        `against S3-compatible storage without lifecycle transitions (s3rver, MinIO without tiers) set ARCHIVAL_COLD_STORAGE=simulate`,
      { cause: err },
    );
  }
}

/**
 * Cold marking: a verified archive older than its company's `coldArchiveAfterDays` (plans with
 * the coldStorage feature; overrides apply) is tagged cold in the bucket (`hyrelog-storage=cold`,
 * other tags kept), then recorded with the cold storage class. With ARCHIVAL_COLD_STORAGE=s3 the
 * bucket's lifecycle rule (ensureColdRule) moves the tagged object; what is recorded here is what
 * archived exports and restores go by from now on. Unverified archives stay where they are. An
 * archive whose object cannot be tagged is not recorded cold and is tried again by the next run.
 */
export async function markCold(o: { orm: Orm; s3: S3Client; bucket: string; storageClass: string }, asOf: Date): Promise<ColdResult> {
  const em = o.orm.em.fork();
  const due = await em.execute<Array<{ id: string; object_key: string }>>(
    `with plan as (
       select c.id as company_id,
              coalesce((c.plan_overrides -> 'features' ->> 'coldStorage')::boolean, (p.features ->> 'coldStorage')::boolean, false) as cold_storage,
              coalesce((c.plan_overrides ->> 'coldArchiveAfterDays')::int, p.cold_archive_after_days) as after_days
       from companies c join plans p on p.tier = c.plan_tier
     )
     select a.id, a.object_key
     from archive_objects a join plan using (company_id)
     where plan.cold_storage and plan.after_days is not null
       and a.cold_at is null and a.deleted_at is null and a.verified_at is not null
       and a.created_at <= ?::timestamptz - make_interval(days => plan.after_days)
     order by a.created_at`,
    [asOf],
  );
  const result: ColdResult = { marked: 0, failed: 0, failures: [] };
  for (const a of due) {
    try {
      await tagCold(o.s3, o.bucket, a.object_key);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      result.failed++;
      result.failures.push({ archiveId: a.id, error: `the object ${a.object_key} could not be tagged: ${e.name ?? "error"}${e.message && e.message !== e.name ? ` (${e.message})` : ""}` });
      continue;
    }
    const marked = await em.execute(`update archive_objects set storage_class = ?, cold_at = ? where id = ? and cold_at is null and deleted_at is null returning id`, [o.storageClass, asOf, a.id]);
    result.marked += marked.length;
  }
  return result;
}

/** Adds the cold tag to an object, keeping its other tags (PutObjectTagging replaces the whole set). */
async function tagCold(s3: S3Client, bucket: string, key: string): Promise<void> {
  const current = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  const others = (current.TagSet ?? []).filter((t) => t.Key !== COLD_TAG.Key);
  await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [...others, { ...COLD_TAG }] } }));
}
