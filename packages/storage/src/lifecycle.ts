import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  type S3Client,
  type TransitionDefaultMinimumObjectSize,
} from "@aws-sdk/client-s3";

/** The bucket's lifecycle rules as S3 holds them (none: an empty list). */
export interface BucketLifecycle {
  rules: LifecycleRule[];
  transitionDefaultMinimumObjectSize?: TransitionDefaultMinimumObjectSize;
}

/**
 * The configuration to write so that `rule` is in force: every other rule of the bucket kept
 * (the other services', the operator's), this one added or replaced by its ID. Null when the
 * bucket already has it as it is. `smallObjects`: transitions also move objects under 128 KiB
 * (S3's default since 2024 leaves them where they are; most archives are smaller).
 */
export function withLifecycleRule(current: BucketLifecycle, rule: LifecycleRule, o: { smallObjects?: boolean } = {}): BucketLifecycle | null {
  const minimum = o.smallObjects ? "varies_by_storage_class" : current.transitionDefaultMinimumObjectSize;
  const existing = current.rules.find((r) => r.ID === rule.ID);
  if (existing && sameJson(existing, rule) && minimum === current.transitionDefaultMinimumObjectSize) return null;
  return { rules: [...current.rules.filter((r) => r.ID !== rule.ID), rule], ...(minimum ? { transitionDefaultMinimumObjectSize: minimum } : {}) };
}

export async function readLifecycle(client: S3Client, bucket: string): Promise<BucketLifecycle> {
  try {
    const current = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return { rules: current.Rules ?? [], ...(current.TransitionDefaultMinimumObjectSize ? { transitionDefaultMinimumObjectSize: current.TransitionDefaultMinimumObjectSize } : {}) };
  } catch (err) {
    if ((err as { name?: string }).name === "NoSuchLifecycleConfiguration") return { rules: [] };
    throw err;
  }
}

/**
 * Makes `rule` one of the bucket's lifecycle rules (by its ID), keeping the others. S3 replaces a
 * bucket's whole lifecycle configuration at once, so two services writing their rules at the same
 * time could each drop the other's: the rule is read back after writing, and written again (over
 * the configuration as it then is) until it is there. Returns whether it wrote anything.
 */
export async function ensureLifecycleRule(client: S3Client, bucket: string, rule: LifecycleRule, o: { smallObjects?: boolean } = {}): Promise<boolean> {
  let wrote = false;
  for (let attempt = 1; ; attempt++) {
    const next = withLifecycleRule(await readLifecycle(client, bucket), rule, o);
    if (!next) return wrote;
    if (attempt > 5) throw new Error(`the lifecycle rule ${rule.ID} of bucket ${bucket} did not stay written (another writer replaced the configuration ${attempt - 1} times)`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: next.rules },
        ...(next.transitionDefaultMinimumObjectSize ? { TransitionDefaultMinimumObjectSize: next.transitionDefaultMinimumObjectSize } : {}),
      }),
    );
    wrote = true;
  }
}

/** Equal as JSON with keys in any order (S3 may list a rule's fields in another order than they were sent). */
function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}
