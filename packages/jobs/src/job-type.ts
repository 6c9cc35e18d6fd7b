import type { Logger } from "@hyrelog/runtime";

export type JobStatus = "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED" | "CANCELLED";
export const TERMINAL_STATUSES: readonly JobStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

/** A job row as the job system sees it (snake_case columns mapped, bigints as numbers). */
/** `C`: the company; null for a periodic job of the whole region (archival, verification...). */
export interface JobRecord<P = Record<string, unknown>, C extends string | null = string> {
  id: string;
  type: string;
  companyId: C;
  workspaceId: string | null;
  status: JobStatus;
  params: P;
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  progressDone: number;
  progressTotal: number | null;
  result: Record<string, unknown> | null;
  error: string | null;
  requestedBy: { keyId: string; scope: string };
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What a running attempt gets besides its job. */
export interface JobContext {
  /** Aborted when the attempt times out, the job is cancelled or the worker stops: stop promptly. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly logger: Logger;
  /** Records progress; written to the row with the next heartbeat (cheap to call per page). */
  progress(done: number, total?: number): void;
}

export interface JobTypeDefinition<P, R> {
  /** Attempts before the job ends FAILED (a crashed or timed-out attempt counts). */
  maxAttempts: number;
  /** One attempt's time limit; past it the attempt is aborted and counts as failed. */
  timeoutMs: number;
  /** Does the work and returns the result stored on the row. Must be idempotent: it may run again after a crash. */
  run(job: JobRecord<P>, ctx: JobContext): Promise<R>;
}

export interface JobType<P = Record<string, unknown>, R extends Record<string, unknown> = Record<string, unknown>> extends JobTypeDefinition<P, R> {
  readonly name: string;
}

/** `defineJobType("export", { maxAttempts: 3, timeoutMs: 3_600_000, run })`. */
export function defineJobType<P, R extends Record<string, unknown>>(name: string, def: JobTypeDefinition<P, R>): JobType<P, R> {
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new Error(`job type "${name}" must be lowercase letters, digits, _ or - (it is a NATS subject token)`);
  if (!Number.isInteger(def.maxAttempts) || def.maxAttempts < 1) throw new Error(`job type ${name}: maxAttempts must be >= 1`);
  if (!Number.isInteger(def.timeoutMs) || def.timeoutMs < 1) throw new Error(`job type ${name}: timeoutMs must be >= 1`);
  return { name, ...def };
}
