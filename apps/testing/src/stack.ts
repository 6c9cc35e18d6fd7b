import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { eventsStreamName, jobsStreamName, notificationsStreamName } from "@hyrelog/bus";
import { loadConfig, REGION_TARGETS, type HyrelogConfig } from "@hyrelog/config";
import type { PlanTierName, RegionCode } from "@hyrelog/core";
import { migrateDatabase, openOrm, seedCompany, type Orm, type SeededCompany } from "@hyrelog/db";
import { startProcess, type RunningProcess } from "@hyrelog/runtime";
import { build as gateway, type Gateway } from "@hyrelog/gateway";
import { buildersFor } from "@hyrelog/server";
import { DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { createBuckets, freePort, localS3Client, S3RVER_CREDENTIALS, S3RVER_ENV } from "@hyrelog/local-infra";

export interface StackOptions {
  infra: { postgresUrl: string; natsUrl: string; s3Url?: string };
  regions?: RegionCode[];
  /** Plan of the company seeded in each region. */
  plan?: PlanTierName;
  /** Extra environment for every process (e.g. RATE_LIMIT_PER_KEY_PER_MINUTE). */
  env?: Record<string, string>;
}

export interface RegionHandle {
  databaseUrl: string;
  servicePort: number;
  process: RunningProcess;
  /** An ORM of the test's own on the region database, for direct SQL in assertions. */
  orm: Orm;
}

/**
 * A whole HyreLog in this test process: one process per region (keys, ingest, query) plus a
 * gateway process, each with its own fresh database and an isolated NATS prefix, all wired as
 * in production (gRPC between services, REST at the gateway).
 */
export class TestStack {
  readonly gatewayUrl: string;
  readonly regions: Partial<Record<RegionCode, RegionHandle>>;
  /** One seeded company per region: ids and plaintext keys. */
  readonly companies: Partial<Record<RegionCode, SeededCompany>>;
  readonly apiKeySecret: string;
  readonly natsPrefix: string;
  /** The gateway's (first) DASHBOARD_SERVICE_TOKEN: x-dashboard-token for /dashboard/*; "" when the stack runs without one. */
  readonly dashboardToken: string;
  readonly #env: Record<string, string>;
  readonly #natsUrl: string;
  #gateway: RunningProcess;

  private constructor(init: {
    gatewayUrl: string;
    regions: Partial<Record<RegionCode, RegionHandle>>;
    companies: Partial<Record<RegionCode, SeededCompany>>;
    apiKeySecret: string;
    natsPrefix: string;
    env: Record<string, string>;
    natsUrl: string;
    gateway: RunningProcess;
  }) {
    this.gatewayUrl = init.gatewayUrl;
    this.regions = init.regions;
    this.companies = init.companies;
    this.apiKeySecret = init.apiKeySecret;
    this.natsPrefix = init.natsPrefix;
    this.dashboardToken = (init.env.DASHBOARD_SERVICE_TOKEN ?? "").split(",")[0]!.trim();
    this.#env = init.env;
    this.#natsUrl = init.natsUrl;
    this.#gateway = init.gateway;
  }

  static async start(opts: StackOptions): Promise<TestStack> {
    const regionList = opts.regions ?? ["us", "eu"];
    const id = randomBytes(4).toString("hex");
    const natsPrefix = `t${id}`;
    const apiKeySecret = randomBytes(32).toString("base64url");
    const servicePorts = await Promise.all(regionList.map(() => freePort()));
    const endpoints = regionList.map((r, i) => `${r}=http://127.0.0.1:${servicePorts[i]}`).join(",");
    const env: Record<string, string> = {
      NATS_URL: opts.infra.natsUrl,
      NATS_PREFIX: natsPrefix,
      API_KEY_SECRET: apiKeySecret,
      INTERNAL_TOKEN: randomBytes(16).toString("hex"),
      REGION_ENDPOINTS: endpoints,
      LOG_LEVEL: process.env.HYRELOG_TEST_LOG_LEVEL ?? "silent",
      SHUTDOWN_TIMEOUT_MS: "2000",
      CHECKPOINT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"),
      CHECKPOINT_INTERVAL_MS: "500",
      WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      // Test receivers listen on 127.0.0.1; SSRF tests start a stack with this set to "false".
      WEBHOOK_ALLOW_LOOPBACK: "true",
      // Opens /dashboard/* (set it to "" for a gateway without the dashboard API).
      DASHBOARD_SERVICE_TOKEN: randomBytes(32).toString("base64url"),
      ...(opts.infra.s3Url ? { S3_ENDPOINT: opts.infra.s3Url, ...S3RVER_ENV } : {}),
      ...opts.env,
    };
    const regions: Partial<Record<RegionCode, RegionHandle>> = {};
    const companies: Partial<Record<RegionCode, SeededCompany>> = {};
    for (const [i, region] of regionList.entries()) {
      const databaseUrl = `${opts.infra.postgresUrl}/hyrelog_t${id}_${region}`;
      await migrateDatabase(databaseUrl);
      const orm = await openOrm({ databaseUrl, poolMax: 4 });
      companies[region] = await seedCompany(orm, {
        name: `Test Co ${region}`,
        region,
        plan: opts.plan ?? "STARTER",
        apiKeySecret,
        companyKeyAllowlist: ["127.0.0.1", "::1"],
      });
      if (opts.infra.s3Url) await createBuckets(opts.infra.s3Url, S3RVER_CREDENTIALS, [bucketName(natsPrefix, region)]);
      const proc = await startRegion({ ...env, REGION: region, DATABASE_URL: databaseUrl, SERVICE_PORT: String(servicePorts[i]) });
      regions[region] = { databaseUrl, servicePort: servicePorts[i]!, process: proc, orm };
    }
    const gw = await startProcess(gatewayConfig(env, regionList[0]!), [gateway]);
    const gatewayUrl = `http://127.0.0.1:${(gw.modules[0] as Gateway).port()}`;
    return new TestStack({ gatewayUrl, regions, companies, apiKeySecret, natsPrefix, env, natsUrl: opts.infra.natsUrl, gateway: gw });
  }

  /** Stops a region's services gracefully and starts them again on the same port (with `env` changes, e.g. a new key). */
  async restartRegion(region: RegionCode, env: Record<string, string> = {}): Promise<void> {
    const h = this.regions[region]!;
    await h.process.stop();
    h.process = await startRegion({ ...this.#env, ...env, REGION: region, DATABASE_URL: h.databaseUrl, SERVICE_PORT: String(h.servicePort) });
  }

  /** Stops the gateway and starts it again on the same port with `env` changes (e.g. another DASHBOARD_SERVICE_TOKEN). */
  async restartGateway(env: Record<string, string> = {}): Promise<void> {
    await this.#gateway.stop();
    const region = Object.keys(this.regions)[0] as RegionCode;
    this.#gateway = await startProcess(gatewayConfig({ ...this.#env, ...env }, region, new URL(this.gatewayUrl).port), [gateway]);
  }

  /** Seeds another company in a region (e.g. a second tenant for isolation tests). */
  async seedCompany(region: RegionCode, plan: PlanTierName = "STARTER", name = "Other Co"): Promise<SeededCompany> {
    return seedCompany(this.regions[region]!.orm, { name, region, plan, apiKeySecret: this.apiKeySecret, companyKeyAllowlist: ["127.0.0.1", "::1"] });
  }

  /** The region's S3 bucket (each stack has its own in the run's s3rver). */
  s3Bucket(region: RegionCode): string {
    return this.#env.S3_BUCKET ?? bucketName(this.natsPrefix, region);
  }

  /** Keys of the objects under `prefix` in the region's bucket. */
  async s3Keys(region: RegionCode, prefix = ""): Promise<string[]> {
    const client = localS3Client(this.#env.S3_ENDPOINT!);
    try {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: this.s3Bucket(region), Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) keys.push(o.Key!);
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    } finally {
      client.destroy();
    }
  }

  /** An object of the region's bucket, whole. */
  async s3Object(region: RegionCode, key: string): Promise<Buffer> {
    const client = localS3Client(this.#env.S3_ENDPOINT!);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: this.s3Bucket(region), Key: key }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } finally {
      client.destroy();
    }
  }

  /** Replaces an object of the region's bucket (tests of tampering and corruption). */
  async putS3Object(region: RegionCode, key: string, body: Buffer): Promise<void> {
    const client = localS3Client(this.#env.S3_ENDPOINT!);
    try {
      await client.send(new PutObjectCommand({ Bucket: this.s3Bucket(region), Key: key, Body: body }));
    } finally {
      client.destroy();
    }
  }

  /** An object's tags (GetObjectTagging), as a plain object. */
  async s3ObjectTags(region: RegionCode, key: string): Promise<Record<string, string>> {
    const client = localS3Client(this.#env.S3_ENDPOINT!);
    try {
      const res = await client.send(new GetObjectTaggingCommand({ Bucket: this.s3Bucket(region), Key: key }));
      return Object.fromEntries((res.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
    } finally {
      client.destroy();
    }
  }

  /** Removes an object of the region's bucket (tests of a missing object). */
  async deleteS3Object(region: RegionCode, key: string): Promise<void> {
    const client = localS3Client(this.#env.S3_ENDPOINT!);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: this.s3Bucket(region), Key: key }));
    } finally {
      client.destroy();
    }
  }

  /** fetch against the gateway with an API key. */
  async api(key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const res = await fetch(this.gatewayUrl + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    // A live stream (GET /v1/events/stream) never ends by itself: its status and headers are the answer.
    if (res.status === 200 && res.headers.get("content-type")?.startsWith("text/event-stream")) {
      await res.body?.cancel();
      return { status: res.status, headers: res.headers, body: null, text: "" };
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, body: json, text };
  }

  /**
   * Row counts of every table a request could write, and a digest of key, webhook, job and GDPR
   * request states, of data subjects' erasure, and of companies', workspaces' and projects' names,
   * plans and archival (what the dashboard changes), in every region: equal before and after a
   * request means it wrote nothing.
   */
  async footprint(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [region, h] of Object.entries(this.regions)) {
      const [row] = await h!.orm.em.fork().execute<Array<Record<string, string>>>(
        `select ${FOOTPRINT_TABLES.map((t) => `(select count(*) from ${t})::text as "${t}"`).join(", ")},
           (select md5(coalesce(string_agg(x, ',' order by x), '')) from (
              select id || ':' || coalesce(revoked_at::text, '') || ':' || coalesce(expires_at::text, '') as x from api_keys
              union all select id || ':' || status || ':' || secret_sealed from webhook_endpoints
              union all select id || ':' || status from jobs
              union all select id || ':' || name || ':' || plan_tier || ':' || plan_overrides::text from companies
              union all select id || ':' || name || ':' || coalesce(archived_at::text, '') from workspaces
              union all select id || ':' || name || ':' || coalesce(archived_at::text, '') from projects
              union all select id || ':' || array_to_string(ip_allowlist, ' ') from api_keys
              union all select id || ':' || status || ':' || coalesce(job_id::text, '') from gdpr_requests
              union all select id || ':' || coalesce(erased_at::text, '') from data_subjects) s) as state`,
      );
      for (const [k, v] of Object.entries(row!)) out[`${region}.${k}`] = String(v);
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.#gateway.stop();
    for (const h of Object.values(this.regions)) {
      await h!.process.stop();
      await h!.orm.close(true);
    }
    await dropDatabases(Object.values(this.regions).map((h) => h!.databaseUrl));
    await this.#deleteStreams();
  }

  /** The stack's JetStream streams would otherwise pile up on a shared nats-server. */
  async #deleteStreams(): Promise<void> {
    const nc = await connect({ servers: this.#natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      for (const region of Object.keys(this.regions)) {
        for (const stream of [eventsStreamName, notificationsStreamName, jobsStreamName]) {
          await jsm.streams.delete(stream(this.natsPrefix, region)).catch(() => false);
        }
      }
    } finally {
      await nc.close();
    }
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Response bodies are asserted field by field in tests.
  body: any;
  text: string;
}

/** The tables a request could write (TestStack.footprint). */
const FOOTPRINT_TABLES = [
  "companies",
  "workspaces",
  "projects",
  "api_keys",
  "log_heads",
  "audit_events",
  "checkpoints",
  "event_outbox",
  "jobs",
  "export_files",
  "webhook_endpoints",
  "webhook_deliveries",
  "data_subjects",
  "gdpr_requests",
  "gdpr_approvals",
];

/** Per stack and region, so stacks sharing the run's S3 server never see each other's files. */
function bucketName(natsPrefix: string, region: string): string {
  return `hyrelog-${natsPrefix}-${region}`.toLowerCase();
}

/**
 * The personal-data master key of a test database: each region's its own, and the same for every
 * process a test starts against that database (restarts, `serve` child processes).
 */
export function testMasterKey(databaseUrl: string): string {
  return createHash("sha256").update(`hyrelog test master key\n${databaseUrl}`).digest("base64");
}

async function startRegion(env: Record<string, string>): Promise<RunningProcess> {
  const bucket = env.S3_BUCKET ?? bucketName(env.NATS_PREFIX!, env.REGION!);
  const masterKey = env.PERSONAL_DATA_MASTER_KEY ?? testMasterKey(env.DATABASE_URL!);
  return startProcess(loadConfig({ ...env, S3_BUCKET: bucket, PERSONAL_DATA_MASTER_KEY: masterKey }, [...REGION_TARGETS]), await buildersFor(REGION_TARGETS));
}

function gatewayConfig(env: Record<string, string>, region: RegionCode, port = "0"): HyrelogConfig {
  return loadConfig({ ...env, REGION: region, GATEWAY_PORT: port, SERVICE_PORT: "0" }, ["gateway"]);
}

async function dropDatabases(urls: string[]): Promise<void> {
  if (!urls.length) return;
  const admin = new URL(urls[0]!);
  admin.pathname = "/postgres";
  const orm = await openOrm({ databaseUrl: admin.toString(), poolMax: 1 });
  try {
    for (const url of urls) {
      const name = new URL(url).pathname.slice(1);
      await orm.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
    }
  } finally {
    await orm.close(true);
  }
}

