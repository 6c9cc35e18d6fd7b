import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, isWebhookSecret, signPayload, verifyWebhook } from "./signing.ts";

const body = JSON.stringify({ id: "evt_1", action: "user.login", actor: { email: "ana@example.com" }, note: "ünïcödé ✓" });
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The signature header reduced to a single `v1,` entry, as if only one secret had signed. */
function only(headers: Record<string, string>, entry: string): Record<string, string> {
  return { ...headers, "webhook-signature": entry };
}

describe("generateWebhookSecret", () => {
  it("is whsec_ + base64 of 32 random bytes", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(isWebhookSecret(secret)).toBe(true);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it("isWebhookSecret rejects malformed secrets", () => {
    for (const bad of ["", "whsec_", "sk_" + "A".repeat(44), "whsec_" + "A".repeat(20), "whsec_not*base64*at*all*not*base64*at*all*", "whsec_" + "A".repeat(120)]) {
      expect(isWebhookSecret(bad)).toBe(false);
    }
  });
});

describe("signPayload", () => {
  it("produces Standard Webhooks headers that the standardwebhooks library verifies", () => {
    const secret = generateWebhookSecret();
    const headers = signPayload({ id: "msg_2Kq1", timestamp: nowSeconds(), body, secrets: [secret] });
    expect(headers["webhook-id"]).toBe("msg_2Kq1");
    expect(headers["webhook-timestamp"]).toMatch(/^\d+$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("matches an independent computation of the signature", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const headers = signPayload({ id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: '{"test": 2432232314}', secrets: [secret] });
    // The test vector from the Standard Webhooks specification's reference libraries.
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs with every secret during a rotation, and each signature verifies on its own", () => {
    const newest = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const headers = signPayload({ id: "msg_rot", timestamp: nowSeconds(), body, secrets: [newest, previous] });
    const entries = headers["webhook-signature"].split(" ");
    expect(entries).toHaveLength(2);
    for (const secret of [newest, previous]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
    expect(new Webhook(newest).verify(body, only({ ...headers }, entries[0]!))).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, only({ ...headers }, entries[1]!))).toEqual(JSON.parse(body));
    expect(() => new Webhook(newest).verify(body, only({ ...headers }, entries[1]!))).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(/No matching signature/);
  });

  it("signs a duplicated secret once", () => {
    const secret = generateWebhookSecret();
    const headers = signPayload({ id: "msg_dup", timestamp: nowSeconds(), body, secrets: [secret, secret] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(1);
  });

  it("fails verification when the body, timestamp or id is tampered with", () => {
    const secret = generateWebhookSecret();
    const ts = nowSeconds();
    const headers = { ...signPayload({ id: "msg_t", timestamp: ts, body, secrets: [secret] }) };
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace("login", "logout"), headers)).toThrow(/No matching signature/);
    expect(() => wh.verify(body + " ", headers)).toThrow(/No matching signature/);
    expect(() => wh.verify(body, { ...headers, "webhook-timestamp": String(ts - 1) })).toThrow(/No matching signature/);
    expect(() => wh.verify(body, { ...headers, "webhook-id": "msg_u" })).toThrow(/No matching signature/);
  });

  it("is refused by receivers when the timestamp is stale or in the future", () => {
    const secret = generateWebhookSecret();
    const wh = new Webhook(secret);
    const stale = signPayload({ id: "msg_old", timestamp: nowSeconds() - 301, body, secrets: [secret] });
    expect(() => wh.verify(body, { ...stale })).toThrow(/too old/);
    const future = signPayload({ id: "msg_new", timestamp: nowSeconds() + 400, body, secrets: [secret] });
    expect(() => wh.verify(body, { ...future })).toThrow(/too new/);
  });

  it("adds the HyreLog compatibility headers, signed with the newest secret", () => {
    const newest = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const ts = 1_800_000_000;
    const headers = signPayload({ id: "msg_c", timestamp: ts, body, secrets: [newest, previous] });
    expect(headers["x-hyrelog-timestamp"]).toBe(String(ts));
    // What an existing receiver computes: HMAC-SHA256 keyed with the secret string, over "<ts>.<body>".
    const expected = createHmac("sha256", newest).update(`${ts}.${body}`).digest("hex");
    expect(headers["x-hyrelog-signature"]).toBe(`v1=${expected}`);
  });

  it("rejects ids that could make the signed content ambiguous, bad timestamps, and missing or malformed secrets", () => {
    const secret = generateWebhookSecret();
    expect(() => signPayload({ id: "a.1", timestamp: 2, body, secrets: [secret] })).toThrow(TypeError);
    expect(() => signPayload({ id: "a\r\nx-evil: 1", timestamp: 2, body, secrets: [secret] })).toThrow(TypeError);
    expect(() => signPayload({ id: "", timestamp: 2, body, secrets: [secret] })).toThrow(TypeError);
    expect(() => signPayload({ id: "msg", timestamp: 1.5, body, secrets: [secret] })).toThrow(TypeError);
    expect(() => signPayload({ id: "msg", timestamp: -1, body, secrets: [secret] })).toThrow(TypeError);
    expect(() => signPayload({ id: "msg", timestamp: 2, body, secrets: [] })).toThrow(TypeError);
    expect(() => signPayload({ id: "msg", timestamp: 2, body, secrets: ["plaintext-password"] })).toThrow(/whsec_/);
  });
});

describe("verifyWebhook", () => {
  const secret = generateWebhookSecret();
  const ts = 1_800_000_000;
  const now = new Date(ts * 1000);
  const headers = signPayload({ id: "msg_v", timestamp: ts, body, secrets: [secret] });

  it("accepts our own signatures, from a plain object, Node-style headers or a fetch Headers", () => {
    expect(verifyWebhook(headers, body, secret, { now })).toEqual({ ok: true, id: "msg_v", timestamp: ts });
    const mixedCase = { "Webhook-Id": headers["webhook-id"], "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"], "webhook-signature": headers["webhook-signature"] };
    expect(verifyWebhook(mixedCase, body, secret, { now }).ok).toBe(true);
    expect(verifyWebhook(new Headers({ ...headers }), Buffer.from(body), secret, { now }).ok).toBe(true);
  });

  it("accepts deliveries signed by the standardwebhooks library", () => {
    const wh = new Webhook(secret);
    const signature = wh.sign("msg_lib", new Date(ts * 1000), body);
    const libHeaders = { "webhook-id": "msg_lib", "webhook-timestamp": String(ts), "webhook-signature": signature };
    expect(verifyWebhook(libHeaders, body, secret, { now }).ok).toBe(true);
  });

  it("accepts any of several secrets and any matching entry", () => {
    const other = generateWebhookSecret();
    expect(verifyWebhook(headers, body, [other, secret], { now }).ok).toBe(true);
    const withJunk = { ...headers, "webhook-signature": `v2,abc v1,${"A".repeat(43)}= ${headers["webhook-signature"]}` };
    expect(verifyWebhook(withJunk, body, secret, { now }).ok).toBe(true);
    expect(verifyWebhook(headers, body, other, { now })).toEqual({ ok: false, reason: "no-matching-signature" });
  });

  it("rejects tampered body, id, timestamp and signature", () => {
    expect(verifyWebhook(headers, body + "x", secret, { now })).toEqual({ ok: false, reason: "no-matching-signature" });
    expect(verifyWebhook({ ...headers, "webhook-id": "msg_w" }, body, secret, { now })).toEqual({ ok: false, reason: "no-matching-signature" });
    expect(verifyWebhook({ ...headers, "webhook-timestamp": String(ts + 1) }, body, secret, { now })).toEqual({ ok: false, reason: "no-matching-signature" });
    const flipped = headers["webhook-signature"].replace(/v1,(.)/, (_m, c: string) => `v1,${c === "A" ? "B" : "A"}`);
    expect(verifyWebhook({ ...headers, "webhook-signature": flipped }, body, secret, { now }).ok).toBe(false);
    expect(verifyWebhook({ ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,") }, body, secret, { now }).ok).toBe(false);
  });

  it("rejects stale and future timestamps outside the tolerance, and accepts the edges", () => {
    const at = (seconds: number) => new Date((ts + seconds) * 1000);
    expect(verifyWebhook(headers, body, secret, { now: at(300) }).ok).toBe(true);
    expect(verifyWebhook(headers, body, secret, { now: at(-300) }).ok).toBe(true);
    expect(verifyWebhook(headers, body, secret, { now: at(301) })).toEqual({ ok: false, reason: "timestamp-too-old" });
    expect(verifyWebhook(headers, body, secret, { now: at(-301) })).toEqual({ ok: false, reason: "timestamp-too-new" });
    expect(verifyWebhook(headers, body, secret, { now: at(30), toleranceSeconds: 10 })).toEqual({ ok: false, reason: "timestamp-too-old" });
    // Without `now`, the real clock: a 2027 timestamp is far in the past or future of any test run.
    expect(verifyWebhook(headers, body, secret).ok).toBe(false);
  });

  it("rejects missing headers and malformed timestamps", () => {
    expect(verifyWebhook({}, body, secret, { now })).toEqual({ ok: false, reason: "missing-headers" });
    const { "webhook-id": _id, ...noId } = headers;
    expect(verifyWebhook(noId, body, secret, { now })).toEqual({ ok: false, reason: "missing-headers" });
    for (const bad of ["1.8e9", "-1", "abc", " 1800000000"]) {
      expect(verifyWebhook({ ...headers, "webhook-timestamp": bad }, body, secret, { now })).toEqual({ ok: false, reason: "invalid-timestamp" });
    }
  });

  it("throws on a malformed secret rather than failing open", () => {
    expect(() => verifyWebhook(headers, body, "not-a-secret", { now })).toThrow(TypeError);
  });
});
