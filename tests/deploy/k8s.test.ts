/**
 * Checks the deploy files: every Kubernetes region overlay (rendered by ./kustomize.ts and compared
 * with the real `kubectl kustomize` output committed in k8s/rendered/, which itself is compared with
 * kubectl where kubectl is installed), docker-compose.yml with its database init script, and the
 * Dockerfile.
 */
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, it, expect } from "vitest";
import { parse, stringify } from "yaml";
import { ARCHIVAL_CADENCES, SERVICES as REGISTRY } from "@hyrelog/testing";
import { kubectlKustomize, OVERLAYS, overlayDir, parseObjects, podSpec, podTemplate, render, renderedFile, renderedText, type K8sObject } from "./kustomize.ts";

const root = path.resolve(import.meta.dirname, "../..");
const REGIONS = ["us", "eu", "uk", "au"] as const;
const SERVICES = REGISTRY.map((s) => s.name);
const SECRET_NAME = "hyrelog-secrets";
const SECRET_KEYS = [
  "DATABASE_URL",
  "API_KEY_SECRET",
  "INTERNAL_TOKEN",
  "CHECKPOINT_SIGNING_KEY",
  "WEBHOOK_SECRET_ENCRYPTION_KEY",
  "PERSONAL_DATA_MASTER_KEY",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "DASHBOARD_SERVICE_TOKEN",
];
const CONFIG_KEYS = [
  "REGION",
  "NATS_URL",
  "NATS_PREFIX",
  "SERVICE_HOST",
  "SERVICE_PORT",
  "GATEWAY_HOST",
  "GATEWAY_PORT",
  "REGION_ENDPOINTS",
  "LOG_LEVEL",
  "METRICS_PORT",
  "TRUST_PROXY",
  "RATE_LIMIT_PER_KEY_PER_MINUTE",
  "RATE_LIMIT_PER_IP_PER_MINUTE",
  "KEY_CACHE_TTL_MS",
  "KEY_ROTATION_GRACE_SECONDS",
  "SHUTDOWN_TIMEOUT_MS",
  "CHECKPOINT_KEY_NAME",
  "CHECKPOINT_INTERVAL_MS",
  "CHECKPOINT_EVERY_EVENTS",
  "WEBHOOK_RETRY_TIME_SCALE",
  "WEBHOOK_DISABLE_AFTER_DAYS",
  "S3_REGION",
  "S3_BUCKET",
  "EXPORT_DOWNLOAD_URL_TTL_SECONDS",
  "EXPORT_RETENTION_DAYS",
  "ARCHIVAL_COLD_STORAGE",
  "ARCHIVAL_COLD_STORAGE_CLASS",
];
/** The compose file's checkpoint key: public, derived from this phrase (docker-compose.yml). */
const DEV_CHECKPOINT_KEY = Buffer.concat([
  Buffer.from("302e020100300506032b657004220420", "hex"), // PKCS#8 DER of an Ed25519 key, up to the 32-byte seed
  createHash("sha256").update("dev-only-change-me-checkpoint-signing-key").digest(),
]).toString("base64");

type Probe = { grpc?: unknown };
type Container = {
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  envFrom?: unknown[];
  env?: { name: string }[];
  resources?: Record<"requests" | "limits", Record<string, unknown> | undefined>;
  securityContext?: unknown;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
};
type PodSpec = { containers: Container[]; terminationGracePeriodSeconds?: number; securityContext?: unknown; restartPolicy?: string };
type Workload = K8sObject & {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> } };
  };
};
type Service = K8sObject & { spec: { selector: Record<string, string>; ports: unknown[] } };
type ComposeService = {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: unknown };
};

const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const pod = (o: K8sObject) => podSpec(o) as unknown as PodSpec;

