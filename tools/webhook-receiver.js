#!/usr/bin/env node
/**
 * A local receiver for HyreLog webhooks: prints every delivery and verifies its Standard Webhooks
 * signature itself (HMAC-SHA256, no dependencies), as docs/webhooks.md describes.
 *
 *   WEBHOOK_SECRET=whsec_... node tools/webhook-receiver.js        (or: pnpm webhook:receiver)
 *
 * Environment:
 *   WEBHOOK_SECRET   the endpoint's secret(s); several separated by spaces or commas (during a rotation)
 *   PORT             default 3001; HOST default 127.0.0.1
 *   RESPOND_STATUS   the status to answer verified deliveries with (default 204), e.g. 500 or 410 to
 *                    watch retries or disabling
 *
 * A delivery whose signature does not verify, or whose timestamp is more than 5 minutes away from
 * this machine's clock (replay protection), is answered 400 and printed as REJECTED.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const TOLERANCE_SECONDS = 5 * 60;
const secrets = (process.env.WEBHOOK_SECRET ?? "").split(/[\s,]+/).filter(Boolean);
const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? "127.0.0.1";
const respondStatus = Number(process.env.RESPOND_STATUS ?? 204);

if (secrets.length === 0 || secrets.some((s) => !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s))) {
  console.error("Set WEBHOOK_SECRET to the endpoint's signing secret (whsec_...), shown when you created the webhook.");
  process.exit(2);
}
const keys = secrets.map((s) => Buffer.from(s.slice("whsec_".length), "base64"));
const seen = new Set();

/** Why a delivery is not authentic, or null when it is. */
function verify(headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) return "missing webhook-id, webhook-timestamp or webhook-signature";
  if (!/^\d+$/.test(timestamp)) return "malformed webhook-timestamp";
  const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (skew > TOLERANCE_SECONDS) return `timestamp is ${Math.round(skew)} s away from this clock (more than ${TOLERANCE_SECONDS} s): a replay?`;
  const candidates = signatures
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .map((s) => Buffer.from(s.slice(3)));
  for (const key of keys) {
    const expected = Buffer.from(createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64"));
    if (candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected))) return null;
  }
  return "no signature matches WEBHOOK_SECRET";
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const problem = verify(req.headers, body);
    const time = new Date().toISOString().slice(11, 23);
    if (problem) {
      console.log(`${time} REJECTED ${req.method} ${req.url}: ${problem}`);
      res.writeHead(400, { "content-type": "text/plain" }).end(problem);
      return;
    }
    const id = req.headers["webhook-id"];
    const again = seen.has(id) ? " (again: same webhook-id, a retry or replay)" : "";
    seen.add(id);
    let summary = "";
    try {
      const envelope = JSON.parse(body.toString("utf8"));
      const e = envelope.data?.event;
      summary = e
        ? `${envelope.type} ${e.action} by ${e.actor?.id ?? "?"} on ${e.target?.type ?? "-"}/${e.target?.id ?? "-"} (workspace ${e.workspaceId}, sequence ${e.sequence}, hash ${String(e.hash).slice(0, 12)}…)`
        : `${envelope.type} ${JSON.stringify(envelope.data)}`;
    } catch {
      summary = "(body is not JSON)";
    }
    console.log(`${time} verified ${id}${again}\n  ${summary}`);
    res.writeHead(respondStatus).end();
  });
});

server.listen(port, host, () => {
  console.log(`HyreLog webhook receiver on http://${host}:${port}/ — verifying with ${secrets.length} secret(s); answering ${respondStatus}`);
});
process.on("SIGINT", () => server.close(() => process.exit(0)));
