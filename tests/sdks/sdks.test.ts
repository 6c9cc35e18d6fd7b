/**
 * The Python, Go and Java SDKs (sdks/): each language's example ingests a batch, lists it back,
 * fetches an inclusion proof, counts the batch by action for its day (analytics), lists the
 * archives and fails to get an unknown one (NOT_FOUND) against a real stack, run as a child process;
 * what it printed is checked against the REST API; the Python example also runs on the package pip installs from
 * sdks/python offline. Each language's check program (tests/sdks/programs) then tails
 * events live (through a proxy that breaks the stream once, so the tail's own reconnect is used)
 * and resumes a tail from a token, and forces a retry of an ingest whose answer the proxy lost
 * (h2-proxy.ts): the event is stored once. The committed generated code matches what
 * `pnpm generate:sdks` makes from the protos (no drift).
 *
 * They need Debian's toolchains (scripts/sdk-toolchains.sh installs them; CI runs it; the pip test
 * also python3-pip, python3-setuptools and python3-wheel, which the machine image ships): without
 * one, its test fails under CI naming the package to install, and is skipped elsewhere.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { h2Proxy, type H2Proxy } from "./h2-proxy.ts";

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SDKS = path.join(ROOT, "sdks");
const PROGRAMS = path.join(ROOT, "tests/sdks/programs");
const JARS = "/usr/share/java";
const JAVA_JARS = [
  "protobuf", "grpc-api", "grpc-context", "grpc-core", "grpc-stub", "grpc-protobuf", "grpc-protobuf-lite", "grpc-netty", "guava",
  "netty-buffer", "netty-codec", "netty-codec-http", "netty-codec-http2", "netty-common", "netty-handler", "netty-resolver",
  "netty-transport", "netty-transport-native-unix-common", "perfmark-api", "jsr305", "error_prone_annotations",
  // javax.annotation.Generated, which grpc_java_plugin 1.41 puts on its classes and JDK 11+ lacks.
  "geronimo-annotation-1.3-spec",
].map((j) => `${JARS}/${j}.jar`);
const GOPATH = path.join(SDKS, "go/build/gopath");
// Go's own build cache (~/.cache/go-build) outlives a clean clone, so only the first build on a
// machine compiles grpc-go (about 25 s here; then under a second).
const GO_ENV = {
  GO111MODULE: "off",
  GOPATH: `${GOPATH}:/usr/share/gocode`,
  GOFLAGS: "",
  ...(process.env.HOME || process.env.GOCACHE ? {} : { GOCACHE: path.join(SDKS, "go/build/cache") }),
};

/** Why a toolchain cannot be used here ("install X"), or null when it can. */
function missing(checks: Array<[ok: boolean, debianPackage: string]>): string | null {
  const absent = checks.filter(([ok]) => !ok).map(([, pkg]) => pkg);
  return absent.length ? `missing toolchain: apt-get install ${[...new Set(absent)].join(" ")} (or bash scripts/sdk-toolchains.sh)` : null;
}
const onPath = (cmd: string) => (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(path.join(dir, cmd)));
const pythonModule = (mod: string) => existsSync(`/usr/lib/python3/dist-packages/${mod}`);

const toolchains = {
  python: missing([
    [existsSync("/usr/bin/python3"), "python3"],
    [pythonModule("grpc"), "python3-grpcio"],
    [pythonModule("google/protobuf"), "python3-protobuf"],
  ]),
  // pip installing sdks/python (pyproject.toml) offline: the build backend from Debian, no index.
  pythonPackage: missing([
    [existsSync("/usr/bin/python3"), "python3"],
    [pythonModule("grpc"), "python3-grpcio"],
    [pythonModule("google/protobuf"), "python3-protobuf"],
    [pythonModule("pip"), "python3-pip"],
    [pythonModule("setuptools"), "python3-setuptools"],
    [pythonModule("wheel"), "python3-wheel"],
  ]),
  go: missing([
    [onPath("go"), "golang-go"],
    [existsSync("/usr/share/gocode/src/google.golang.org/grpc"), "golang-google-grpc-dev"],
    [existsSync("/usr/share/gocode/src/google.golang.org/protobuf"), "golang-google-protobuf-dev"],
    [existsSync("/usr/share/gocode/src/github.com/golang/protobuf/proto/registry.go"), "golang-github-golang-protobuf-1-5-dev"],
  ]),
  java: missing([
    [onPath("javac") && onPath("java"), "default-jdk-headless"],
    [existsSync(`${JARS}/grpc-netty.jar`), "libgrpc-java"],
    [existsSync(`${JARS}/protobuf.jar`), "libprotobuf-java"],
    [existsSync(`${JARS}/netty-codec-http2.jar`), "libnetty-java"],
    [existsSync(`${JARS}/perfmark-api.jar`), "libperfmark-java"],
    [existsSync(`${JARS}/geronimo-annotation-1.3-spec.jar`), "libgeronimo-annotation-1.3-spec-java"],
  ]),
  generate: missing([
    [onPath("protoc"), "protobuf-compiler"],
    [onPath("grpc_python_plugin"), "protobuf-compiler-grpc"],
    [onPath("protoc-gen-go"), "protoc-gen-go"],
    [onPath("protoc-gen-go-grpc"), "protoc-gen-go-grpc"],
    [onPath("grpc_java_plugin"), "protobuf-compiler-grpc-java-plugin"],
  ]),
};

