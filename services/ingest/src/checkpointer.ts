import { checkpointOrigin, formatCheckpoint, signCheckpoint, type RegionCode, type SigningKey } from "@hyrelog/core";
import { StoredTree, type Orm } from "@hyrelog/db";
import type { Counter, Gauge, Logger, Metrics } from "@hyrelog/runtime";

export interface CheckpointerOptions {
  orm: Orm;
  region: RegionCode;
  key: SigningKey;
  intervalMs: number;
  everyEvents: number;
  logger: Logger;
  /** Where the checkpoint lag is reported (see tick). */
  metrics?: Metrics;
  /**
   * Announces stored checkpoints (CHECKPOINT_PUBLISHED on JetStream); resolves once they are
   * accepted. Called after each commit, and again by the sweep for announcements a crash or an
   * outage left behind, so it must be idempotent (a fixed message id per checkpoint).
   */
  announce(checkpoints: PublishedCheckpoint[]): Promise<void>;
  /** Announcements older than this are swept (default 10 s). */
  announceRetryAfterMs?: number;
}

/** A stored checkpoint, as the verification API shows it. */
export interface PublishedCheckpoint {
  logId: string;
  companyId: string;
  treeSize: number;
  rootHash: string;
  createdAt: Date;
  keyName: string;
  signedNote: string;
}

/**
 * Signs checkpoints of every log that has grown: when it has grown by `everyEvents`, or its last
 * checkpoint is `intervalMs` old. Signing happens on this schedule, never per event. Several
 * replicas may run it: a transaction-level advisory lock lets one of them work at a time.
 */
export class Checkpointer {
  readonly #o: CheckpointerOptions;
  #timer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #sweeping: Promise<unknown> = Promise.resolve();
  readonly #lag: Gauge | undefined;
  readonly #due: Gauge | undefined;
  readonly #signed: Counter | undefined;

