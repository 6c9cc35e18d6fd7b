/**
 * Personal data under per-subject keys (chain v2, docs/adr/0012-personal-data-chain-v2.md).
 *
 * An event's personal values (actor email and name, target name, request IP and user agent, and
 * any JSON pointer the sender marks) are taken out of the hashed document: each is replaced by
 * `null` in place and committed to in the document's `personal` map,
 *
 *     commitment = hex(SHA-256(salt + "\n" + pointer + "\n" + canonicalJson(value)))
 *
 * while the values themselves, with the salt, are sealed (AES-256-GCM) under the key of the data
 * subject who owns them. Destroying that key leaves the commitments, so every hash and proof still
 * verifies, and nothing to recover the values from. Three forms, converted at the edges:
 * - closed: what is hashed and stored (nulls in place, `personal`: pointer → commitment);
 * - sealed: one encrypted box per subject, stored beside the closed event;
 * - opened: what the API shows (values back in place, or ERASED; `personal`: pointer → opening).
 */
import { createHash, createHmac, createSecretKey, hash, type KeyObject } from "node:crypto";
import { pooledRandomBytes } from "./random.ts";
import { canonicalJson } from "./canonical-json.ts";
import { createSecretBox, secretBoxFromKey, type SecretBox } from "./secret-box.ts";

/** What an erased personal value reads as wherever an event is shown (API, exports, webhooks). */
export const ERASED = "[erased]";

/**
 * What another person's value reads as in a subject access file: the file shows the requesting
 * subject's data, and only the commitments of everyone else's (GDPR Art. 15(4)).
 */
export const WITHHELD = "[withheld]";

/** The hash-document version of events whose personal data is sealed. */
export const PERSONAL_CHAIN_VERSION = 2;

/** `target.type` values (any case) that make the target a person, who then owns personal values of the event. */
export const PERSON_TARGET_TYPES: readonly string[] = ["user", "person", "member", "customer", "employee", "contact", "individual"];

export type SubjectRole = "actor" | "target";

/** A personal value in the API form: its commitment and the salt that opens it, or `erased` (or, in a subject access file, `withheld`). */
export interface PersonalValue {
  commitment: string;
  salt?: string;
  erased?: true;
  withheld?: true;
}

/** One subject's personal values of one event, sealed under that subject's key. */
export interface SealedValues {
  subjectId: string;
  box: string;
}

/** A subject's identity and key, ready to seal or open. Key null: erased. */
export interface SubjectKey {
  id: string;
  key: KeyObject | null;
}

/** The fields of an event that can hold personal values. */
export interface PersonalFields {
  actor: { id: string | null; type: string | null; email: string | null; name: string | null };
  target: { id: string | null; type: string | null; name: string | null };
  changes: Array<{ field: string; old?: unknown; new?: unknown }>;
  metadata: Record<string, unknown>;
  context: { ip: string | null; userAgent: string | null; traceId: string | null; requestId: string | null };
}

/** The most pointers one event may mark as personal. */
export const MAX_MARKED_POINTERS = 50;

export const targetIsPerson = (target: PersonalFields["target"]): boolean =>
  target.id !== null && target.type !== null && PERSON_TARGET_TYPES.includes(target.type.toLowerCase());

/**
 * Which subject owns each personal value of the event: the defaults that are set, plus the
 * marked pointers. The actor owns its email and name and the request's IP and user agent; the
 * target's name and the marked values belong to the target when it is a person, else the actor.
 */
export function personalOwners(e: PersonalFields, marked: readonly string[]): Map<string, SubjectRole> {
  const person = targetIsPerson(e.target);
  const owners = new Map<string, SubjectRole>();
  const set = (pointer: string, value: unknown, role: SubjectRole) => {
    if (value !== null && value !== undefined) owners.set(pointer, role);
  };
  set("/actor/email", e.actor.email, "actor");
  set("/actor/name", e.actor.name, "actor");
  set("/context/ip", e.context.ip, "actor");
  set("/context/userAgent", e.context.userAgent, "actor");
  set("/target/name", e.target.name, person ? "target" : "actor");
  for (const pointer of marked) owners.set(pointer, person ? "target" : "actor");
  return owners;
}

/**
 * Problems with the pointers a sender marks as personal (empty when fine): each must name an
 * existing value inside `metadata` or a change's `old`/`new`, once, and none may hold another.
 */
