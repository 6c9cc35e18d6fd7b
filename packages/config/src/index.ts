import { createPrivateKey } from "node:crypto";
import { TARGETS, type Target } from "./services.ts";

export { REGION_TARGETS, SERVICES, TARGETS } from "./services.ts";
export type { ServiceInfo, Target } from "./services.ts";

/*
 * The process configuration: read from the environment here and nowhere else, validated once,
 * with every problem reported together.
 */

const REGION_CODES = ["us", "eu", "uk", "au"] as const;
type Region = (typeof REGION_CODES)[number];

export interface HyrelogConfig {
  targets: Target[];
  /** The one region whose data this process serves. */
  region: Region;
  databaseUrl: string;
  natsUrl: string;
  /** Prefix of NATS subjects and stream names; lets several stacks share one server. */
  natsPrefix: string;
  /** JetStream replicas of each of the region's streams (1 on one server; 3 in a cluster). */
  natsStreamReplicas: number;
  apiKeySecret: string;
  internalToken: string;
  serviceHost: string;
  servicePort: number;
  gatewayHost: string;
  gatewayPort: number;
  /**
   * Base URL of each region's services. `{service}` in a URL is replaced by the service name
   * (Kubernetes: one Service per service); without it every service shares the URL (dev).
   */
  regionEndpoints: Partial<Record<Region, string>>;
  rateLimits: { perKeyPerMinute: number; perIpPerMinute: number; keyManagementPerMinute: number };
  /**
   * The dashboard application's service tokens (gateway): any of them opens /dashboard/*, so a new
   * one can be added before the old one is removed. Empty: /dashboard/* answers 503.
   */
  dashboardServiceTokens: string[];
  keyCacheTtlMs: number;
  keyRotationGraceSeconds: number;
  /** Take the client address from X-Forwarded-For (only behind a trusted proxy). */
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Prometheus metrics on a port of their own (`GET /metrics`); null: no metrics port. */
  metrics: { port: number | null; host: string };
  /** OpenTelemetry: trace context always propagates; spans are exported only with an endpoint. */
  tracing: {
    /** OTLP/HTTP traces URL (`<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`); null: nothing recorded or exported. */
    tracesEndpoint: string | null;
    /** Headers sent to the collector (e.g. its API key). */
    headers: Record<string, string>;
    /** Share of new traces recorded (0..1); a caller's sampled flag is followed. */
    sampleRatio: number;
  };
  checkpoints: {
    /** Base64 PKCS#8 DER Ed25519 private key (`hyrelog keygen`); empty disables checkpointing. */
    signingKey: string;
    /** Name of the key in signed notes. */
    keyName: string;
    /** A log is checkpointed when it has grown and its last checkpoint is this old... */
    intervalMs: number;
    /** ...or when it has grown by this many events. */
    everyEvents: number;
  };
  /** Personal data in events (docs/privacy.md, ADR 0012). */
  personalData: {
    /** Base64 of 32 bytes: the region's master key wrapping each data subject's key (required by services that read or write events). */
    masterKey: string;
    /** Earlier master keys, still unwrapping the subject keys they wrapped (rotation). */
    previousMasterKeys: string[];
    /** Base64 of 32 bytes: the blind-index key; derived from the master key when unset (pin it before rotating). */
    indexKey: string;
    /** Off stores new events as chain v1, personal values in the clear (benchmarks; never in production). */
    encryption: boolean;
  };
  webhooks: {
    /** Base64 of 32 bytes: AES-256-GCM key sealing endpoint secrets at rest (required by the webhook target). */
    secretEncryptionKey: string;
    /** Development only: lets endpoints on localhost / 127.0.0.0/8 / ::1 receive deliveries. */
    allowLoopback: boolean;
    /** Multiplies the retry schedule (1 = +1 min, +5 min, +30 min, +6 h); tests use a small fraction. */
    retryTimeScale: number;
    /** An endpoint that has failed continuously for this many days is disabled. */
    disableAfterDays: number;
    /** Deadline of one delivery attempt (DNS, connect, request, response). */
    deliveryTimeoutMs: number;
    /** Finished deliveries (and their payloads and attempts) are deleted after this many days (more than the stream's 7). */
    deliveryRetentionDays: number;
  };
  /** The region's S3 bucket (exports, archives). */
  s3: {
    /** Empty: AWS's endpoint for s3.region. Set for MinIO / s3rver. */
    endpoint: string;
    region: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
  };
  exports: {
    /** Lifetime of presigned download URLs. */
    downloadUrlTtlSeconds: number;
    /** Export files are deleted after this many days. */
    retentionDays: number;
    /** Events read per keyset page (memory per running export is a few pages). */
    pageRows: number;
    /** One attempt's time limit. */
    timeoutMs: number;
    /** Exports run at once by one process; 0: this process serves the export API but runs no export jobs. */
    concurrency: number;
    /** How often expired export files are deleted. */
    sweepIntervalMs: number;
    /** Test hook only: pause after each page so a test can interrupt a running export. 0 in production. */
    testPageDelayMs: number;
  };
  archival: {
    /** Whether this process runs the region's schedule of periodic jobs (ARCHIVAL_SCHEDULER=off: only by hand, `hyrelog job run`). */
    scheduler: boolean;
    /** How often the scheduler looks for due jobs. */
    tickMs: number;
    /** Interval of each periodic job, by name (ARCHIVAL_EVERY_<NAME>_MS, e.g. ARCHIVAL_EVERY_ARCHIVAL_MS). */
    every: Record<string, number>;
    /** Archives of a log written at once, so the database, this process, gzip and S3 work side by side. */
    concurrency: number;
    /** One attempt's time limit for a periodic job. */
    timeoutMs: number;
    /** Days an archive stays verified before its events leave PostgreSQL (hot purge). */
    purgeGraceDays: number;
    /**
     * ARCHIVAL_COLD_STORAGE. s3 (AWS S3): the service keeps the bucket's lifecycle rule that moves
     * archives tagged cold to `coldStorageClass`, and restores call S3 RestoreObject and follow
     * HeadObject. simulate (local S3 servers such as s3rver have no lifecycle or cold storage): no
     * rule, and restores complete after restoreSimulatedDelayMs. Cold marking tags the objects either way.
     */
    coldStorage: "s3" | "simulate";
    /** ARCHIVAL_COLD_STORAGE_CLASS: where cold archives go (GLACIER: Glacier Flexible Retrieval, or DEEP_ARCHIVE). */
    coldStorageClass: "GLACIER" | "DEEP_ARCHIVE";
    restoreSimulatedDelayMs: number;
  };
  /** Live tail: GET /v1/events/stream and hyrelog.query.v1.TailService (docs/events.md, "Live tail"). */
  tail: {
    /** Gateway: an SSE comment line this often, so proxies and clients see an idle stream is alive. */
    heartbeatMs: number;
    /** Gateway: streams one API key may have open at once on one gateway replica; one more is 429. */
    maxStreamsPerKey: number;
    /** Gateway: bytes waiting for a client that reads too slowly before it is dropped with a resumable id. */
    maxBufferedBytes: number;
    /** Query: events queued for one stream whose reader is behind before the stream ends (the reader resumes). */
    maxQueuedEvents: number;
  };
  jobs: {
    /** A worker that stops heartbeating loses its job to another after this long (also the JetStream ack wait). */
    leaseMs: number;
    /** A failed attempt is retried after this delay times the attempt number. */
    retryDelayMs: number;
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Documented in the README's configuration table; keep the two in step. */
export function loadConfig(env: Env, targets: Target[] = [...TARGETS]): HyrelogConfig {
  const problems: string[] = [];
  const needsDb = targets.some((t) => t !== "gateway");

  const str = (name: string, fallback?: string, required = false): string => {
    const v = env[name]?.trim();
    if (v) return v;
    if (required && fallback === undefined) problems.push(`${name} is required`);
    return fallback ?? "";
  };
  const int = (name: string, fallback: number, min = 0): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${name} must be an integer >= ${min} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const positiveNumber = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      problems.push(`${name} must be a number > 0 (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return false;
    if (["1", "true", "yes"].includes(raw)) return true;
    if (["0", "false", "no"].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return false;
  };

  const region = str("REGION", "us") as Region;
  if (!REGION_CODES.includes(region)) problems.push(`REGION must be one of ${REGION_CODES.join(", ")} (got "${region}")`);

  const regionEndpoints: Partial<Record<Region, string>> = {};
  const endpointsRaw = str("REGION_ENDPOINTS", "");
  for (const part of endpointsRaw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [code, url] = part.split("=", 2).map((s) => s?.trim());
    if (!code || !url || !REGION_CODES.includes(code as Region) || !/^https?:\/\//.test(url)) {
      problems.push(`REGION_ENDPOINTS entries must look like "us=http://host:7070" (got "${part}")`);
      continue;
    }
    regionEndpoints[code as Region] = url.replace(/\/$/, "");
  }
  const servicePort = int("SERVICE_PORT", 7070);
  if (!regionEndpoints[region]) regionEndpoints[region] = `http://127.0.0.1:${servicePort}`;

  const apiKeySecret = str("API_KEY_SECRET", undefined, targets.includes("keys"));
  if (apiKeySecret && apiKeySecret.length < 32) problems.push("API_KEY_SECRET must be at least 32 characters");
  // Every service refuses RPCs without it, so a process never runs unguarded.
  const internalToken = str("INTERNAL_TOKEN", undefined, targets.length > 0);
  if (internalToken && internalToken.length < 16) problems.push("INTERNAL_TOKEN must be at least 16 characters");

  // Comma-separated for rotation. Entries are never echoed: they are secrets.
  const dashboardServiceTokens = str("DASHBOARD_SERVICE_TOKEN", "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  dashboardServiceTokens.forEach((t, i) => {
    if (t.length < 32) problems.push(`DASHBOARD_SERVICE_TOKEN entries must be at least 32 characters (entry ${i + 1} is shorter)`);
  });

  const logLevel = str("LOG_LEVEL", "info") as HyrelogConfig["logLevel"];
  if (!["debug", "info", "warn", "error", "silent"].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be debug, info, warn, error or silent (got "${logLevel}")`);
  }

  const serviceHost = str("SERVICE_HOST", "127.0.0.1");
  // Unset: no metrics port; 0: any free port (tests).
  const metricsPortRaw = env.METRICS_PORT?.trim();
  const metricsPort = metricsPortRaw ? int("METRICS_PORT", 0) : null;
  if (metricsPort !== null && metricsPort > 65535) problems.push(`METRICS_PORT must be a port number (got "${metricsPortRaw}")`);

  const url = (name: string): string | null => {
    const v = str(name, "");
    if (!v) return null;
    try {
      const u = new URL(v);
      if (u.protocol === "http:" || u.protocol === "https:") return v;
    } catch {
      // reported below
    }
    problems.push(`${name} must be an http(s) URL (got "${v}")`);
    return null;
  };
  const otlpBase = url("OTEL_EXPORTER_OTLP_ENDPOINT");
  const tracesEndpoint = url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ?? (otlpBase ? `${otlpBase.replace(/\/+$/, "")}/v1/traces` : null);
  const otlpHeaders: Record<string, string> = {};
  for (const part of str("OTEL_EXPORTER_OTLP_HEADERS", "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    const key = eq > 0 ? part.slice(0, eq).trim() : "";
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) {
      // The value may be a credential: name the entry's position, never its text.
      problems.push(`OTEL_EXPORTER_OTLP_HEADERS entries must look like "name=value" (entry ${Object.keys(otlpHeaders).length + 1} does not)`);
      continue;
    }
    const raw = part.slice(eq + 1).trim();
    try {
      otlpHeaders[key] = decodeURIComponent(raw);
    } catch {
      otlpHeaders[key] = raw;
    }
  }
  const sampleRaw = str("OTEL_TRACES_SAMPLER_ARG", "1");
  const sampleRatio = Number(sampleRaw);
  if (!Number.isFinite(sampleRatio) || sampleRatio < 0 || sampleRatio > 1) problems.push(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${sampleRaw}")`);

  const config: HyrelogConfig = {
    targets,
    region,
    databaseUrl: str("DATABASE_URL", undefined, needsDb),
    natsUrl: str("NATS_URL", "nats://127.0.0.1:4222"),
    natsPrefix: str("NATS_PREFIX", "hyrelog"),
    natsStreamReplicas: int("NATS_STREAM_REPLICAS", 1, 1),
    apiKeySecret,
    internalToken,
    serviceHost,
    servicePort,
    gatewayHost: str("GATEWAY_HOST", "127.0.0.1"),
    gatewayPort: int("GATEWAY_PORT", 8080),
    regionEndpoints,
    rateLimits: {
      perKeyPerMinute: int("RATE_LIMIT_PER_KEY_PER_MINUTE", 1200, 1),
      perIpPerMinute: int("RATE_LIMIT_PER_IP_PER_MINUTE", 600, 1),
      keyManagementPerMinute: int("RATE_LIMIT_KEY_MANAGEMENT_PER_MINUTE", 10, 1),
    },
    dashboardServiceTokens,
    keyCacheTtlMs: int("KEY_CACHE_TTL_MS", 10_000),
    keyRotationGraceSeconds: int("KEY_ROTATION_GRACE_SECONDS", 86_400),
    trustProxy: bool("TRUST_PROXY"),
    shutdownTimeoutMs: int("SHUTDOWN_TIMEOUT_MS", 10_000, 1),
    logLevel,
    metrics: { port: metricsPort, host: str("METRICS_HOST", serviceHost) },
    tracing: { tracesEndpoint, headers: otlpHeaders, sampleRatio: Number.isFinite(sampleRatio) ? Math.min(1, Math.max(0, sampleRatio)) : 1 },
    checkpoints: {
      signingKey: str("CHECKPOINT_SIGNING_KEY", ""),
      keyName: str("CHECKPOINT_KEY_NAME", `hyrelog.${region}`),
      intervalMs: int("CHECKPOINT_INTERVAL_MS", 10_000, 100),
      everyEvents: int("CHECKPOINT_EVERY_EVENTS", 1000, 1),
    },
    personalData: {
      masterKey: str("PERSONAL_DATA_MASTER_KEY", undefined, targets.some((t) => PERSONAL_DATA_TARGETS.includes(t))),
      previousMasterKeys: str("PERSONAL_DATA_PREVIOUS_MASTER_KEYS", "")
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
      indexKey: str("PERSONAL_DATA_INDEX_KEY", ""),
      encryption: str("PERSONAL_DATA_ENCRYPTION", "on") !== "off",
    },
    webhooks: {
      secretEncryptionKey: str("WEBHOOK_SECRET_ENCRYPTION_KEY", undefined, targets.includes("webhook")),
      allowLoopback: bool("WEBHOOK_ALLOW_LOOPBACK"),
      retryTimeScale: positiveNumber("WEBHOOK_RETRY_TIME_SCALE", 1),
      disableAfterDays: int("WEBHOOK_DISABLE_AFTER_DAYS", 5, 1),
      deliveryTimeoutMs: int("WEBHOOK_DELIVERY_TIMEOUT_MS", 15_000, 100),
      deliveryRetentionDays: int("WEBHOOK_DELIVERY_RETENTION_DAYS", 30, 8),
    },
    s3: {
      endpoint: str("S3_ENDPOINT", ""),
      region: str("S3_REGION", "us-east-1"),
      bucket: str("S3_BUCKET", `hyrelog-${region}`),
      accessKeyId: str("S3_ACCESS_KEY_ID", ""),
      secretAccessKey: str("S3_SECRET_ACCESS_KEY", ""),
      forcePathStyle: bool("S3_FORCE_PATH_STYLE"),
    },
    exports: {
      downloadUrlTtlSeconds: int("EXPORT_DOWNLOAD_URL_TTL_SECONDS", 900, 1),
      retentionDays: int("EXPORT_RETENTION_DAYS", 30, 1),
      pageRows: int("EXPORT_PAGE_ROWS", 5000, 1),
      timeoutMs: int("EXPORT_TIMEOUT_MS", 3_600_000, 1000),
      concurrency: int("EXPORT_CONCURRENCY", 2, 0),
      sweepIntervalMs: int("EXPORT_SWEEP_INTERVAL_MS", 3_600_000, 1000),
      testPageDelayMs: int("EXPORT_TEST_PAGE_DELAY_MS", 0),
    },
    archival: {
      scheduler: str("ARCHIVAL_SCHEDULER", "on") !== "off",
      tickMs: int("ARCHIVAL_TICK_MS", 30_000, 100),
      every: Object.fromEntries(
        Object.entries(ARCHIVAL_CADENCES).map(([name, ms]) => [name, int(`ARCHIVAL_EVERY_${name.toUpperCase().replaceAll("-", "_")}_MS`, ms, 1000)]),
      ),
      concurrency: int("ARCHIVAL_CONCURRENCY", 3, 1),
      timeoutMs: int("ARCHIVAL_TIMEOUT_MS", 6 * 3_600_000, 1000),
      purgeGraceDays: int("ARCHIVAL_PURGE_GRACE_DAYS", 7, 0),
      coldStorage: str("ARCHIVAL_COLD_STORAGE", "simulate") === "s3" ? "s3" : "simulate",
      coldStorageClass: str("ARCHIVAL_COLD_STORAGE_CLASS", "GLACIER") === "DEEP_ARCHIVE" ? "DEEP_ARCHIVE" : "GLACIER",
      restoreSimulatedDelayMs: int("ARCHIVAL_RESTORE_SIMULATED_DELAY_MS", 60_000, 0),
    },
    tail: {
      heartbeatMs: int("TAIL_HEARTBEAT_MS", 15_000, 100),
      maxStreamsPerKey: int("TAIL_MAX_STREAMS_PER_KEY", 10, 1),
      maxBufferedBytes: int("TAIL_MAX_BUFFERED_BYTES", 1024 * 1024, 1024),
      maxQueuedEvents: int("TAIL_MAX_QUEUED_EVENTS", 10_000, 1),
    },
    jobs: {
      leaseMs: int("JOB_LEASE_MS", 30_000, 500),
      retryDelayMs: int("JOB_RETRY_DELAY_MS", 2_000),
    },
  };
  const encryptionKey = config.webhooks.secretEncryptionKey;
  if (encryptionKey && Buffer.from(encryptionKey, "base64").length !== 32) {
    problems.push("WEBHOOK_SECRET_ENCRYPTION_KEY must be base64 of exactly 32 bytes (make one with `openssl rand -base64 32`)");
  }
  const masterKey = config.personalData.masterKey;
  if (masterKey && Buffer.from(masterKey, "base64").length !== 32) {
    problems.push("PERSONAL_DATA_MASTER_KEY must be base64 of exactly 32 bytes (make one with `openssl rand -base64 32`)");
  }
  for (const [i, key] of config.personalData.previousMasterKeys.entries()) {
    if (Buffer.from(key, "base64").length !== 32) problems.push(`PERSONAL_DATA_PREVIOUS_MASTER_KEYS entry ${i + 1} must be base64 of exactly 32 bytes`);
  }
  const indexKey = config.personalData.indexKey;
  if (indexKey && Buffer.from(indexKey, "base64").length !== 32) problems.push("PERSONAL_DATA_INDEX_KEY must be base64 of exactly 32 bytes (`hyrelog personal-data index-key` prints the one derived from the master key)");
  if (!["on", "off"].includes(str("PERSONAL_DATA_ENCRYPTION", "on"))) problems.push("PERSONAL_DATA_ENCRYPTION must be on or off");
  if (!["on", "off"].includes(str("ARCHIVAL_SCHEDULER", "on"))) problems.push("ARCHIVAL_SCHEDULER must be on or off");
  if (!["s3", "simulate"].includes(str("ARCHIVAL_COLD_STORAGE", "simulate"))) problems.push("ARCHIVAL_COLD_STORAGE must be s3 or simulate");
  if (str("ARCHIVAL_RESTORE_MODE", "") !== "") problems.push("ARCHIVAL_RESTORE_MODE is replaced by ARCHIVAL_COLD_STORAGE (s3 or simulate), which also governs the bucket's lifecycle rule");
  if (!["GLACIER", "DEEP_ARCHIVE"].includes(str("ARCHIVAL_COLD_STORAGE_CLASS", "GLACIER"))) problems.push("ARCHIVAL_COLD_STORAGE_CLASS must be GLACIER or DEEP_ARCHIVE");
  if (config.checkpoints.signingKey && !isEd25519PrivateKey(config.checkpoints.signingKey)) {
    problems.push("CHECKPOINT_SIGNING_KEY must be a base64 PKCS#8 (DER) Ed25519 private key (make one with `hyrelog keygen`)");
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(config.checkpoints.keyName)) problems.push("CHECKPOINT_KEY_NAME may hold only letters, digits, '.', '_' and '-'");
  if (!/^[A-Za-z0-9_-]+$/.test(config.natsPrefix)) problems.push("NATS_PREFIX may hold only letters, digits, _ and -");
  // JetStream allows at most 5 replicas of a stream.
  if (config.natsStreamReplicas > 5) problems.push(`NATS_STREAM_REPLICAS must be from 1 to 5 (got ${config.natsStreamReplicas})`);
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const DAY_MS = 86_400_000;
/** The periodic jobs of a region and how often each runs (the seed's cadences). */
export const ARCHIVAL_CADENCES: Readonly<Record<string, number>> = {
  "retention-marking": DAY_MS,
  archival: DAY_MS,
  "archive-verification": DAY_MS,
  "hot-purge": DAY_MS,
  "restore-initiation": 5 * 60_000,
  "restore-status": 15 * 60_000,
  "restore-expiry": DAY_MS,
  "cold-marking": 7 * DAY_MS,
  "archive-retention": DAY_MS,
};

/** The services that seal or open events' personal data, and so need PERSONAL_DATA_MASTER_KEY. */
const PERSONAL_DATA_TARGETS: readonly string[] = ["ingest", "query", "export", "webhook", "gdpr"];

function isEd25519PrivateKey(base64: string): boolean {
  try {
    return createPrivateKey({ key: Buffer.from(base64, "base64"), format: "der", type: "pkcs8" }).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

/** Parses `--target=all` or `--target=gateway,ingest`. */
export function parseTargets(spec: string): Target[] {
  if (spec === "all") return [...TARGETS];
  const targets = spec.split(",").map((t) => t.trim()).filter(Boolean);
  const unknown = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length || targets.length === 0) {
    throw new ConfigError([`--target must be "all" or a list of ${TARGETS.join(", ")} (got "${spec}")`]);
  }
  return [...new Set(targets)] as Target[];
}

/** For `hyrelog migrate`: only the database is needed. */
export function loadMigrateConfig(env: Env): { databaseUrl: string } {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl) throw new ConfigError(["DATABASE_URL is required"]);
  return { databaseUrl };
}

/** For `hyrelog dev`: where the local stack keeps data and which ports it uses. */
export interface DevConfig {
  dataDir: string;
  /** Base URL (no database) of a PostgreSQL to use instead of the embedded one. */
  postgresUrl: string | null;
  embeddedPostgresPort: number;
  natsUrl: string | null;
  embeddedNatsPort: number;
  /** An S3-compatible server to use instead of the local s3rver (its S3_* settings pass through). */
  s3Endpoint: string | null;
  embeddedS3Port: number;
  gatewayPort: number;
  /** Service ports: the first region listens here, the next on +1, and so on. */
  servicePortBase: number;
  regions: Region[];
  seedPlan: string;
  logLevel: string;
}

export function loadDevConfig(env: Env): DevConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`${name} must be a port number (got "${raw}")`);
    return n;
  };
  const regions = (env.HYRELOG_DEV_REGIONS?.trim() || "us,eu").split(",").map((r) => r.trim()) as Region[];
  for (const r of regions) if (!REGION_CODES.includes(r)) problems.push(`HYRELOG_DEV_REGIONS: unknown region "${r}"`);
  const seedPlan = env.SEED_PLAN_TIER?.trim().toUpperCase() || "STARTER";
  if (!["FREE", "STARTER", "GROWTH", "ENTERPRISE"].includes(seedPlan)) {
    problems.push(`SEED_PLAN_TIER must be FREE, STARTER, GROWTH or ENTERPRISE (got "${seedPlan}")`);
  }
  const config: DevConfig = {
    dataDir: env.HYRELOG_DATA_DIR?.trim() || ".hyrelog",
    postgresUrl: env.HYRELOG_POSTGRES_URL?.trim() || null,
    embeddedPostgresPort: int("HYRELOG_EMBEDDED_PG_PORT", 54329),
    natsUrl: env.NATS_URL?.trim() || null,
    embeddedNatsPort: int("HYRELOG_EMBEDDED_NATS_PORT", 4250),
    s3Endpoint: env.S3_ENDPOINT?.trim() || null,
    embeddedS3Port: int("HYRELOG_EMBEDDED_S3_PORT", 4569),
    gatewayPort: int("GATEWAY_PORT", 8080),
    servicePortBase: int("SERVICE_PORT", 7070),
    regions,
    seedPlan,
    logLevel: env.LOG_LEVEL?.trim() || "warn",
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