/** Under CI a missing toolchain fails its test (with the package to install); elsewhere it skips. */
function sdkTest(name: string, reason: string | null, fn: () => Promise<void>, timeout = 180_000) {
  const title = reason ? `${name} (${reason})` : name;
  it.skipIf(reason !== null && !process.env.CI)(title, async () => {
    if (reason) throw new Error(reason);
    await fn();
  }, timeout);
}

type SeededCompany = Awaited<ReturnType<TestStack["seedCompany"]>>;
let stack: TestStack | undefined;
let company: SeededCompany;
const needStack = !process.env.CI ? [toolchains.python, toolchains.pythonPackage, toolchains.go, toolchains.java].some((r) => r === null) : true;

beforeAll(async () => {
  if (!needStack) return;
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
  company = await stack.seedCompany("us", "GROWTH", "SDK examples");
});
const proxies: H2Proxy[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await stack?.stop();
});

/** Runs an example with the stack's address and keys; returns its output after checking it. */
async function runExample(language: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const started = Date.now();
  const { stdout } = await run(cmd, args, {
    cwd: ROOT,
    timeout: 120_000,
    env: {
      ...process.env,
      ...env,
      HYRELOG_URL: stack!.gatewayUrl,
      HYRELOG_ADDRESS: new URL(stack!.gatewayUrl).host,
      HYRELOG_WORKSPACE_KEY: company.workspaceKey,
      HYRELOG_PROJECT_ID: company.projectId,
    },
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  });
  console.log(`the ${language} example ran in ${Date.now() - started} ms`);
  await checkOutput(stdout);
  return stdout;
}

/**
 * The example printed three ingested ids, listed the three, proved the last, counted the three,
 * listed the archives, got NOT_FOUND for an unknown archive, and said ok: check with REST.
 */