export function markedPointerProblems(e: PersonalFields, marked: readonly string[]): Array<{ index: number; description: string }> {
  const problems: Array<{ index: number; description: string }> = [];
  if (marked.length > MAX_MARKED_POINTERS) return [{ index: -1, description: `must have at most ${MAX_MARKED_POINTERS} entries (got ${marked.length})` }];
  marked.forEach((pointer, index) => {
    const tokens = parsePointer(pointer);
    const inMetadata = tokens !== null && tokens[0] === "metadata" && tokens.length >= 2;
    const inChange = tokens !== null && tokens[0] === "changes" && tokens.length >= 3 && /^(0|[1-9]\d*)$/.test(tokens[1]!) && (tokens[2] === "old" || tokens[2] === "new");
    if (!inMetadata && !inChange) {
      problems.push({ index, description: 'must be a JSON pointer (RFC 6901) into metadata or a change\'s old/new value, e.g. "/metadata/customer/email" or "/changes/0/new"' });
    } else if (valueAt(e, pointer) === undefined) {
      problems.push({ index, description: `names no value of this event (${JSON.stringify(pointer)})` });
    } else if (marked.indexOf(pointer) !== index) {
      problems.push({ index, description: "is listed twice" });
    } else if (marked.some((other) => other !== pointer && (other.startsWith(pointer + "/") || pointer.startsWith(other + "/")))) {
      problems.push({ index, description: "overlaps another marked pointer; mark either the object or values inside it" });
    }
  });
  return problems;
}

