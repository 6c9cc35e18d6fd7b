/** Verification: signed checkpoints, signing keys, inclusion and consistency proofs, re-verification of stored events. */
import { FaultKindSchema, type Checkpoint, type VerifyRangeResponse } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { array, dateTime, errorResponse, hex64, integer, jsonResponse, limitQuery, named, nullable, nullableDateTime, object, query, response, str, uuid, WORKSPACE_ID, type Json } from "../api-schema.ts";
import { iso, stringParam, type Handler, type Route, type RouteTable, type Violation } from "./shared.ts";

const FAULT_KINDS = enumNames(FaultKindSchema, { prefix: "FAULT_KIND_", lowerCase: true });

const CHECKPOINT = named(
  "Checkpoint",
  object(
    {
      logId: uuid("The log: a workspace id, or the company id for the company's own log."),
      treeSize: integer({ minimum: 1, description: "How many events (sequences 1..treeSize) the tree holds." }),
      rootHash: hex64("RFC 9162 Merkle tree hash over the events' hashes, lowercase hex."),
      createdAt: dateTime(),
      keyName: str({ description: "Name of the key that signed it." }),
      signedNote: str({ description: "The C2SP signed note: checkpoint body (origin, size, base64 root, timestamp line), a blank line, signature lines. See docs/verification.md." }),
    },
    undefined,
    { description: "A signed commitment to a log's size and Merkle root." },
  ),
);

const CHECKPOINT_LIST = named("CheckpointList", object({ data: array(CHECKPOINT) }));

const SIGNING_KEYS = named(
  "SigningKeys",
  object({
    keys: array(
      object({
        name: str(),
        keyId: str({ pattern: "^[0-9a-f]{8}$" }),
        verifierKey: str({ description: "`<name>+<key id>+<base64(0x01 || Ed25519 public key)>` (C2SP signed-note verifier key)." }),
        validFrom: dateTime(),
        validUntil: nullableDateTime("Set once another key took over; its checkpoints stay valid."),
      }),
    ),
  }),
);

const INCLUSION_PROOF = named(
  "InclusionProof",
  object({
    eventId: uuid(),
    logId: uuid(),
    leafIndex: integer({ minimum: 0, description: "sequence - 1" }),
    treeSize: integer({ minimum: 1 }),
    leaf: hex64("The event's hash: the leaf (hashed with the 0x00 prefix in the tree)."),
    proof: array(hex64("A sibling subtree hash."), { description: "RFC 9162 §2.1.3 audit path, bottom up." }),
    rootHash: hex64("The tree hash at treeSize."),
    checkpoint: nullable(CHECKPOINT, "The signed checkpoint of this tree size, when there is one."),
  }),
);

const CONSISTENCY_PROOF = named(
  "ConsistencyProof",
  object({
    logId: uuid(),
    from: integer({ minimum: 1 }),
    to: integer({ minimum: 1 }),
    proof: array(hex64("A subtree hash."), { description: "RFC 9162 §2.1.4 consistency proof." }),
    fromRootHash: hex64("The tree hash at `from`."),
    toRootHash: hex64("The tree hash at `to`."),
  }),
);

const VERIFY_REQUEST = named(
  "VerifyRequest",
  object(
    {
      workspaceId: uuid("Company keys: the workspace (absent: the company's own log)."),
      fromSequence: integer({ minimum: 1, description: "Default 1." }),
      toSequence: integer({ minimum: 1, description: "Default: the last event." }),
    },
    [],
  ),
);

const VERIFY_RESULT = named(
  "VerifyResult",
  object({
    ok: { type: "boolean" },
    logId: uuid(),
    fromSequence: integer({ minimum: 1 }),
    toSequence: integer({ minimum: 0 }),
    eventsChecked: integer({ minimum: 0 }),
    checkpointsChecked: integer({ minimum: 0 }),
    fault: nullable(
      object({
        sequence: integer({ minimum: 1, description: "The first sequence number where the stored data disagrees." }),
        kind: { type: "string", enum: ["altered", "missing", "reordered", "inserted", "bad_signature"] },
        detail: str(),
      }),
    ),
  }),
);

