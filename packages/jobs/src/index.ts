export { defineJobType, TERMINAL_STATUSES } from "./job-type.ts";
export type { JobContext, JobRecord, JobStatus, JobType, JobTypeDefinition } from "./job-type.ts";
export { JobQueue } from "./queue.ts";
export type { JobSystemOptions, NewJob } from "./queue.ts";
export type { JobListFilter } from "./store.ts";
export { JobWorker } from "./worker.ts";
export type { JobWorkerOptions } from "./worker.ts";
export { jobToProto } from "./proto.ts";