async function checkOutput(stdout: string) {
  const ids = [...stdout.matchAll(/^ingested (\S+) sequence=(\d+)$/gm)].map((m) => m[1]!);
  expect(ids).toHaveLength(3);
  const action = stdout.match(/^listed 3 events with action (\S+)$/m)?.[1];
  expect(action, stdout).toBeTruthy();
  const proof = stdout.match(/^proof (\S+) leaf_index=(\d+) tree_size=(\d+) root=([0-9a-f]{64}) hashes=\d+$/m);
  expect(proof?.[1], stdout).toBe(ids[2]);
  // CountEvents over the batch's day, filtered to its action, grouped by action: one daily bucket,
  // the three events in one group (the helper's filter, range, interval and grouping all reached the server).
  const counted = stdout.match(/^counted total=(\d+) buckets=(\d+) groups=(\S*)$/m);
  expect(counted?.slice(1), stdout).toEqual(["3", "1", `${action}:3`]);
  // Nothing is past hot retention on this stack: the list (followed to its last page) is REST's.
  const archives = await stack!.api(company.workspaceKey, "GET", "/v1/archives?limit=100");
  expect(archives.status).toBe(200);
  expect(stdout.match(/^archives listed=(\d+)$/m)?.[1], stdout).toBe(String(archives.body.data.length));
  // get() of an id no archive has raised the wrapper's error with NOT_FOUND.
  expect(stdout, stdout).toMatch(/^archive \S+ not found code=(NOT_FOUND|NotFound)$/m);
  expect(stdout.trimEnd().endsWith("ok")).toBe(true);
  for (const id of ids) {
    const res = await stack!.api(company.workspaceKey, "GET", `/v1/events/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, action, projectId: company.projectId });
    // The wrapper gave each event an idempotency key.
    expect(res.body.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  }
  const last = await stack!.api(company.workspaceKey, "GET", `/v1/events/${ids[2]}`);
  expect(Number(proof![2])).toBe(last.body.sequence - 1);
  expect(Number(proof![3])).toBeGreaterThanOrEqual(last.body.sequence);
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  console.log(`${what} took ${Date.now() - started} ms`);
  return result;
}

describe("SDK examples against a real stack", () => {
  sdkTest("Python: ingests a batch, lists it back page by page, proves inclusion, counts it, lists archives", toolchains.python, async () => {
    await runExample("Python", "/usr/bin/python3", ["sdks/python/example.py"], { PYTHONPATH: path.join(SDKS, "python"), PYTHONDONTWRITEBYTECODE: "1" });
  });

  sdkTest("Python: pip installs sdks/python (pyproject.toml) offline, and the example runs on the installed package", toolchains.pythonPackage, async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), "hyrelog-pip-"));
    try {
      // A copy: setuptools builds in the source tree (build/, hyrelog.egg-info).
      const source = path.join(tmp, "source");
      cpSync(path.join(SDKS, "python"), source, { recursive: true, filter: (f) => !/(__pycache__|[/\\]build|\.egg-info)$/.test(f) });
      // A venv that sees Debian's grpcio and protobuf, so pip checks the declared minimums against them.
      const venv = path.join(tmp, "venv");
      const python = path.join(venv, "bin/python");
      await run("/usr/bin/python3", ["-m", "venv", "--without-pip", "--system-site-packages", venv]);
      await timed("pip install", () =>
        run("/usr/bin/python3", ["-m", "pip", "--python", python, "install", "--no-index", "--no-build-isolation", "--no-cache-dir", "--disable-pip-version-check", source], {
          env: { ...process.env, PYTHONPATH: "" },
        }),
      );
      const { stdout } = await run(python, ["-c", "import importlib.metadata as m, hyrelog; print(hyrelog.__file__); print(m.version('hyrelog')); print(*m.requires('hyrelog'), sep='\\n')"], {
        cwd: tmp,
        env: { ...process.env, PYTHONPATH: "" },
      });
      const [file, version, ...requires] = stdout.trim().split("\n");
      expect(file).toBe(path.join(venv, "lib", readdirSync(path.join(venv, "lib"))[0]!, "site-packages/hyrelog/__init__.py"));
      expect(version).toBe("0.1.0");
      expect(requires.map((r) => r.replace(/[ ()]/g, "")).sort()).toEqual(["grpcio>=1.51.1", "protobuf>=4.21.12"]);
      // The example from outside the source tree (a script's own folder comes first on sys.path).
      const example = path.join(tmp, "example.py");
      cpSync(path.join(SDKS, "python/example.py"), example);
      await runExample("Python (installed package)", python, [example], { PYTHONPATH: "", PYTHONDONTWRITEBYTECODE: "1" });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  sdkTest("Go: ingests a batch, lists it back page by page, proves inclusion, counts it, lists archives", toolchains.go, async () => {
    await runExample("Go", await buildGo("github.com/hyrelog/hyrelog/sdks/go/example", "example"), []);
  });

  sdkTest("Java: ingests a batch, lists it back page by page, proves inclusion, counts it, lists archives", toolchains.java, async () => {
    const classes = path.join(SDKS, "java/build/classes");
    const classpath = [classes, ...JAVA_JARS].join(":");
    await timed("javac (or its cached output)", () => compileJava(classes, classpath));
    await runExample("Java", "java", ["-cp", classpath, "Example"]);
  });
});

/**
 * A GOPATH build from Debian's /usr/share/gocode (no module proxy): the SDK is linked in at its
 * import path. `target` is an import path or a file.
 */
async function buildGo(target: string, name: string): Promise<string> {
  const link = path.join(GOPATH, "src/github.com/hyrelog/hyrelog/sdks/go");
  mkdirSync(path.dirname(link), { recursive: true });
  if (!existsSync(link)) await run("ln", ["-sfn", path.relative(path.dirname(link), path.join(SDKS, "go")), link]);
  const binary = path.join(SDKS, "go/build", name);
  await timed(`go build ${name}`, () => run("go", ["build", "-o", binary, target], { cwd: ROOT, env: { ...process.env, ...GO_ENV } }));
  return binary;
}

/** javac over the SDK, the example and the check program, skipped when the sources and jars are those of the last build. */
async function compileJava(classes: string, classpath: string) {
  const sources = [...listFiles(path.join(SDKS, "java/src")), ...listFiles(path.join(SDKS, "java/example")), path.join(PROGRAMS, "Check.java")]
    .filter((f) => f.endsWith(".java"))
    .sort();
  const hash = createHash("sha256").update(classpath);
  for (const f of sources) hash.update(f).update(readFileSync(f));
  const stamp = path.join(classes, ".sources-sha256");
  const digest = hash.digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return;
  rmSync(classes, { recursive: true, force: true });
  mkdirSync(classes, { recursive: true });
  await run("javac", ["-nowarn", "-encoding", "UTF-8", "-d", classes, "-cp", classpath, ...sources], { maxBuffer: 16 << 20 });
  writeFileSync(stamp, digest);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** Runs a check program (tests/sdks/programs) in `mode` with the stack's address, a proxy's and a fresh action. */
async function runCheck(cmd: string, args: string[], mode: "tail" | "retry", proxy: H2Proxy, env: Record<string, string> = {}) {
  const action = `sdk.check.${mode}.${Math.random().toString(36).slice(2, 10)}`;
  const { stdout } = await run(cmd, [...args, mode], {
    cwd: ROOT,
    timeout: 90_000,
    env: {
      ...process.env,
      ...env,
      HYRELOG_ADDRESS: new URL(stack!.gatewayUrl).host,
      HYRELOG_PROXY_ADDRESS: proxy.address,
      HYRELOG_WORKSPACE_KEY: company.workspaceKey,
      HYRELOG_PROJECT_ID: company.projectId,
      HYRELOG_ACTION: action,
    },
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`${cmd} ${[...args, mode].join(" ")} failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  });
  expect(stdout.trimEnd().endsWith("ok"), stdout).toBe(true);
  return { stdout, action };
}

