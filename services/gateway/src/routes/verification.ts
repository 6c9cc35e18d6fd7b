/** Verification: signed checkpoints, signing keys, inclusion and consistency proofs, re-verification of stored events. */
import { FaultKindSchema, type Checkpoint, type VerifyRangeResponse } from "@hyrelog/proto";
import { enumNames } from "@hyrelog/runtime";
import { badRequest, iso, limitParam, optionalObjectBody, refuse, sizeParam, stringParam, type Handler, type RouteTable, type Violation } from "./shared.ts";

const FAULT_KINDS = enumNames(FaultKindSchema, { prefix: "FAULT_KIND_", lowerCase: true });

export const verificationRoutes: RouteTable = (clients) => {
  const latestCheckpoint: Handler = async (r) => {
    const res = await clients
      .verification(r.region)
      .getLatestCheckpoint({ principal: r.principal, workspaceId: stringParam(r.url.searchParams, "workspaceId") }, { headers: r.callHeaders });
    return { status: 200, body: checkpointJson(res.checkpoint!) };
  };

  const listCheckpoints: Handler = async (r) => {
    const q = r.url.searchParams;
    const res = await clients.verification(r.region).listCheckpoints(
      { principal: r.principal, workspaceId: stringParam(q, "workspaceId"), fromTreeSize: BigInt(sizeParam(q, "from") ?? 0), limit: limitParam(q, 1000) },
      { headers: r.callHeaders },
    );
    return { status: 200, body: { data: res.checkpoints.map(checkpointJson) } };
  };

  const consistency: Handler = async (r) => {
    const q = r.url.searchParams;
    const from = sizeParam(q, "from");
    const to = sizeParam(q, "to");
    if (from === undefined || to === undefined) {
      throw badRequest("from and to are required", [{ field: from === undefined ? "from" : "to", description: "is required: a tree size (a checkpoint's treeSize)" }]);
    }
    const res = await clients.verification(r.region).getConsistencyProof(
      { principal: r.principal, workspaceId: stringParam(q, "workspaceId"), fromTreeSize: BigInt(from), toTreeSize: BigInt(to) },
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
    const treeSize = sizeParam(r.url.searchParams, "treeSize");
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
    const body = await optionalObjectBody(r.req);
    const violations: Violation[] = [];
    const workspaceId = body.workspaceId;
    if (workspaceId !== undefined && typeof workspaceId !== "string") violations.push({ field: "workspaceId", description: "must be a string" });
    const range = verifyRange(body, violations);
    refuse("invalid verification request", violations);
    const res = await clients.verification(r.region).verifyRange(
      { principal: r.principal, workspaceId: (workspaceId as string | undefined) ?? "", ...range },
      { headers: r.callHeaders },
    );
    return { status: 200, body: verifyResultJson(res) };
  };

  return [
    { method: "GET", pattern: "/v1/checkpoints/latest", query: ["workspaceId"], handler: latestCheckpoint },
    { method: "GET", pattern: "/v1/checkpoints/consistency", query: ["workspaceId", "from", "to"], handler: consistency },
    { method: "GET", pattern: "/v1/checkpoints", query: ["workspaceId", "from", "limit"], handler: listCheckpoints },
    { method: "GET", pattern: "/v1/verification/keys", handler: signingKeys },
    { method: "GET", pattern: "/v1/events/:id/proof", query: ["treeSize"], handler: inclusionProof },
    { method: "POST", pattern: "/v1/verify", handler: verify },
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
