import { randomBytes } from "node:crypto";
import { AckPolicy, type Consumer, type JsMsg } from "@nats-io/jetstream";
import { jetstreamManager } from "@nats-io/jetstream";
import { inMessageSpan, jobSubject, jobsStreamName } from "@hyrelog/bus";
import type { Logger } from "@hyrelog/runtime";
import { TERMINAL_STATUSES, type JobContext, type JobRecord, type JobType } from "./job-type.ts";
import { jobMetrics, type JobStates } from "./metrics.ts";
import { publishJob, type JobSystemOptions } from "./queue.ts";
import { JobStore } from "./store.ts";

export interface JobWorkerOptions extends JobSystemOptions {
  logger: Logger;
  // Any job type: the worker only needs their names, limits and run functions.
  types: Array<JobType<never, Record<string, unknown>>>;
  /** Attempts run at once by this worker, per type. */
  concurrency?: number;
  /**
   * How long a job stays with a worker that stops heartbeating (crash, partition) before another
   * worker may take it; also the JetStream ack wait. Heartbeats renew it well before it runs out.
   */
  leaseMs?: number;
  /** Delay before a failed attempt is retried, times the attempt number. */
  retryDelayMs?: number;
}

/** Why an attempt stopped before finishing. */
class AttemptAborted extends Error {
  readonly kind: "timeout" | "lost" | "shutdown";
  constructor(kind: "timeout" | "lost" | "shutdown", message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * Runs jobs handed out by the region's JetStream work queue: one durable pull consumer per job
 * type, shared by every replica. Per message it claims the row (a conditional UPDATE: attempts+1,
 * PROCESSING, lease), runs the attempt with a timeout, heartbeats (lease, progress, JetStream
 * "working"), then completes, retries or fails the job. A crashed worker's message is redelivered
 * after the ack wait and its job taken over once the lease has run out.
 */
export class JobWorker {
  readonly #opts: Required<Omit<JobWorkerOptions, keyof JobSystemOptions>> & JobSystemOptions;
  readonly #store: JobStore;
  readonly #entered: JobStates;
  readonly #owner = `${process.pid}-${randomBytes(4).toString("hex")}`;
  readonly #running = new Set<AbortController>();
  readonly #loops: Promise<void>[] = [];
  #stopping = false;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(opts: JobWorkerOptions) {
    this.#opts = { concurrency: 1, leaseMs: 30_000, retryDelayMs: 2_000, ...opts };
    this.#store = new JobStore(opts.orm);
    this.#entered = jobMetrics(opts.metrics, this.#store);
  }

  get #log(): Logger {
    return this.#opts.logger;
  }