/** The events of an action as REST lists them, oldest first. */
async function storedEvents(action: string): Promise<Array<{ id: string; sequence: number; idempotencyKey: string }>> {
  const res = await stack!.api(company.workspaceKey, "GET", `/v1/events?action=${encodeURIComponent(action)}&limit=100`);
  expect(res.status).toBe(200);
  return [...res.body.data].reverse();
}

/**
 * A tail through a proxy that cuts its connection right after the first event (the ready message
 * is the first message, the event the second), so the second event comes through the tail's own
 * reconnect from its last token; then a tail resumed from the second event's token brings the
 * third. Each event once, none missed; checked against REST. A tail from a token that is no token
 * fails at once; one against a server that never answers gives up after its openings' timeouts.
 */
async function tailCheck(cmd: string, args: string[], env: Record<string, string> = {}) {
  const proxy = await h2Proxy(new URL(stack!.gatewayUrl));
  proxies.push(proxy);
  proxy.cutAfterMessages = 2;
  // A server that takes connections and never answers, for the opening timeout.
  const held = new Set<net.Socket>();
  const silent = net.createServer((socket) => held.add(socket.on("error", () => undefined)));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  let out;
  try {
    out = await runCheck(cmd, args, "tail", proxy, { ...env, HYRELOG_SILENT_ADDRESS: `127.0.0.1:${(silent.address() as net.AddressInfo).port}` });
  } finally {
    for (const s of held) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
  const { stdout, action } = out;
  const ingested = [...stdout.matchAll(/^ingested (\S+)$/gm)].map((m) => m[1]!);
  const tailed = [...stdout.matchAll(/^tailed (\S+) (\S+)$/gm)].map((m) => ({ id: m[1]!, token: m[2]! }));
  const resumed = [...stdout.matchAll(/^resumed (\S+) (\S+)$/gm)].map((m) => ({ id: m[1]!, token: m[2]! }));
  expect(stdout).toMatch(/^open \S+$/m);
  expect(ingested).toHaveLength(3);
  expect(tailed.map((t) => t.id)).toEqual(ingested.slice(0, 2));
  expect(resumed.map((t) => t.id)).toEqual(ingested.slice(2));
  expect(new Set([...tailed, ...resumed].map((t) => t.token)).size).toBe(3);
  // A tail from a token that is no token fails at once (not retried).
  expect(stdout).toMatch(/^refused (INVALID_ARGUMENT|InvalidArgument)$/m);
  // Openings that get no answer end, each after the timeout, and the tail gives up.
  expect(stdout).toMatch(/^timed out (DEADLINE_EXCEEDED|DeadlineExceeded)$/m);
  // The stream was cut once and the tail connected again by itself.
  expect(proxy.cuts).toBe(1);
  expect(proxy.connections).toBeGreaterThanOrEqual(2);
  const stored = await storedEvents(action);
  expect(stored.map((e) => e.id)).toEqual(ingested);
}

/**
 * One ingest through a proxy that loses the first answer after the server stored the event: the
 * SDK retries with the same idempotency key, the server answers with the stored event
 * (duplicate), and REST lists it once, with the key the SDK drew.
 */
async function retryCheck(cmd: string, args: string[], env: Record<string, string> = {}) {
  const proxy = await h2Proxy(new URL(stack!.gatewayUrl));
  proxies.push(proxy);
  proxy.dropAnswers = 1;
  const { stdout, action } = await runCheck(cmd, args, "retry", proxy, env);
  const [, id, duplicate] = stdout.match(/^ingested (\S+) duplicate=(true|false)$/m) ?? [];
  expect(proxy.dropped).toBe(1);
  expect(proxy.requests).toBe(2);
  expect(duplicate, "the retry found the event the first attempt stored").toBe("true");
  const stored = await storedEvents(action);
  expect(stored.map((e) => e.id)).toEqual([id]);
  expect(stored[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
}

describe("live tail and forced retries against a real stack", () => {
  const python = ["/usr/bin/python3", [path.join(PROGRAMS, "check.py")], { PYTHONPATH: path.join(SDKS, "python"), PYTHONDONTWRITEBYTECODE: "1" }] as const;

  sdkTest("Python: tails live across a broken stream, resumes from a token", toolchains.python, async () => {
    await tailCheck(python[0], [...python[1]], python[2]);
  });
  sdkTest("Python: a retry after a lost answer stores the event once", toolchains.python, async () => {
    await retryCheck(python[0], [...python[1]], python[2]);
  });

  sdkTest("Go: tails live across a broken stream, resumes from a token", toolchains.go, async () => {
    await tailCheck(await buildGo(path.join(PROGRAMS, "check.go"), "check"), []);
  });
  sdkTest("Go: a retry after a lost answer stores the event once", toolchains.go, async () => {
    await retryCheck(await buildGo(path.join(PROGRAMS, "check.go"), "check"), []);
  });

  const javaClasspath = () => [path.join(SDKS, "java/build/classes"), ...JAVA_JARS].join(":");
  sdkTest("Java: tails live across a broken stream, resumes from a token", toolchains.java, async () => {
    await compileJava(path.join(SDKS, "java/build/classes"), javaClasspath());
    await tailCheck("java", ["-cp", javaClasspath(), "Check"]);
  });
  sdkTest("Java: a retry after a lost answer stores the event once", toolchains.java, async () => {
    await compileJava(path.join(SDKS, "java/build/classes"), javaClasspath());
    await retryCheck("java", ["-cp", javaClasspath(), "Check"]);
  });
});

describe("generated code", () => {
  // What sdks/generate.sh writes; everything else under sdks/ is hand-written.
  const GENERATED = ["sdks/python/hyrelog/api", "sdks/python/hyrelog/common", "sdks/go/gen", "sdks/java/src/main/java/com/hyrelog/api", "sdks/java/src/main/java/com/hyrelog/common"];

  sdkTest("matches what pnpm generate:sdks makes from the protos (no drift)", toolchains.generate, async () => {
    const out = mkdtempSync(path.join(tmpdir(), "hyrelog-sdks-"));
    try {
      await timed("sdks/generate.sh", () => run("bash", [path.join(SDKS, "generate.sh"), out], { cwd: ROOT }));
      const fresh = GENERATED.flatMap((d) => listFiles(path.join(out, d)).map((f) => path.relative(out, f))).sort();
      const committed = GENERATED.flatMap((d) => listFiles(path.join(ROOT, d)).map((f) => path.relative(ROOT, f)))
        .filter((f) => !f.includes("__pycache__"))
        .sort();
      expect(committed, "generated files added or removed: run pnpm generate:sdks").toEqual(fresh);
      const changed = fresh.filter((f) => !readFileSync(path.join(out, f)).equals(readFileSync(path.join(ROOT, f))));
      expect(changed, "generated files differ from the protos: run pnpm generate:sdks and commit").toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