  constructor(options: CheckpointerOptions) {
    this.#o = options;
    this.#lag = options.metrics?.gauge(
      "hyrelog_checkpoint_lag_events",
      "At the last checkpointer tick of this replica: the most events any due log had beyond its last signed checkpoint (0 when none was due, or another replica held the lease; take max over replicas).",
    );
    this.#due = options.metrics?.gauge("hyrelog_checkpoint_due_logs", "At the last checkpointer tick of this replica: logs due for a checkpoint (at most 100 per tick).");
    this.#signed = options.metrics?.counter("hyrelog_checkpoints_signed_total", "Checkpoints signed and stored.");
  }

  /**
   * Publishes this key in signing_keys. A key seen for the first time takes over: the keys before
   * it stay listed (their checkpoints stay verifiable) with their end of validity. A replica that
   * restarts with an older key changes nothing.
   */
  async registerKey(): Promise<void> {
    const { key } = this.#o;
    await this.#o.orm.em.fork().transactional(async (tx) => {
      const inserted = await tx.execute<Array<{ key_id: string }>>(
        `insert into signing_keys (key_id, name, verifier_key) values (?, ?, ?) on conflict (key_id) do nothing returning key_id`,
        [key.keyId, key.name, key.verifierKey],
      );
      if (inserted.length) await tx.execute(`update signing_keys set valid_until = now() where key_id <> ? and valid_until is null`, [key.keyId]);
    });
  }

  start(): void {
    const tickMs = Math.min(1000, this.#o.intervalMs);
    this.#timer = setInterval(() => {
      this.#running = this.tick().catch((err) => this.#o.logger.warn("checkpointing failed; will retry", { err }));
    }, tickMs);
    this.#timer.unref();
    this.#sweepTimer = setInterval(() => {
      this.#sweeping = this.sweepAnnouncements().catch((err) => this.#o.logger.warn("announcing checkpoints failed; will retry", { err }));
    }, 5000);
    this.#sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#sweepTimer);
    await Promise.all([this.#running, this.#sweeping]);
  }

  /** Signs the checkpoints that are due; returns how many. */
  async tick(): Promise<number> {
    const { orm, region, key, intervalMs, everyEvents } = this.#o;
    const published: PublishedCheckpoint[] = [];
    const signedCount = await orm.em.fork().transactional(async (tx) => {
      const [lease] = await tx.execute<Array<{ locked: boolean }>>(`select pg_try_advisory_xact_lock(hashtext('hyrelog.checkpointer')) as locked`);
      if (!lease?.locked) {
        this.#lag?.set(0);
        this.#due?.set(0);
        return 0;
      }
      const due = await tx.execute<Array<{ log_id: string; company_id: string; sequence: string; tree_size: string }>>(
        `select h.log_id, h.company_id, h.sequence, coalesce(c.tree_size, 0) as tree_size
         from log_heads h
         left join lateral (
           select tree_size, created_at from checkpoints c where c.log_id = h.log_id order by tree_size desc limit 1
         ) c on true
         where h.sequence > coalesce(c.tree_size, 0)
           and (c.tree_size is null or h.sequence - c.tree_size >= ? or c.created_at < now() - make_interval(secs => ?))
         order by h.updated_at
         limit 100`,
        [everyEvents, intervalMs / 1000],
      );
      this.#due?.set(due.length);
      this.#lag?.set(due.reduce((max, log) => Math.max(max, Number(log.sequence) - Number(log.tree_size)), 0));
      let signed = 0;
      for (const log of due) {
        const treeSize = Number(log.sequence);
        const tree = new StoredTree(tx, log.log_id);
        let rootHash: string;
        try {
          await tree.index(treeSize);
          rootHash = await tree.root(treeSize);
        } catch (err) {
          // One log whose events cannot be read back (e.g. tampered) must not stop the others.
          this.#o.logger.error("cannot compute a log's tree; not signing it", { logId: log.log_id, treeSize, err });
          continue;
        }
        const createdAt = new Date();
        const body = formatCheckpoint({
          origin: checkpointOrigin(region, log.log_id),
          treeSize,
          rootHash,
          extensions: [`timestamp ${createdAt.toISOString()}`],
        });
        const signedNote = signCheckpoint(body, key);
        await tx.execute(
          `insert into checkpoints (log_id, company_id, tree_size, root_hash, created_at, signed_note, key_id) values (?, ?, ?, ?, ?, ?, ?)`,
          [log.log_id, log.company_id, treeSize, rootHash, createdAt, signedNote, key.keyId],
        );
        await tx.execute(`insert into checkpoint_announcements (log_id, tree_size) values (?, ?)`, [log.log_id, treeSize]);
        published.push({ logId: log.log_id, companyId: log.company_id, treeSize, rootHash, createdAt, keyName: key.name, signedNote });
        signed++;
      }
      return signed;
    });
    if (signedCount) this.#signed?.inc(signedCount);
    if (published.length) {
      await this.#announce(published).catch((err) => this.#o.logger.warn("could not announce checkpoints; the sweep will retry", { err }));
    }
    return signedCount;
  }

  /** Announces what earlier ticks stored but could not announce (crash, NATS outage). Returns how many. */
  async sweepAnnouncements(): Promise<number> {
    const minAgeSeconds = (this.#o.announceRetryAfterMs ?? 10_000) / 1000;
    return this.#o.orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<
        Array<{ log_id: string; company_id: string; tree_size: string; root_hash: string; created_at: Date; signed_note: string; key_name: string }>
      >(
        `select a.log_id, c.company_id, a.tree_size, c.root_hash, c.created_at, c.signed_note, k.name as key_name
         from checkpoint_announcements a
         join checkpoints c on c.log_id = a.log_id and c.tree_size = a.tree_size
         join signing_keys k on k.key_id = c.key_id
         where a.created_at < now() - make_interval(secs => ?)
         order by a.created_at
         limit 100
         for update of a skip locked`,
        [minAgeSeconds],
      );
      if (!rows.length) return 0;
      const checkpoints = rows.map((r) => ({
        logId: r.log_id,
        companyId: r.company_id,
        treeSize: Number(r.tree_size),
        rootHash: r.root_hash,
        createdAt: new Date(r.created_at),
        keyName: r.key_name,
        signedNote: r.signed_note,
      }));
      await this.#o.announce(checkpoints);
      await this.#forget(tx, checkpoints);
      return rows.length;
    });
  }

  async #announce(checkpoints: PublishedCheckpoint[]): Promise<void> {
    await this.#o.announce(checkpoints);
    await this.#forget(this.#o.orm.em.fork(), checkpoints);
  }

  async #forget(em: { execute: Orm["em"]["execute"] }, checkpoints: PublishedCheckpoint[]): Promise<void> {
    await em.execute(
      `delete from checkpoint_announcements a using jsonb_to_recordset(?::jsonb) as d(log_id uuid, tree_size bigint)
       where a.log_id = d.log_id and a.tree_size = d.tree_size`,
      [JSON.stringify(checkpoints.map((c) => ({ log_id: c.logId, tree_size: c.treeSize })))],
    );
  }
}
