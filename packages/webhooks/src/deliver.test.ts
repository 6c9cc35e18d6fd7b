import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { deliverOnce, parseRetryAfter } from "./deliver.ts";
import { generateWebhookSecret, signPayload } from "./signing.ts";
import { resolveAndCheck, type HostResolver } from "./ssrf.ts";

interface Hit {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

interface Receiver {
  url: string;
  port: number;
  hits: Hit[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP receiver on 127.0.0.1 that records every request (after reading its body) and then runs `handle`. */
async function receiver(handle: (res: ServerResponse, hit: Hit) => void): Promise<Receiver> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const hit = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      hits.push(hit);
      handle(res, hit);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/in?source=test`, port, hits };
}

const reply = (status: number, headers: Record<string, string> = {}) => (res: ServerResponse) => res.writeHead(status, headers).end("response body");

/** A port nothing listens on: bind one, then free it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const body = JSON.stringify({ type: "audit.event.created", data: { id: "evt_1", action: "user.login" } });

describe("deliverOnce", () => {
  it("POSTs the body and headers and reports a 2xx as ok; the receiver verifies the signature", async () => {
    const secret = generateWebhookSecret();
    const rx = await receiver(reply(200));
    const headers = signPayload({ id: "msg_ok", timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] });
    const result = await deliverOnce({ url: rx.url, headers: { ...headers }, body, allowLoopback: true });

    expect(result).toMatchObject({ ok: true, status: 200, gone: false, blocked: false });
    expect(result.error).toBeUndefined();
    expect(result.retryAfterSeconds).toBeUndefined();
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(5_000);

    expect(rx.hits).toHaveLength(1);
    const hit = rx.hits[0]!;
    expect(hit.method).toBe("POST");
    expect(hit.url).toBe("/hooks/in?source=test");
    expect(hit.body).toBe(body);
    expect(hit.headers["content-type"]).toBe("application/json");
    expect(hit.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(hit.headers["user-agent"]).toMatch(/^HyreLog-Webhooks\//);
    expect(hit.headers["x-hyrelog-signature"]).toBe(headers["x-hyrelog-signature"]);
    const received = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(hit.body, received)).toEqual(JSON.parse(body));
  });

  it("lets the caller's headers replace the defaults, case-insensitively", async () => {
    const rx = await receiver(reply(204));
    const result = await deliverOnce({ url: rx.url, headers: { "Content-Type": "application/cloudevents+json", "User-Agent": "custom" }, body, allowLoopback: true });
    expect(result).toMatchObject({ ok: true, status: 204 });
    expect(rx.hits[0]!.headers["content-type"]).toBe("application/cloudevents+json");
    expect(rx.hits[0]!.headers["user-agent"]).toBe("custom");
  });

  it("reports a 500 as not ok, with its status and no error", async () => {
    const rx = await receiver(reply(500, { "retry-after": "30" }));
    const result = await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true });
    expect(result).toMatchObject({ ok: false, status: 500, gone: false, blocked: false });
    expect(result.error).toBeUndefined();
    expect(result.retryAfterSeconds).toBeUndefined(); // only 429 and 503 carry a Retry-After we honour
  });

  it("reports 410 Gone", async () => {
    const rx = await receiver(reply(410));
    expect(await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true })).toMatchObject({ ok: false, status: 410, gone: true });
  });

  it("parses Retry-After in seconds on a 429", async () => {
    const rx = await receiver(reply(429, { "retry-after": "7" }));
    expect(await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true })).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 7 });
  });

  it("parses Retry-After as an HTTP date on a 503", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const rx = await receiver(reply(503, { "retry-after": at }));
    const result = await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true });
    expect(result).toMatchObject({ ok: false, status: 503 });
    expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(121);
  });

  it("never follows a redirect: a 302 is a failed attempt and the target is not contacted", async () => {
    const target = await receiver(reply(200));
    const rx = await receiver(reply(302, { location: target.url }));
    const result = await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true });
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(rx.hits).toHaveLength(1);
    expect(target.hits).toHaveLength(0);
  });

  it("times out a receiver that never answers, within the limit", async () => {
    const rx = await receiver(() => {}); // reads the request, never responds
    const result = await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, status: null, blocked: false });
    expect(result.error).toBe("timed out after 300 ms");
    expect(result.latencyMs).toBeGreaterThanOrEqual(250);
    expect(result.latencyMs).toBeLessThan(1_500);
    expect(rx.hits).toHaveLength(1);
  });

  it("keeps the verdict of a response whose body never ends, when the deadline cuts it off", async () => {
    const rx = await receiver((res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial...");
    });
    const result = await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.latencyMs).toBeLessThan(1_500);
  });

  it("reads at most 64 KiB of a large response", async () => {
    let written = 0;
    const rx = await receiver((res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, "x");
      const pump = () => {
        // Keep writing until the client goes away (at most 64 MiB, so a broken client cannot hang the test).
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const result = await deliverOnce({ url: rx.url, headers: {}, body, allowLoopback: true, timeoutMs: 5_000 });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.error).toBeUndefined();
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("reports a refused connection as an error, never throwing", async () => {
    const port = await closedPort();
    const result = await deliverOnce({ url: `http://127.0.0.1:${port}/`, headers: {}, body, allowLoopback: true });
    expect(result).toMatchObject({ ok: false, status: null, blocked: false, gone: false });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  it("refuses loopback before connecting unless allowLoopback", async () => {
    const rx = await receiver(reply(200));
    const result = await deliverOnce({ url: rx.url, headers: {}, body });
    expect(result).toMatchObject({ ok: false, status: null, blocked: true });
    expect(result.error).toMatch(/127\.0\.0\.1 is a loopback address/);
    const named = await deliverOnce({ url: `http://localhost:${rx.port}/`, headers: {}, body });
    expect(named).toMatchObject({ ok: false, blocked: true });
    expect(rx.hits).toHaveLength(0);
  });

  it("connects to the address its own lookup returned", async () => {
    const rx = await receiver(reply(200));
    const lookups: string[] = [];
    const lookup: HostResolver = async (host) => {
      lookups.push(host);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const result = await deliverOnce({ url: `http://receiver.test:${rx.port}/in`, headers: {}, body, allowLoopback: true, lookup });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(lookups).toEqual(["receiver.test"]);
    expect(rx.hits[0]!.headers.host).toBe(`receiver.test:${rx.port}`);
  });

  it("refuses at connection time when the host resolves to a private address", async () => {
    const lookup: HostResolver = async () => [{ address: "10.0.0.1", family: 4 }];
    const result = await deliverOnce({ url: "http://hooks.example.test/in", headers: {}, body, allowLoopback: true, lookup });
    expect(result).toMatchObject({ ok: false, status: null, blocked: true });
    expect(result.error).toMatch(/hooks\.example\.test resolves to 10\.0\.0\.1, a private address/);
  });

  it("catches DNS rebinding: a name that was public at registration but resolves inside at delivery", async () => {
    const rx = await receiver(reply(200));
    const answers = [
      [{ address: "93.184.216.34", family: 4 }],
      [{ address: "127.0.0.1", family: 4 }],
    ];
    const lookup: HostResolver = async () => answers.shift() ?? [];
    // Registration-time check passes (public), delivery-time lookup gets loopback and is refused.
    expect(await resolveAndCheck("rebind.example.test", { lookup })).toHaveLength(1);
    const result = await deliverOnce({ url: `http://rebind.example.test:${rx.port}/`, headers: {}, body, lookup });
    expect(result).toMatchObject({ ok: false, blocked: true });
    expect(result.error).toMatch(/loopback/);
    expect(rx.hits).toHaveLength(0);
  });

  it("refuses when any of several resolved addresses is not allowed", async () => {
    const rx = await receiver(reply(200));
    const lookup: HostResolver = async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ];
    const result = await deliverOnce({ url: `http://multi.example.test:${rx.port}/`, headers: {}, body, allowLoopback: true, lookup });
    expect(result).toMatchObject({ ok: false, blocked: true });
    expect(result.error).toMatch(/cloud metadata/);
    expect(rx.hits).toHaveLength(0);
  });

  it("reports DNS failures, bad URLs, bad header values and aborts as errors", async () => {
    const missing: HostResolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
    };
    const dns = await deliverOnce({ url: "https://nowhere.test/", headers: {}, body, lookup: missing });
    expect(dns).toMatchObject({ ok: false, status: null, blocked: false });
    expect(dns.error).toMatch(/could not resolve webhook host nowhere\.test \(ENOTFOUND\)/);

    expect(await deliverOnce({ url: "ftp://example.com/", headers: {}, body })).toMatchObject({ ok: false, blocked: true });
    expect(await deliverOnce({ url: "::nonsense::", headers: {}, body })).toMatchObject({ ok: false, blocked: true });

    const rx = await receiver(reply(200));
    const injected = await deliverOnce({ url: rx.url, headers: { "x-evil": "a\r\nx-injected: 1" }, body, allowLoopback: true });
    expect(injected).toMatchObject({ ok: false, status: null, blocked: false });
    expect(injected.error).toMatch(/invalid character/i);
    expect(rx.hits).toHaveLength(0);

    const slow = await receiver(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await deliverOnce({ url: slow.url, headers: {}, body, allowLoopback: true, signal: controller.signal });
    expect(aborted).toMatchObject({ ok: false, status: null, error: "aborted" });

    await expect(deliverOnce({ url: rx.url, headers: {}, body, timeoutMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-22T10:00:00Z");

  it("reads delta seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter(" 120 ", now)).toBe(120);
    expect(parseRetryAfter("0", now)).toBe(0);
  });

  it("reads HTTP dates relative to now, never negative", () => {
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Sunday, 22-Nov-26 10:00:05 GMT", now)).toBe(5); // obsolete RFC 850 form
    expect(parseRetryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });

  it("ignores absent and malformed values", () => {
    for (const bad of [undefined, "", "soon", "-5", "7.5", "1e3", "Sun, 99 Nov 2026 99:99:99 GMT"]) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
});