/** A tree size (a count of events) as a query parameter. */
const TREE_SIZE = integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

const READ_ERRORS: Record<string, Json> = { "403": response("Forbidden"), "404": response("NotFound") };

export const verificationRoutes: RouteTable = (clients): Route[] => {
  const latestCheckpoint: Handler = async (r) => {
    const res = await clients
      .verification(r.region)
      .getLatestCheckpoint({ principal: r.principal, workspaceId: stringParam(r.url.searchParams, "workspaceId") }, { headers: r.callHeaders });
    return { status: 200, body: checkpointJson(res.checkpoint!) };
  };

  const listCheckpoints: Handler = async (r) => {
    const { from = 0, limit = 0 } = r.query as { from?: number; limit?: number };
    const res = await clients.verification(r.region).listCheckpoints(
      { principal: r.principal, workspaceId: stringParam(r.url.searchParams, "workspaceId"), fromTreeSize: BigInt(from), limit },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { data: res.checkpoints.map(checkpointJson) } };
  };

  const consistency: Handler = async (r) => {
    // Both required (declared so): the dispatcher has refused a request without them.
    const { from, to } = r.query as { from: number; to: number };
    const res = await clients.verification(r.region).getConsistencyProof(
      { principal: r.principal, workspaceId: stringParam(r.url.searchParams, "workspaceId"), fromTreeSize: BigInt(from), toTreeSize: BigInt(to) },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: { logId: res.logId, from, to, proof: res.proof, fromRootHash: res.fromRootHash, toRootHash: res.toRootHash },
    };
  };

  const signingKeys: Handler = async (r) => {
    const res = await clients.verification(r.region).listSigningKeys({}, { headers: r.callHeaders });
    return {
      status: 200,
      body: { keys: res.keys.map((k) => ({ name: k.name, keyId: k.keyId, verifierKey: k.verifierKey, validFrom: iso(k.validFrom), validUntil: iso(k.validUntil) })) },
    };
  };

  const inclusionProof: Handler = async (r) => {
    const { treeSize } = r.query as { treeSize?: number };
    const res = await clients.verification(r.region).getInclusionProof(
      { principal: r.principal, eventId: r.params.id!, treeSize: treeSize === undefined ? undefined : BigInt(treeSize) },
      { headers: r.callHeaders },
    );
    return {
      status: 200,
      body: {
        eventId: res.eventId,
        logId: res.logId,
        leafIndex: Number(res.leafIndex),
        treeSize: Number(res.treeSize),
        leaf: res.leaf,
        proof: res.proof,
        rootHash: res.rootHash,
        checkpoint: res.checkpoint ? checkpointJson(res.checkpoint) : null,
      },
    };
  };

  const verify: Handler = async (r) => {
    const body = r.body as { workspaceId?: string; fromSequence?: number; toSequence?: number };
    const res = await clients.verification(r.region).verifyRange(
      {
        principal: r.principal,
        workspaceId: body.workspaceId ?? "",
        fromSequence: body.fromSequence === undefined ? undefined : BigInt(body.fromSequence),
        toSequence: body.toSequence === undefined ? undefined : BigInt(body.toSequence),
      },
      { headers: r.callHeaders },
    );
    return { status: 200, body: verifyResultJson(res) };
  };

  return [
    {
      method: "GET",
      pattern: "/v1/checkpoints/latest",
      doc: {
        tag: "Verification",
        operationId: "getLatestCheckpoint",
        summary: "The newest signed checkpoint of a log",
        description:
          "Workspace keys: their workspace. Company keys: `workspaceId`, or the company's own log without it. 404 until the first checkpoint is signed (within CHECKPOINT_INTERVAL_MS of the first event).",
        parameters: [WORKSPACE_ID],
        responses: { "200": jsonResponse("The checkpoint.", CHECKPOINT), ...READ_ERRORS },
      },
      handler: latestCheckpoint,
    },
    {
      method: "GET",
      pattern: "/v1/checkpoints/consistency",
      doc: {
        tag: "Verification",
        operationId: "getConsistencyProof",
        summary: "Proof that one tree size is a prefix of a larger one",
        parameters: [WORKSPACE_ID, query("from", TREE_SIZE, "The smaller tree size (a checkpoint's treeSize).", true), query("to", TREE_SIZE, "The larger tree size.", true)],
        responses: { "200": jsonResponse("The proof and both roots.", CONSISTENCY_PROOF), ...READ_ERRORS },
      },
      handler: consistency,
    },
    {
      method: "GET",
      pattern: "/v1/checkpoints",
      doc: {
        tag: "Verification",
        operationId: "listCheckpoints",
        summary: "Checkpoints of a log, oldest first",
        parameters: [WORKSPACE_ID, query("from", TREE_SIZE, "Smallest tree size to list."), limitQuery(1000)],
        responses: { "200": jsonResponse("Checkpoints.", CHECKPOINT_LIST), ...READ_ERRORS },
      },
      handler: listCheckpoints,
    },
    {
      method: "GET",
      pattern: "/v1/verification/keys",
      doc: {
        tag: "Verification",
        operationId: "listSigningKeys",
        summary: "Public keys that sign checkpoints",
        responses: { "200": jsonResponse("Every key that has signed, with its validity.", SIGNING_KEYS) },
      },
      handler: signingKeys,
    },
    {
      method: "GET",
      pattern: "/v1/events/:id/proof",
      doc: {
        tag: "Verification",
        operationId: "getInclusionProof",
        summary: "Proof that an event is in a log's tree",
        path: { id: "The event's id (UUID)." },
        parameters: [query("treeSize", TREE_SIZE, "Default: the latest checkpoint's tree size.")],
        responses: {
          "200": jsonResponse("The audit path.", INCLUSION_PROOF),
          "404": response("NotFound"),
          "409": errorResponse("409", "No checkpoint covers the event yet (failed_precondition); retry shortly or pass treeSize."),
        },
      },
      handler: inclusionProof,
    },
    {
      method: "POST",
      pattern: "/v1/verify",
      doc: {
        tag: "Verification",
        operationId: "verifyRange",
        summary: "Re-verify stored events against their hashes, chain and signed checkpoints",
        description:
          "Recomputes every event's hash, checks sequences and links, every checkpoint's signature, and (from sequence 1) every checkpoint's root. Reports the first sequence where the stored data disagrees and the kind of fault. The body is optional.",
        body: { schema: VERIFY_REQUEST, required: false },
        responses: { "200": jsonResponse("The verdict.", VERIFY_RESULT), ...READ_ERRORS },
      },
      handler: verify,
    },
  ];
};

