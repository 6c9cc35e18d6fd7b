import type { Orm } from "@hyrelog/db";
import type { JobQueue, JobType } from "@hyrelog/jobs";
import type { Logger } from "@hyrelog/runtime";
import type { PeriodicParams } from "./jobs.ts";

/**
 * The region's schedule of periodic jobs. Every replica ticks; a job is due when its `schedules`
 * row says so, and a replica creates the job only after moving `next_run_at` forward in one
 * conditional statement, so each run happens once per region however many replicas there are.
 * A new schedule's first run is one interval after the region first starts (never at boot).
 * A job with a work check (`hasWork`) is created only when the check finds something to do: the
 * run still happens once per period (the schedule moved, its `updated_at` is the check's time),
 * but one with nothing to do leaves no job row.
 */
export class Scheduler {
  readonly #orm: Orm;
  readonly #queue: JobQueue;
  readonly #jobs: Map<string, JobType<PeriodicParams, Record<string, unknown>>>;
  readonly #every: Record<string, number>;
  readonly #hasWork: Record<string, (asOf: Date) => Promise<boolean>>;
  readonly #tickMs: number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<unknown> = Promise.resolve();

  constructor(o: {
    orm: Orm;
    queue: JobQueue;
    jobs: Map<string, JobType<PeriodicParams, Record<string, unknown>>>;
    every: Record<string, number>;
    hasWork?: Record<string, (asOf: Date) => Promise<boolean>>;
    tickMs: number;
    logger: Logger;
  }) {
    this.#orm = o.orm;
    this.#queue = o.queue;
    this.#jobs = o.jobs;
    this.#every = o.every;
    this.#hasWork = o.hasWork ?? {};
    this.#tickMs = o.tickMs;
    this.#logger = o.logger;
  }

  start(): void {
    const tick = () => {
      this.#ticking = this.tick().catch((err) => this.#logger.warn("schedule tick failed", { err }));
    };
    tick();
    this.#timer = setInterval(tick, this.#tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ticking;
  }

  /** Creates the jobs that are due; returns their names. */
  async tick(): Promise<string[]> {
    const em = this.#orm.em.fork();
    const started: string[] = [];
    for (const [name, type] of this.#jobs) {
      const seconds = (this.#every[name] ?? 86_400_000) / 1000;
      await em.execute(`insert into schedules (name, next_run_at) values (?, now() + make_interval(secs => ?)) on conflict (name) do nothing`, [name, seconds]);
      const due = await em.execute<Array<{ name: string }>>(
        // The next run is one interval after this one was due, or after now when the region fell
        // behind (stopped for a while): one catch-up run, never a burst.
        `update schedules set updated_at = now(),
           next_run_at = case when next_run_at + make_interval(secs => ?) > now() then next_run_at + make_interval(secs => ?) else now() + make_interval(secs => ?) end
         where name = ? and next_run_at <= now() returning name`,
        [seconds, seconds, seconds, name],
      );
      if (!due.length) continue;
      // This replica owns this period's run. Nothing to do: no job (a check that fails creates the
      // job, whose run then reports the error).
      const check = this.#hasWork[name];
      if (check && !(await check(new Date()).catch(() => true))) continue;
      const job = await this.#queue.createRegionJob(type, { params: { asOf: null, trigger: "schedule" }, requestedBy: { keyId: "scheduler", scope: "SYSTEM" } });
      await em.execute(`update schedules set last_job_id = ? where name = ?`, [job.id, name]);
      this.#logger.info("periodic job scheduled", { jobType: name, jobId: job.id });
      started.push(name);
    }
    return started;
  }
}