  async start(): Promise<void> {
    const { bus, natsPrefix, region, leaseMs } = this.#opts;
    const jsm = await jetstreamManager(bus.nc);
    const stream = jobsStreamName(natsPrefix, region);
    for (const type of this.#opts.types) {
      const name = `${type.name}-workers`;
      const config = {
        durable_name: name,
        filter_subject: jobSubject(natsPrefix, region, type.name),
        ack_policy: AckPolicy.Explicit,
        ack_wait: leaseMs * 1e6,
        // The job row decides how often a job runs, not the delivery count.
        max_deliver: -1,
      };
      try {
        await jsm.consumers.add(stream, config);
      } catch {
        // Exists with other settings (e.g. a changed lease): adopt this process's.
        await jsm.consumers.update(stream, name, { ack_wait: config.ack_wait });
      }
      const consumer = await bus.js.consumers.get(stream, name);
      for (let i = 0; i < this.#opts.concurrency; i++) this.#loops.push(this.#loop(type, consumer));
    }
    this.#sweepTimer = setInterval(() => void this.#requeueStale(), leaseMs);
    this.#sweepTimer.unref();
  }

  /** Stops taking jobs; running attempts are aborted and handed back without using up an attempt. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#sweepTimer);
    for (const c of this.#running) c.abort(new AttemptAborted("shutdown", "the worker stopped"));
    await Promise.all(this.#loops);
  }

  async #loop(type: JobType<never, Record<string, unknown>>, consumer: Consumer): Promise<void> {
    while (!this.#stopping) {
      let msg: JsMsg | null = null;
      try {
        msg = await consumer.next({ expires: 1000 });
      } catch (err) {
        if (this.#stopping) return;
        this.#log.warn("job consumer failed; retrying", { type: type.name, err });
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!msg) continue;
      // Arrived while stopping (e.g. the job this worker just handed back): leave it to another worker.
      if (this.#stopping) {
        msg.nak();
        return;
      }
      // In the trace of the request that created the job (the message's traceparent).
      await inMessageSpan(`job ${type.name}`, msg.headers, () => this.#handle(type, msg)).catch((err) => {
        this.#log.error("job handling failed", { type: type.name, err });
        msg.nak(this.#opts.retryDelayMs);
      });
    }
  }

  async #handle(type: JobType<never, Record<string, unknown>>, msg: JsMsg): Promise<void> {
    const { jobId } = JSON.parse(new TextDecoder().decode(msg.data)) as { jobId: string };
    const job = await this.#store.claim(jobId, this.#owner, this.#opts.leaseMs);
    if (!job) return this.#unclaimable(jobId, msg);
    this.#entered(job.type, "PROCESSING");
    await this.#attempt(type, job, msg);
  }

  /** The message names a job this worker cannot take now: finished, held by a live worker, or out of attempts. */
  async #unclaimable(jobId: string, msg: JsMsg): Promise<void> {
    const job = await this.#store.get(jobId);
    if (!job || TERMINAL_STATUSES.includes(job.status)) return msg.ack();
    if (job.status === "PROCESSING" && job.leaseExpiresAt && job.leaseExpiresAt.getTime() > Date.now()) {
      // Another worker holds it; look again when its lease would have run out.
      return msg.nak(Math.max(100, job.leaseExpiresAt.getTime() - Date.now() + 100));
    }
    // Lease gone and no attempts left: the last attempt's worker vanished.
    const status = await this.#store.failExpired(jobId, `attempt ${job.attempts} of ${job.maxAttempts} did not finish: its worker stopped responding or timed out`);
    if (status) this.#entered(job.type, status);
    if (status === "PENDING") return msg.nak(this.#opts.retryDelayMs);
    msg.ack();
  }

  async #attempt(type: JobType<never, Record<string, unknown>>, job: JobRecord<Record<string, unknown>, string | null>, msg: JsMsg): Promise<void> {
    const { leaseMs } = this.#opts;
    const controller = new AbortController();
    this.#running.add(controller);
    const log = this.#log.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
    let done = 0;
    let total: number | null = job.progressTotal;
    const ctx: JobContext = {
      signal: controller.signal,
      attempt: job.attempts,
      logger: log,
      progress: (d, t) => {
        done = d;
        if (t !== undefined) total = t;
      },
    };
    const timeout = setTimeout(
      () => controller.abort(new AttemptAborted("timeout", `attempt ${job.attempts} timed out after ${job.timeoutMs} ms`)),
      job.timeoutMs,
    );
    // Often enough that a cancel is noticed within seconds and the lease never lapses while alive.
    const heartbeat = setInterval(() => {
      msg.working();
      this.#store.heartbeat(job.id, this.#owner, leaseMs, done, total).then(
        (mine) => {
          if (!mine) controller.abort(new AttemptAborted("lost", "the job was cancelled or taken over"));
        },
        (err) => log.warn("job heartbeat failed", { err }),
      );
    }, Math.min(leaseMs / 3, 2000));
    try {
      const result = await untilAborted(type.run(job as never, ctx), controller.signal);
      if (await this.#store.complete(job.id, this.#owner, result, done)) {
        this.#entered(job.type, "COMPLETED");
        log.info("job completed");
      }
      msg.ack();
    } catch (thrown) {
      const err = controller.signal.aborted ? controller.signal.reason : thrown;
      if (err instanceof AttemptAborted && err.kind === "lost") {
        const now = await this.#store.get(job.id);
        if (now && TERMINAL_STATUSES.includes(now.status)) msg.term();
        log.info("attempt stopped", { reason: err.message });
      } else if (err instanceof AttemptAborted && err.kind === "shutdown") {
        await this.#store.release(job.id, this.#owner, `attempt ${job.attempts} was interrupted by a worker shutdown`);
        this.#entered(job.type, "PENDING");
        msg.nak();
      } else {
        const message = err instanceof Error ? err.message : String(err);
        const status = await this.#store.fail(job.id, this.#owner, message);
        if (status) this.#entered(job.type, status);
        log.warn("attempt failed", { status, error: message });
        if (status === "PENDING") msg.nak(this.#opts.retryDelayMs * job.attempts);
        else msg.ack();
      }
    } finally {
      clearTimeout(timeout);
      clearInterval(heartbeat);
      this.#running.delete(controller);
    }
  }

  /** Re-publishes open jobs whose message is gone (a publish lost after the row was written). */
  async #requeueStale(): Promise<void> {
    try {
      const stale = await this.#store.stale(this.#opts.types.map((t) => t.name), 2 * this.#opts.leaseMs);
      const window = Math.floor(Date.now() / (2 * this.#opts.leaseMs));
      for (const s of stale) await publishJob(this.#opts, s.type, s.id, `${s.id}:requeue:${s.attempts}:${window}`);
    } catch (err) {
      if (!this.#stopping) this.#log.warn("job requeue sweep failed", { err });
    }
  }
}

/** The promise's outcome, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