function kubectlAvailable(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

const kubectl = kubectlAvailable();

it("has exactly the overlays us, eu, uk and au, each with its committed render in k8s/rendered", () => {
  expect(OVERLAYS).toEqual([...REGIONS].sort());
  expect(readdirSync(path.join(root, "k8s/rendered")).sort()).toEqual(OVERLAYS.map((r) => `${r}.yaml`));
});

describe.each(REGIONS)("k8s overlay %s", (region) => {
  const objects = render(overlayDir(region));
  const namespace = `hyrelog-${region}`;
  const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("hyrelog-config-"));

  it("puts everything in the region's namespace, labelled with the region", () => {
    expect(find(objects, "Namespace", namespace)).toBeDefined();
    for (const o of objects) {
      const where = `${o.kind}/${o.metadata.name}`;
      if (o.kind !== "Namespace") expect(o.metadata.namespace, where).toBe(namespace);
      expect(o.metadata.labels?.["hyrelog.io/region"], where).toBe(region);
      const template = podTemplate(o) as { metadata: { labels: Record<string, string> } } | undefined;
      if (template) expect(template.metadata.labels["hyrelog.io/region"], where).toBe(region);
    }
  });

  it("generates one ConfigMap with every setting and REGION set to the region", () => {
    expect(objects.filter((o) => o.kind === "ConfigMap")).toHaveLength(1);
    const data = configMap!.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(data.REGION).toBe(region);
    expect(data.SERVICE_PORT).toBe("7070");
    expect(data.GATEWAY_PORT).toBe("8080");
    expect(data.SERVICE_HOST).toBe("0.0.0.0");
    expect(data.TRUST_PROXY).toBe("true");
    // Every process serves Prometheus metrics on this port (bound to SERVICE_HOST).
    expect(data.METRICS_PORT).toBe("9464");
    const endpoints = Object.fromEntries(data.REGION_ENDPOINTS!.split(",").map((e) => e.split("=")));
    expect(endpoints).toEqual(
      Object.fromEntries(REGIONS.map((r) => [r, `http://{service}.hyrelog-${r}.svc.cluster.local:7070`])),
    );
    // Each region signs under its own key name; the schedule is what packages/config accepts.
    expect(data.CHECKPOINT_KEY_NAME).toBe(`hyrelog.${region}`);
    // Residency: each region writes only to its own bucket, in an AWS region of the same jurisdiction.
    expect(data.S3_BUCKET).toBe(`hyrelog-${region}`);
    expect(data.S3_REGION).toBe({ us: "us-east-1", eu: "eu-central-1", uk: "eu-west-2", au: "ap-southeast-2" }[region]);
    expect(data.WEBHOOK_RETRY_TIME_SCALE).toBe("1");
    // Production buckets are AWS S3: the archival service keeps the Glacier lifecycle rule for cold archives.
    expect(data.ARCHIVAL_COLD_STORAGE).toBe("s3");
    expect(Number(data.CHECKPOINT_INTERVAL_MS)).toBeGreaterThanOrEqual(100);
    expect(Number.isInteger(Number(data.CHECKPOINT_EVERY_EVENTS)) && Number(data.CHECKPOINT_EVERY_EVENTS) >= 1).toBe(true);
    const shutdownSeconds = Number(data.SHUTDOWN_TIMEOUT_MS) / 1000;
    for (const o of objects.filter((x) => x.kind === "Deployment")) {
      const grace = pod(o).terminationGracePeriodSeconds;
      expect(grace, o.metadata.name).toBeGreaterThan(shutdownSeconds);
    }
  });

  it.each(SERVICES)("runs %s as a Deployment and a Service", (service) => {
    const deployment = find(objects, "Deployment", service) as Workload | undefined;
    const svc = find(objects, "Service", service) as Service | undefined;
    expect(deployment, `Deployment/${service}`).toBeDefined();
    expect(svc, `Service/${service}`).toBeDefined();

    const spec = pod(deployment!);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(spec.containers).toHaveLength(1);
    const c = spec.containers[0]!;
    expect(c.args).toEqual(["serve", `--target=${service}`]);
    // Readiness checks the database and NATS; liveness only that the process answers.
    expect(c.readinessProbe?.grpc, `${service} readinessProbe`).toEqual({ port: 7070 });
    expect(c.livenessProbe?.grpc, `${service} livenessProbe`).toEqual({ port: 7070, service: "liveness" });
    for (const kind of ["requests", "limits"] as const) {
      expect(c.resources?.[kind], `${service} resources.${kind}`).toMatchObject({
        cpu: expect.anything(),
        memory: expect.anything(),
      });
    }
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.envFrom).toEqual([
      { configMapRef: { name: configMap!.metadata.name } },
      { secretRef: { name: SECRET_NAME } },
    ]);
    // Settings come from the ConfigMap and the Secret; the export worker also caps V8's heap.
    if (service === "export") expect(c.env).toEqual([{ name: "NODE_OPTIONS", value: expect.stringMatching(/^--max-semi-space-size=\d+ --max-old-space-size=\d+$/) }]);
    else expect(c.env).toBeUndefined();

    const podLabels = deployment!.spec.template.metadata.labels;
    expect(deployment!.spec.selector.matchLabels).toEqual(svc!.spec.selector);
    expect(podLabels).toMatchObject(svc!.spec.selector);
    const containerPorts = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    const grpc = { name: "grpc", port: 7070, targetPort: "grpc", protocol: "TCP", appProtocol: "kubernetes.io/h2c" };
    const http = { name: "http", port: 8080, targetPort: "http", protocol: "TCP" };
    expect(svc!.spec.ports).toEqual(service === "gateway" ? [http, grpc] : [grpc]);
    expect(containerPorts).toEqual(service === "gateway" ? { http: 8080, grpc: 7070, metrics: 9464 } : { grpc: 7070, metrics: 9464 });
    // Prometheus finds each pod's metrics by annotation; the metrics port is in no Service (pods are scraped directly).
    expect(deployment!.spec.template.metadata.annotations).toEqual({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(Number((configMap!.data as Record<string, string>).METRICS_PORT)),
      "prometheus.io/path": "/metrics",
    });
    expect(containerPorts.metrics).toBe(Number((configMap!.data as Record<string, string>).METRICS_PORT));
  });

  it("runs no other Deployments or Services", () => {
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    expect(names("Deployment")).toEqual([...SERVICES].sort());
    expect(names("Service")).toEqual([...SERVICES].sort());
  });

  it("carries a suspended CronJob per periodic job of the region, the manual trigger path of hyrelog job run", () => {
    const cronJobs = objects.filter((o) => o.kind === "CronJob");
    expect(cronJobs.map((o) => o.metadata.name).sort()).toEqual(Object.keys(ARCHIVAL_CADENCES).map((n) => `archival-run-${n}`).sort());
    for (const o of cronJobs) {
      const name = o.metadata.name.replace("archival-run-", "");
      expect((o.spec as { suspend: boolean }).suspend, o.metadata.name).toBe(true);
      const c = pod(o).containers[0]!;
      expect(c.args).toEqual(["job", "run", name, "--gateway", "http://gateway:8080"]);
      expect(c.envFrom).toEqual([{ configMapRef: { name: configMap!.metadata.name } }, { secretRef: { name: SECRET_NAME } }]);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }
  });

  it("has a migration Job with the same configuration", () => {
    const job = find(objects, "Job", "migrate");
    expect(job).toBeDefined();
    const spec = pod(job!);
    const c = spec.containers[0]!;
    expect(c.args).toEqual(["migrate"]);
    expect(spec.restartPolicy).toBe("Never");
    expect(c.envFrom).toEqual([
      { configMapRef: { name: configMap!.metadata.name } },
      { secretRef: { name: SECRET_NAME } },
    ]);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("holds no secret values", () => {
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    for (const o of objects) {
      for (const c of podSpec(o) ? pod(o).containers : []) {
        for (const e of c.env ?? []) expect(SECRET_KEYS).not.toContain(e.name);
      }
    }
    for (const key of SECRET_KEYS) expect(configMap!.data).not.toHaveProperty(key);
    const text = stringify(objects);
    expect(text).not.toMatch(/[a-z+]+:\/\/[^\s/@]+:[^\s/@]+@/i); // a URL with credentials
    expect(text).not.toMatch(/postgres(ql)?:\/\//i);
    expect(text).not.toMatch(/dev-only|change-me/i);
    expect(text).not.toContain(DEV_CHECKPOINT_KEY);
  });

  // Never skipped: the committed real render stands in for kubectl where it is not installed.
  it("renders the same objects as kubectl kustomize (k8s/rendered)", () => {
    const file = renderedFile(region);
    const committed = readFileSync(file, "utf8");
    if (kubectl) {
      // The committed file cannot go stale where kubectl runs: it must be exactly what kubectl renders now.
      expect(committed, `${file} is not what kubectl kustomize renders now; run pnpm k8s:render`).toBe(renderedText(region, kubectlKustomize(region)));
    }
    const byKey = (list: K8sObject[]) => new Map(list.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
    const want = byKey(parseObjects(committed, file));
    const got = byKey(objects);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, o] of want) {
      if (!isDeepStrictEqual(got.get(key), o)) expect(got.get(key), key).toEqual(o);
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;
  const initSql = readFileSync(path.join(root, "docker/postgres-init.sql"), "utf8");

  it("creates one database per region", () => {
    for (const r of REGIONS) expect(initSql).toMatch(new RegExp(`CREATE DATABASE hyrelog_${r}\\b`));
    const volumes = services.postgres!.volumes ?? [];
    expect(volumes.some((v) => v.startsWith("./docker/postgres-init.sql:/docker-entrypoint-initdb.d/"))).toBe(true);
    expect(Number(/^postgres:(\d+)/.exec(services.postgres!.image ?? "")?.[1])).toBeGreaterThanOrEqual(16);
  });

  it("runs NATS with JetStream and healthchecks on postgres and nats", () => {
    expect(services.nats!.image).toMatch(/^nats:2\.10/);
    expect(services.nats!.command).toContain("-js");
    expect(services.nats!.volumes).toHaveLength(1);
    for (const name of ["postgres", "nats"]) expect(services[name]!.healthcheck?.test, name).toBeDefined();
  });

  it("creates one MinIO bucket per region", () => {
    expect(services.minio!.command).toContain("--console-address");
    const init = services["minio-init"]!;
    expect(init.image).toMatch(/^minio\/mc/);
    const script = [init.entrypoint, init.command].flat().join(" ");
    for (const r of REGIONS) expect(script).toContain(`hyrelog-${r}`);
  });

  it("runs the us region with every target and the eu region's services, each on its own database", () => {
    const us = services["hyrelog-us"]!;
    const eu = services["hyrelog-eu"]!;
    expect(us.command).toEqual(["serve", "--target=all"]);
    // The eu process runs every region service (the registry's), the us one the gateway too.
    expect(eu.command).toEqual(["serve", `--target=${REGISTRY.filter((s) => s.regionScoped).map((s) => s.name).join(",")}`]);
    expect(us.environment.REGION).toBe("us");
    expect(eu.environment.REGION).toBe("eu");
    expect(us.environment.DATABASE_URL).toMatch(/\/hyrelog_us$/);
    expect(eu.environment.DATABASE_URL).toMatch(/\/hyrelog_eu$/);
    expect(us.environment.REGION_ENDPOINTS!.split(",").map((e) => e.split("=")[0]).sort()).toEqual(["eu", "us"]);
    expect(us.environment.INTERNAL_TOKEN).toBe(eu.environment.INTERNAL_TOKEN);
    expect(us.environment.S3_BUCKET).toBe("hyrelog-us");
    expect(us.environment.DASHBOARD_SERVICE_TOKEN).toMatch(/^dev-only-change-me-/);
    expect(eu.environment.S3_BUCKET).toBe("hyrelog-eu");
    for (const svc of [us, eu]) {
      expect(svc.build).toBeDefined();
      for (const key of ["API_KEY_SECRET", "INTERNAL_TOKEN", "S3_SECRET_ACCESS_KEY"]) expect(svc.environment[key]).toMatch(/^dev-only-change-me-/);
      // Only the gateway (us) reads the dashboard token; where set it is a placeholder.
      if (svc.environment.DASHBOARD_SERVICE_TOKEN !== undefined) expect(svc.environment.DASHBOARD_SERVICE_TOKEN).toMatch(/^dev-only-change-me-/);
      // Public and dev-only, like the checkpoint key: the documented phrase's SHA-256.
      expect(svc.environment.WEBHOOK_SECRET_ENCRYPTION_KEY).toBe(createHash("sha256").update("dev-only-change-me-webhook-secret-encryption-key").digest("base64"));
      expect(svc.environment.API_KEY_SECRET!.length).toBeGreaterThanOrEqual(32);
      // Each region's own personal-data master key: public and dev-only, the documented phrase's SHA-256.
      expect(svc.environment.PERSONAL_DATA_MASTER_KEY).toBe(
        createHash("sha256").update(`dev-only-change-me-personal-data-master-key-${svc.environment.REGION}`).digest("base64"),
      );
      expect(svc.environment.PERSONAL_DATA_ENCRYPTION).toBeUndefined(); // on
    }
    expect(us.environment.PERSONAL_DATA_MASTER_KEY).not.toBe(eu.environment.PERSONAL_DATA_MASTER_KEY);
  });

  it("signs checkpoints in both regions with the public dev-only key, and says so", () => {
    const text = readFileSync(path.join(root, "docker-compose.yml"), "utf8");
    for (const name of ["hyrelog-us", "hyrelog-eu"]) {
      const key = services[name]!.environment.CHECKPOINT_SIGNING_KEY;
      // The documented dev key and nothing else: a real key must never land in this file.
      expect(key, name).toBe(DEV_CHECKPOINT_KEY);
      expect(createPrivateKey({ key: Buffer.from(key!, "base64"), format: "der", type: "pkcs8" }).asymmetricKeyType).toBe("ed25519");
      expect(services[name]!.environment.CHECKPOINT_KEY_NAME, name).toBeUndefined(); // default: hyrelog.<region>
    }
    expect(text).toContain('SHA-256("dev-only-change-me-checkpoint-signing-key")');
    expect(text).toMatch(/PUBLIC/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");
  const ignored = readFileSync(path.join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());

  it("builds the one image every target runs from", () => {
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS /m);
    expect(dockerfile).toContain("npm i -g pnpm@10.34.8");
    expect(dockerfile).toContain("pnpm install --frozen-lockfile --prod=false");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "apps\/cli\/src\/main\.ts"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["serve", "--target=all"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 7070 8080$/m);
    const { packageManager } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { packageManager?: string };
    expect(packageManager).toBe("pnpm@10.34.8");
    for (const entry of ["**/node_modules", ".tools", ".hyrelog", ".git", "dist"]) expect(ignored).toContain(entry);
  });
});
