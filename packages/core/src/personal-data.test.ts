import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalChainDocument, chainDocument, eventHash, type ChainedEventFields } from "./chain.ts";
import { canonicalJson } from "./canonical-json.ts";
import { chainFieldsOf, type EventJson } from "./event.ts";
import { ERASED, emailIndex, markedPointerProblems, openPersonal, personalOwners, sealPersonal, type SubjectKey } from "./personal-data.ts";

const company = "0190a000-0000-7000-8000-0000000000c0";
const plain = (): Omit<ChainedEventFields, "v" | "personal"> => ({
  id: "0190a000-0000-7000-8000-000000000001",
  companyId: company,
  workspaceId: "0190a000-0000-7000-8000-0000000000a0",
  projectId: null,
  sequence: 1,
  prevHash: "0".repeat(64),
  occurredAt: "2026-01-01T00:00:00.000Z",
  receivedAt: "2026-01-01T00:00:00.001Z",
  category: "user",
  action: "user.email_changed",
  actor: { id: "admin_1", type: "user", email: "ada@example.com", name: "Ada" },
  target: { id: "user_7", type: "User", name: "Grace" },
  changes: [{ field: "email", old: "grace@old.example", new: "grace@new.example" }],
  metadata: { plan: "pro", customer: { phone: "+44 20 7946 0000" } },
  context: { ip: "203.0.113.9", userAgent: "curl/8", traceId: null, requestId: "r1" },
});
const actor: SubjectKey = { id: "0190a000-0000-7000-8000-0000000000d1", key: createSecretKey(randomBytes(32)) };
const target: SubjectKey = { id: "0190a000-0000-7000-8000-0000000000d2", key: createSecretKey(randomBytes(32)) };
const marked = ["/changes/0/old", "/changes/0/new", "/metadata/customer/phone"];

function sealed() {
  const e = plain();
  const owners = personalOwners(e, marked);
  const { closed, sealed } = sealPersonal(e, owners, { actor, target }, company, null);
  return { e, owners, closed, sealed, hash: eventHash(closed) };
}

const publicForm = (closed: ChainedEventFields & { personal: Record<string, string> }, boxes: ReturnType<typeof sealed>["sealed"], keys: Map<string, KeyObject | null>, hash: string): EventJson => {
  const { opened, personal } = openPersonal(closed, boxes, keys, company);
  return { ...opened, v: 2, hash, personal, idempotencyKey: null };
};

describe("personal data (chain v2)", () => {
  it("assigns the actor's fields to the actor and a person target's name and marked values to the target", () => {
    const owners = personalOwners(plain(), marked);
    expect(Object.fromEntries(owners)).toEqual({
      "/actor/email": "actor",
      "/actor/name": "actor",
      "/context/ip": "actor",
      "/context/userAgent": "actor",
      "/target/name": "target",
      "/changes/0/old": "target",
      "/changes/0/new": "target",
      "/metadata/customer/phone": "target",
    });
    const document = { ...plain(), target: { id: "doc_1", type: "document", name: "Q3 plan" } };
    expect(personalOwners(document, ["/metadata/plan"]).get("/target/name")).toBe("actor");
    expect(personalOwners(document, ["/metadata/plan"]).get("/metadata/plan")).toBe("actor");
  });

  it("hashes no personal value: the closed form holds nulls and commitments, and the plain text is only in the sealed boxes", () => {
    const { closed, sealed: boxes } = sealed();
    const doc = canonicalChainDocument(closed);
    expect(doc).toBe(canonicalJson(chainDocument(closed)));
    for (const secret of ["ada@example.com", "Ada", "Grace", "203.0.113.9", "curl/8", "grace@old.example", "+44 20 7946 0000"]) {
      expect(doc).not.toContain(secret);
      expect(JSON.stringify(boxes)).not.toContain(secret);
    }
    expect(doc).toContain('"plan":"pro"');
    expect(closed.v).toBe(2);
    expect(boxes.map((b) => b.subjectId)).toEqual([actor.id, target.id]);
  });

  it("opens with the keys, and the opened event verifies: each shown value is committed to afresh", () => {
    const { e, closed, sealed: boxes, hash } = sealed();
    const event = publicForm(closed, boxes, new Map([[actor.id, actor.key], [target.id, target.key]]), hash);
    expect(event.actor).toEqual(e.actor);
    expect(event.changes).toEqual(e.changes);
    expect(event.metadata).toEqual(e.metadata);
    expect(eventHash(chainFieldsOf(event))).toBe(hash);
    // A value that is not the logged one fails the hash, even with the logged commitment beside it.
    expect(eventHash(chainFieldsOf({ ...event, actor: { ...event.actor, email: "eve@example.com" } }))).not.toBe(hash);
  });

  it("after a subject's key is destroyed, shows their values as erased and still verifies", () => {
    const { e, closed, sealed: boxes, hash } = sealed();
    const event = publicForm(closed, boxes, new Map([[actor.id, actor.key], [target.id, null]]), hash);
    expect(event.target.name).toBe(ERASED);
    expect(event.changes[0]).toEqual({ field: "email", old: ERASED, new: ERASED });
    expect(event.metadata).toEqual({ plan: "pro", customer: { phone: ERASED } });
    expect(event.personal!["/target/name"]).toEqual({ commitment: closed.personal["/target/name"], erased: true });
    expect(event.actor.email).toBe(e.actor.email);
    expect(eventHash(chainFieldsOf(event))).toBe(hash);
    // An entry marked erased that shows a value (made up, or the old one) does not verify.
    expect(eventHash(chainFieldsOf({ ...event, target: { ...event.target, name: "Grace" } }))).not.toBe(hash);
    const wrongKey = publicForm(closed, boxes, new Map([[actor.id, createSecretKey(randomBytes(32))]]), hash);
    expect(wrongKey.actor.email).toBe(ERASED);
    expect(eventHash(chainFieldsOf(wrongKey))).toBe(hash);
  });

  it("commits to the same values with the same salt for a retry of the same idempotency key", () => {
    const e = plain();
    const owners = personalOwners(e, []);
    const a = sealPersonal(e, owners, { actor, target }, company, "log\nkey-1");
    const b = sealPersonal(e, owners, { actor, target }, company, "log\nkey-1");
    const c = sealPersonal(e, owners, { actor, target }, company, null);
    expect(a.closed.personal).toEqual(b.closed.personal);
    expect(a.closed.personal).not.toEqual(c.closed.personal);
  });

  it("refuses marked pointers outside metadata and changes, missing, repeated or overlapping", () => {
    const problems = markedPointerProblems(plain(), ["/actor/id", "/metadata/nope", "/metadata/plan", "/metadata/plan", "/metadata/customer", "/metadata/customer/phone", "metadata/plan", "/changes/0/field"]);
    expect(problems.map((p) => p.index)).toEqual([0, 1, 3, 4, 5, 6, 7]);
    expect(markedPointerProblems(plain(), ["/metadata/customer/phone", "/changes/0/new"])).toEqual([]);
  });

  it("indexes emails per company, ignoring case", () => {
    const key = createSecretKey(randomBytes(32));
    expect(emailIndex(key, company, "Ada@Example.com")).toBe(emailIndex(key, company, "ada@example.com"));
    expect(emailIndex(key, company, "ada@example.com")).not.toBe(emailIndex(key, "other", "ada@example.com"));
  });
});