/** RFC 6901 reference tokens, or null when `pointer` is not a pointer to something inside the document. */
function parsePointer(pointer: string): string[] | null {
  if (!pointer.startsWith("/") || /~[^01]|~$/.test(pointer)) return null;
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The value at `pointer` in `doc`, or undefined when there is none. */
export function valueAt(doc: unknown, pointer: string): unknown {
  const fixed = FIXED_POINTERS.get(pointer);
  if (fixed) {
    const parent = (doc as Record<string, Record<string, unknown> | undefined>)[fixed[0]];
    return parent && Object.hasOwn(parent, fixed[1]) ? parent[fixed[1]] : undefined;
  }
  const tokens = parsePointer(pointer);
  if (!tokens) return undefined;
  let node: unknown = doc;
  for (const token of tokens) {
    if (node === null || typeof node !== "object") return undefined;
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else {
      if (!Object.hasOwn(node, token)) return undefined;
      node = (node as Record<string, unknown>)[token];
    }
  }
  return node;
}

/** The default personal fields, read and written without parsing their pointers (they are on every event). */
const FIXED_POINTERS = new Map<string, [string, string]>([
  ["/actor/email", ["actor", "email"]],
  ["/actor/name", ["actor", "name"]],
  ["/context/ip", ["context", "ip"]],
  ["/context/userAgent", ["context", "userAgent"]],
  ["/target/name", ["target", "name"]],
]);

/** Sets the (existing) value at `pointer` in a document whose containers on the way are already copies. */
function setAt(doc: unknown, pointer: string, value: unknown): void {
  const fixed = FIXED_POINTERS.get(pointer);
  if (fixed) {
    (doc as Record<string, Record<string, unknown>>)[fixed[0]]![fixed[1]] = value;
    return;
  }
  const tokens = parsePointer(pointer)!;
  let node = doc as Record<string, unknown>;
  for (const token of tokens.slice(0, -1)) node = node[token] as Record<string, unknown>;
  node[tokens.at(-1)!] = value;
}

/** A copy of the event's personal fields that setAt may write into without touching the original. */
function copyFields<T extends PersonalFields>(e: T, pointers: Iterable<string>): T {
  let deep = false;
  for (const p of pointers) if (p.startsWith("/metadata/") || p.startsWith("/changes/")) deep = true;
  return {
    ...e,
    actor: { ...e.actor },
    target: { ...e.target },
    context: { ...e.context },
    changes: deep ? (structuredClone(e.changes) as T["changes"]) : e.changes,
    metadata: deep ? (structuredClone(e.metadata) as T["metadata"]) : e.metadata,
  };
}

/** The commitment to one personal value (see the module comment and docs/verification.md). */
export function personalCommitment(salt: string, pointer: string, value: unknown): string {
  return hash("sha256", `${salt}\n${pointer}\n${canonicalJson(value)}`, "hex");
}

/** What a sealed box holds. */
interface BoxContent {
  salt: string;
  values: Record<string, unknown>;
}

const boxContext = (companyId: string, subjectId: string) => `${companyId}/${subjectId}`;

/** One box per subject key, kept as long as the key is (a key is used for every event of its subject). */
const boxes = new WeakMap<KeyObject, SecretBox>();
function boxOf(key: KeyObject): SecretBox {
  let box = boxes.get(key);
  if (!box) boxes.set(key, (box = secretBoxFromKey(key)));
  return box;
}

/**
 * Takes the personal values out of an event: the closed form (nulls in place, `personal`
 * commitments) and one sealed box per owning subject. `retryKey` (the log and idempotency key)
 * makes the salt a function of the subject's key, so a retry of the same event commits to the
 * same values; without one the salt is random.
 */
export function sealPersonal<T extends PersonalFields>(
  e: T,
  owners: Map<string, SubjectRole>,
  subjects: Record<SubjectRole, SubjectKey | undefined>,
  companyId: string,
  retryKey: string | null,
): { closed: T & { v: number; personal: Record<string, string> }; sealed: SealedValues[] } {
  const closed = copyFields(e, owners.keys()) as T & { v: number; personal: Record<string, string> };
  const byRole: Record<SubjectRole, string[]> = { actor: [], target: [] };
  for (const [pointer, role] of owners) byRole[role].push(pointer);
  const commitments = new Map<string, string>();
  const sealed: SealedValues[] = [];
  for (const role of ["actor", "target"] as const) {
    const pointers = byRole[role];
    if (!pointers.length) continue;
    const subject = subjects[role];
    if (!subject?.key) throw new Error(`no key for the event's ${role} subject`);
    const salt = retryKey === null ? pooledRandomBytes(16).toString("hex") : createHmac("sha256", subject.key).update(`salt\n${retryKey}`).digest("hex").slice(0, 32);
    const values: Record<string, unknown> = {};
    for (const pointer of pointers) {
      const value = valueAt(e, pointer);
      values[pointer] = value;
      commitments.set(pointer, personalCommitment(salt, pointer, value));
      setAt(closed, pointer, null);
    }
    const content: BoxContent = { salt, values };
    sealed.push({ subjectId: subject.id, box: boxOf(subject.key).seal(JSON.stringify(content), boxContext(companyId, subject.id)) });
  }
  const personal: Record<string, string> = {};
  for (const pointer of [...commitments.keys()].sort()) personal[pointer] = commitments.get(pointer)!;
  closed.v = PERSONAL_CHAIN_VERSION;
  closed.personal = personal;
  return { closed, sealed };
}

/**
 * The API form of a closed event: each personal value back in place with its salt, or ERASED when
 * its subject's key is gone (or its box does not open). `keys` maps subject ids to keys (null:
 * erased); a subject missing from it counts as erased. `shownSubjects`: only these subjects'
 * values are shown; everyone else's read WITHHELD (subject access files).
 */
export function openPersonal<T extends PersonalFields>(
  closed: T & { personal: Record<string, string> },
  sealed: readonly SealedValues[],
  keys: ReadonlyMap<string, KeyObject | null>,
  companyId: string,
  shownSubjects?: ReadonlySet<string>,
): { opened: T; personal: Record<string, PersonalValue> } {
  const opened = copyFields(closed, Object.keys(closed.personal));
  const found = new Map<string, { salt: string; value: unknown; withheld: boolean }>();
  for (const s of sealed) {
    const key = keys.get(s.subjectId);
    if (!key) continue;
    let content: BoxContent;
    try {
      content = JSON.parse(boxOf(key).open(s.box, boxContext(companyId, s.subjectId))) as BoxContent;
    } catch {
      continue; // shown as erased: a box that does not open under its subject's key has nothing to show
    }
    const withheld = shownSubjects !== undefined && !shownSubjects.has(s.subjectId);
    for (const [pointer, value] of Object.entries(content.values)) found.set(pointer, { salt: content.salt, value, withheld });
  }
  const personal: Record<string, PersonalValue> = {};
  for (const [pointer, commitment] of Object.entries(closed.personal)) {
    const hit = found.get(pointer);
    if (hit?.withheld) {
      setAt(opened, pointer, WITHHELD);
      personal[pointer] = { commitment, withheld: true };
    } else if (hit) {
      setAt(opened, pointer, hit.value);
      personal[pointer] = { commitment, salt: hit.salt };
    } else {
      setAt(opened, pointer, ERASED);
      personal[pointer] = { commitment, erased: true };
    }
  }
  const { personal: _commitments, ...rest } = opened as T & { personal?: unknown };
  return { opened: rest as T, personal };
}

/**
 * The closed form of an opened event, as a verifier computes it: each value that has its salt is
 * committed to afresh (so the hash proves the value shown is the value logged); an erased one
 * keeps its stated commitment, and only while it reads ERASED.
 */
export function closePersonal<T extends PersonalFields>(opened: T, personal: Record<string, PersonalValue>): T & { personal: Record<string, string> } {
  const closed = copyFields(opened, Object.keys(personal)) as T & { personal: Record<string, string> };
  const commitments: Record<string, string> = {};
  for (const [pointer, p] of Object.entries(personal)) {
    const shown = valueAt(opened, pointer);
    if (p.erased || p.withheld) {
      // Nothing to recompute; anything but the marker in its place must not verify.
      commitments[pointer] = shown === (p.erased ? ERASED : WITHHELD) ? p.commitment : "not-the-marker";
    } else {
      commitments[pointer] = p.salt !== undefined ? personalCommitment(p.salt, pointer, shown) : p.commitment;
    }
    if (valueAt(opened, pointer) !== undefined) setAt(closed, pointer, null);
  }
  closed.personal = sortedKeys(commitments);
  return closed;
}

/**
 * The blind index of an email within one company: equal emails (any case) give equal indexes,
 * and without the index key nothing links an index to an email. Lets `actorEmail` filters and
 * subject requests find sealed events.
 */
export function emailIndex(indexKey: KeyObject, companyId: string, email: string): string {
  return createHmac("sha256", indexKey).update(`${companyId}\n${email.toLowerCase()}`, "utf8").digest("hex");
}

/**
 * The subject of an actor identified by email alone (no `actor.id`, as the original HyreLog API
 * allowed): `email:<blind index>`, so its key is found again for the same email in any case, a
 * subject request by email reaches it, and the email itself is never stored in the clear
 * (ADR 0012, "Actors without an id").
 */
export function emailSubjectId(index: string): string {
  return `email:${index}`;
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The region's master key: wraps each subject's key and holds the blind-index key. Locally it is
 * PERSONAL_DATA_MASTER_KEY (with earlier keys kept for unwrapping after a rotation); in production
 * the same interface fronts a KMS (docs/privacy.md).
 */
export interface MasterKey {
  /** Names the key that wraps new subject keys (stored with each, so an older one can still unwrap it). */
  readonly keyId: string;
  /** The key of the blind indexes (`actorEmail` filters); never leaves the process, outlives rotations. */
  readonly indexKey: KeyObject;
  wrap(key: Buffer, context: string): Promise<string>;
  /** `keyId`: the key that wrapped it (as stored); an unknown one is an error naming it. */
  unwrap(wrapped: string, context: string, keyId: string): Promise<Buffer>;
}

/** The id under which a local master key wraps (`local:` and 16 hex digits of its SHA-256). */
export function localMasterKeyId(base64: string): string {
  return `local:${createHash("sha256").update(Buffer.from(base64.trim(), "base64")).digest("hex").slice(0, 16)}`;
}

/**
 * The blind-index key that goes with a master key when PERSONAL_DATA_INDEX_KEY is not set. Pin it
 * (`hyrelog personal-data index-key` prints it) before the first rotation: emails stay findable
 * only while the index key stays the same.
 */
export function derivedIndexKey(masterBase64: string): string {
  return createHmac("sha256", Buffer.from(masterBase64.trim(), "base64")).update("hyrelog blind index v1").digest("base64");
}

/**
 * Local master keys from base64 of 32 random bytes (`openssl rand -base64 32`): `current` wraps
 * new subject keys; `previous` (earlier current keys) still unwrap the subject keys they wrapped.
 */
export function localMasterKey(current: string, previous: readonly string[] = [], indexKey: string = derivedIndexKey(current)): MasterKey {
  const boxes = new Map([current, ...previous].map((k) => [localMasterKeyId(k), createSecretBox(k)]));
  const keyId = localMasterKeyId(current);
  const currentBox = boxes.get(keyId)!;
  return {
    keyId,
    indexKey: createSecretKey(Buffer.from(indexKey.trim(), "base64")),
    wrap: async (key, context) => currentBox.seal(key.toString("base64"), context),
    unwrap: async (wrapped, context, wrappedBy) => {
      const box = boxes.get(wrappedBy);
      if (!box) throw new Error(`a subject key is wrapped by master key ${wrappedBy}, which is neither PERSONAL_DATA_MASTER_KEY nor in PERSONAL_DATA_PREVIOUS_MASTER_KEYS`);
      return Buffer.from(box.open(wrapped, context), "base64");
    },
  };
}
