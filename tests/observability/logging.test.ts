/**
 * Structured logs (pino): one JSON object per line, levels, child fields, and nothing secret or
 * personal in the output whatever a call site passes. The logger writes to a stream read here.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@hyrelog/testing";

const API_KEY = "hlk_ws_us_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg";
const WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

function capture(level: Parameters<typeof createLogger>[0] = "debug") {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger(level, { region: "us", targets: "ingest" }, stream);
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe("logs", () => {
  it("are JSON lines with level, ISO time, message, the process's and a child's fields", () => {
    const { logger, parsed } = capture();
    logger.child({ service: "ingest", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" }).info("event stored", { count: 3 });
    const [line] = parsed();
    expect(line).toMatchObject({ level: "info", msg: "event stored", region: "us", targets: "ingest", service: "ingest", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", count: 3 });
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
  });

  it("honour LOG_LEVEL", () => {
    const { logger, parsed } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e", { err: new Error("boom") });
    expect(parsed().map((l) => l.level)).toEqual(["warn", "error"]);
    expect(parsed()[1]!.err).toMatchObject({ type: "Error", message: "boom" });
    const silent = capture("silent");
    silent.logger.error("nothing");
    expect(silent.lines).toEqual([]);
  });

  it("redact API keys, authorization headers, webhook secrets, secret/password/token fields", () => {
    const { logger, lines, parsed } = capture();
    logger.info("request failed", {
      headers: { authorization: `Bearer ${API_KEY}`, "x-internal-token": "internal-token-0123456789", "content-type": "application/json" },
      authorization: `Bearer ${API_KEY}`,
      apiKey: API_KEY,
      nested: { deeper: { password: "hunter2", secret: WEBHOOK_SECRET, token: "t0k3n", note: `key ${API_KEY} and ${WEBHOOK_SECRET}` } },
      err: new Error(`invalid key ${API_KEY}`),
    });
    logger.child({ key: API_KEY }).warn(`could not authenticate ${API_KEY}`);
    const text = lines.join("\n");
    for (const secret of [API_KEY, API_KEY.slice(4), WEBHOOK_SECRET, "hunter2", "t0k3n", "internal-token-0123456789"]) expect(text).not.toContain(secret);
    const [first, second] = parsed();
    expect(first!.headers.authorization).toBe("[redacted]");
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.authorization).toBe("[redacted]");
    expect(first!.nested.deeper.note).toBe("key hlk_[redacted] and whsec_[redacted]");
    expect(first!.err.message).toBe("invalid key hlk_[redacted]");
    expect(second!.msg).toBe("could not authenticate hlk_[redacted]");
  });

  it("never carry personal data: e-mails, names, addresses, event payloads", () => {
    const { logger, lines, parsed } = capture();
    logger.info("event rejected", {
      actor: { id: "u_1", email: "jane.doe@example.com", name: "Jane Doe" },
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (Jane's laptop)",
      events: [{ metadata: { ssn: "078-05-1120" } }],
      err: new Error("duplicate key: (email)=(jane.doe@example.com)"),
      url: "postgres://hyrelog:s3cret-pw@db:5432/hyrelog_us",
    });
    const text = lines.join("\n");
    for (const personal of ["jane.doe@example.com", "Jane Doe", "203.0.113.7", "Jane's laptop", "078-05-1120", "s3cret-pw"]) expect(text).not.toContain(personal);
    expect(parsed()[0]!.url).toBe("postgres://[redacted]@db:5432/hyrelog_us");
  });
});