/** The optional `fromSequence` and `toSequence` of a verification request body. */
export function verifyRange(body: Record<string, unknown>, violations: Violation[]): { fromSequence?: bigint; toSequence?: bigint } {
  const seq = (field: "fromSequence" | "toSequence") => {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (Number.isSafeInteger(v) && (v as number) >= 1) return BigInt(v as number);
    violations.push({ field, description: "must be a sequence number >= 1" });
    return undefined;
  };
  return { fromSequence: seq("fromSequence"), toSequence: seq("toSequence") };
}

/** A VerifyRange answer as the API writes it (POST /v1/verify, and the system log's). */
export function verifyResultJson(res: VerifyRangeResponse) {
  return {
    ok: res.ok,
    logId: res.logId,
    fromSequence: Number(res.fromSequence),
    toSequence: Number(res.toSequence),
    eventsChecked: Number(res.eventsChecked),
    checkpointsChecked: Number(res.checkpointsChecked),
    fault: res.ok ? null : { sequence: Number(res.faultSequence), kind: FAULT_KINDS.toName(res.faultKind) ?? "unknown", detail: res.faultDetail },
  };
}

function checkpointJson(c: Checkpoint) {
  return { logId: c.logId, treeSize: Number(c.treeSize), rootHash: c.rootHash, createdAt: iso(c.createdAt), keyName: c.keyName, signedNote: c.signedNote };
}
