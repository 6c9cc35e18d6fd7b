import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { FaultKind, KeyScope, VerificationService, type Principal } from "@hyrelog/proto";
import {
  CheckpointError,
  CompactRange,
  GENESIS_HASH,
  checkpointOrigin,
  eventHash,
  isUuid,
  verifyCheckpoint,
  type RegionCode,
} from "@hyrelog/core";
import { EVENT_COLUMNS, StoredTree, storedEventFromRow, type EventRow, type Orm, type StoredEvent } from "@hyrelog/db";
import { invalidArgument, type Tenancy } from "@hyrelog/runtime";

type CheckpointRow = { log_id: string; tree_size: string; root_hash: string; created_at: Date; signed_note: string; key_name: string };
type Fault = { sequence: number; kind: FaultKind; detail: string };

const PAGE = 2000;
/** One call re-hashes at most this many events (about 10 s of one core). */
const MAX_VERIFY_EVENTS = 1_000_000;

export function verificationRoutes(orm: Orm, tenancy: Tenancy, region: RegionCode) {
  const em = () => orm.em.fork();

  /** The log a principal may read: its workspace, a workspace of its company, or the company's own log. */
  const logOf = async (p: Principal | undefined, workspaceId: string): Promise<string> => {
    const scope = await tenancy.readScope(p, workspaceId);
    return scope.workspaceId ?? scope.reader.companyId;
  };

  const logSize = async (logId: string): Promise<number> => {
    const [row] = await em().execute<Array<{ sequence: string }>>(`select sequence from log_heads where log_id = ?`, [logId]);
    return row ? Number(row.sequence) : 0;
  };

  const toMessage = (c: CheckpointRow) => ({
    logId: c.log_id,
    treeSize: BigInt(c.tree_size),
    rootHash: c.root_hash,
    createdAt: timestampFromDate(new Date(c.created_at)),
    signedNote: c.signed_note,
    keyName: c.key_name,
  });

  const CHECKPOINT_COLUMNS = `c.log_id, c.tree_size, c.root_hash, c.created_at, c.signed_note, k.name as key_name`;
  const checkpointAt = async (logId: string, treeSize?: number): Promise<CheckpointRow | undefined> => {
    const rows = await em().execute<CheckpointRow[]>(
      treeSize === undefined
        ? `select ${CHECKPOINT_COLUMNS} from checkpoints c join signing_keys k using (key_id) where c.log_id = ? order by c.tree_size desc limit 1`
        : `select ${CHECKPOINT_COLUMNS} from checkpoints c join signing_keys k using (key_id) where c.log_id = ? and c.tree_size = ?`,
      treeSize === undefined ? [logId] : [logId, treeSize],
    );
    return rows[0];
  };

  return (router: ConnectRouter) =>
    router.service(VerificationService, {
      async getLatestCheckpoint(req) {
        const logId = await logOf(req.principal, req.workspaceId);
        const c = await checkpointAt(logId);
        if (!c) throw new ConnectError("this log has no checkpoint yet: one is signed shortly after its first event", Code.NotFound);
        return { checkpoint: toMessage(c) };
      },

      async listCheckpoints(req) {
        const logId = await logOf(req.principal, req.workspaceId);
        const limit = req.limit === 0 ? 100 : req.limit;
        if (limit > 1000) throw invalidArgument("limit too large", [{ field: "limit", description: "must be between 1 and 1000" }]);
        const rows = await em().execute<CheckpointRow[]>(
          `select ${CHECKPOINT_COLUMNS} from checkpoints c join signing_keys k using (key_id) where c.log_id = ? and c.tree_size >= ? order by c.tree_size limit ?`,
          [logId, Number(req.fromTreeSize), limit],
        );
        return { checkpoints: rows.map(toMessage) };
      },

      async listSigningKeys() {
        const rows = await em().execute<Array<{ key_id: string; name: string; verifier_key: string; valid_from: Date; valid_until: Date | null }>>(
          `select * from signing_keys order by valid_from`,
        );
        return {
          keys: rows.map((k) => ({
            name: k.name,
            keyId: k.key_id,
            verifierKey: k.verifier_key,
            validFrom: timestampFromDate(new Date(k.valid_from)),
            validUntil: k.valid_until ? timestampFromDate(new Date(k.valid_until)) : undefined,
          })),
        };
      },

      async getInclusionProof(req) {
        const p = req.principal;
        if (!p || !p.companyId) throw new ConnectError("principal is required", Code.Unauthenticated);
        if (!isUuid(req.eventId)) throw new ConnectError(`event ${req.eventId} not found`, Code.NotFound);
        const scoped = p.scope === KeyScope.WORKSPACE ? ` and workspace_id = ?` : "";
        // An archived event that left hot storage keeps its leaf (purged_events): its proof still works.
        const [event] = await em().execute<Array<{ log_id: string; sequence: string; hash: string }>>(
          `select log_id, sequence, hash from audit_events where id = ? and company_id = ?${scoped}
           union all
           select p.log_id, p.sequence, p.hash from purged_events p join log_lifecycle l using (log_id) where p.id = ? and l.company_id = ?${scoped}`,
          p.scope === KeyScope.WORKSPACE ? [req.eventId, p.companyId, p.workspaceId, req.eventId, p.companyId, p.workspaceId] : [req.eventId, p.companyId, req.eventId, p.companyId],
        );
        if (!event) throw new ConnectError(`event ${req.eventId} not found`, Code.NotFound);
        const sequence = Number(event.sequence);
        let treeSize: number;
        if (req.treeSize === undefined) {
          const latest = await checkpointAt(event.log_id);
          if (!latest || Number(latest.tree_size) < sequence) {
            throw new ConnectError("no checkpoint covers this event yet; retry shortly or pass treeSize", Code.FailedPrecondition);
          }
          treeSize = Number(latest.tree_size);
        } else {
          treeSize = Number(req.treeSize);
          const size = await logSize(event.log_id);
          if (treeSize < sequence || treeSize > size) {
            throw invalidArgument("treeSize out of range", [
              { field: "treeSize", description: `must be between the event's sequence (${sequence}) and the log's size (${size})` },
            ]);
          }
        }
        const [{ proof, root }, checkpoint] = await Promise.all([
          new StoredTree(em(), event.log_id).inclusionProof(sequence - 1, treeSize),
          checkpointAt(event.log_id, treeSize),
        ]);
        return {
          eventId: req.eventId,
          logId: event.log_id,
          leafIndex: BigInt(sequence - 1),
          treeSize: BigInt(treeSize),
          leaf: event.hash,
          proof,
          rootHash: root,
          checkpoint: checkpoint ? toMessage(checkpoint) : undefined,
        };
      },

      async getConsistencyProof(req) {
        const logId = await logOf(req.principal, req.workspaceId);
        const size = await logSize(logId);
        const from = Number(req.fromTreeSize);
        const to = Number(req.toTreeSize);
        if (from < 1 || from > to || to > size) {
          throw invalidArgument("tree sizes out of range", [{ field: "from", description: `need 1 <= from <= to <= ${size} (the log's size)` }]);
        }
        const { proof, fromRoot, toRoot } = await new StoredTree(em(), logId).consistencyProof(from, to);
        return { logId, fromTreeSize: BigInt(from), toTreeSize: BigInt(to), proof, fromRootHash: fromRoot, toRootHash: toRoot };
      },

      async verifyRange(req) {
        const logId = await logOf(req.principal, req.workspaceId);
        const size = await logSize(logId);
        const from = req.fromSequence === undefined ? 1 : Number(req.fromSequence);
        const to = req.toSequence === undefined ? size : Number(req.toSequence);
        if (from < 1 || (from > to && !(size === 0 && req.toSequence === undefined))) throw invalidArgument("empty range", [{ field: "fromSequence", description: "need 1 <= fromSequence <= toSequence" }]);
        if (to - from + 1 > MAX_VERIFY_EVENTS) {
          throw invalidArgument("range too large", [
            { field: "toSequence", description: `verify at most ${MAX_VERIFY_EVENTS} events per call; split the range (roots are checked only for ranges from sequence 1)` },
          ]);
        }
        const result = await verifyLog(em, region, logId, from, to, size);
        return {
          ok: !result.fault,
          logId,
          fromSequence: BigInt(from),
          toSequence: BigInt(to),
          eventsChecked: BigInt(result.events),
          checkpointsChecked: BigInt(result.checkpoints),
          faultSequence: BigInt(result.fault?.sequence ?? 0),
          faultKind: result.fault?.kind ?? FaultKind.UNSPECIFIED,
          faultDetail: result.fault?.detail ?? "",
        };
      },
    });
}

/**
 * Re-hashes the stored events `from..to` and checks them against each other (sequence, links)
 * and, when the range starts at 1, against every signed checkpoint it covers. Reports the first
 * sequence number where the stored data disagrees.
 */
async function verifyLog(em: () => ReturnType<Orm["em"]["fork"]>, region: RegionCode, logId: string, from: number, to: number, headSize: number) {
  const faults: Fault[] = [];
  const byHash = new Map<string, number>();
  const tree = from === 1 ? new CompactRange() : null;
  const roots = new Map<number, string>();
  let expected = from;
  let prev: { sequence: number; hash: string } | null = null;
  let events = 0;
  let window: StoredEvent[] = [];
  // Events that left hot storage for verified archives: their leaves and links are checked here
  // (the archive verification checked their content); the tree and checkpoints go on through them.
  const [lifecycle] = await em().execute<Array<{ purged_to: string }>>(`select purged_to::text as purged_to from log_lifecycle where log_id = ?`, [logId]);
  const purgedTo = Math.min(to, Number(lifecycle?.purged_to ?? 0));
  for (let cursor = from - 1; cursor < purgedTo; ) {
    const leaves = await em().execute<Array<{ sequence: string; prev_hash: string; hash: string }>>(
      `select sequence::text as sequence, prev_hash, hash from purged_events where log_id = ? and sequence > ? and sequence <= ? order by purged_events.sequence limit ?`,
      [logId, cursor, purgedTo, PAGE],
    );
    if (!leaves.length) break;
    for (const leaf of leaves) {
      const sequence = Number(leaf.sequence);
      events++;
      if (sequence !== expected) faults.push({ sequence: expected, kind: FaultKind.MISSING, detail: `sequence ${expected} is absent (next stored: ${sequence})` });
      else if (prev ? leaf.prev_hash !== prev.hash : sequence === 1 && leaf.prev_hash !== GENESIS_HASH) {
        faults.push({ sequence, kind: FaultKind.ALTERED, detail: "its link to the event before it does not hold (archived leaf)" });
      }
      byHash.set(leaf.hash, sequence);
      tree?.append(leaf.hash);
      if (tree) roots.set(tree.size, tree.root().toString("hex"));
      prev = { sequence, hash: leaf.hash };
      expected = sequence + 1;
      cursor = sequence;
    }
  }
  for (let cursor = Math.max(from - 1, purgedTo); ; ) {
    const rows = await em().execute<EventRow[]>(
      `select ${EVENT_COLUMNS} from audit_events where log_id = ? and sequence > ? and sequence <= ? order by sequence limit ?`,
      [logId, cursor, to, PAGE],
    );
    if (!rows.length) break;
    for (const row of rows) {
      const e = storedEventFromRow(row);
      events++;
      window = [...window.slice(-3), e];
      const gap = e.sequence !== expected;
      if (gap) faults.push({ sequence: expected, kind: FaultKind.MISSING, detail: `sequence ${expected} is absent (next stored: ${e.sequence})` });
      if (eventHash(e) !== e.hash) {
        faults.push(classifyMismatch(e, window));
      } else if (!gap && (prev ? e.prevHash !== prev.hash : e.sequence === 1 && e.prevHash !== GENESIS_HASH)) {
        const elsewhere = byHash.get(e.prevHash);
        faults.push(
          elsewhere !== undefined
            ? { sequence: e.sequence, kind: FaultKind.REORDERED, detail: `links to sequence ${elsewhere}, not to ${e.sequence - 1}` }
            : prev
              ? { sequence: prev.sequence, kind: FaultKind.ALTERED, detail: `its hash is not the one sequence ${e.sequence} committed to` }
              : { sequence: e.sequence, kind: FaultKind.ALTERED, detail: "the first event must link to the genesis hash" },
        );
      }
      byHash.set(e.hash, e.sequence);
      tree?.append(e.hash);
      if (tree) roots.set(tree.size, tree.root().toString("hex"));
      prev = { sequence: e.sequence, hash: e.hash };
      expected = e.sequence + 1;
      cursor = e.sequence;
    }
    if (rows.length < PAGE) break;
  }
  if (expected <= to && expected <= headSize) faults.push({ sequence: expected, kind: FaultKind.MISSING, detail: `sequences ${expected}..${Math.min(to, headSize)} are absent` });
  // Rows past the log's head were never acknowledged by HyreLog.
  const [beyond] = await em().execute<Array<{ sequence: string | null }>>(`select min(sequence) as sequence from audit_events where log_id = ? and sequence > ?`, [logId, headSize]);
  if (beyond?.sequence != null && to >= headSize) {
    faults.push({ sequence: Number(beyond.sequence), kind: FaultKind.INSERTED, detail: `the log holds ${headSize} events, yet sequence ${beyond.sequence} is stored` });
  }

  // Checkpoints: every signature, and (from sequence 1) every root against the events as stored.
  const keys = await em().execute<Array<{ verifier_key: string }>>(`select verifier_key from signing_keys`);
  const vkeys = keys.map((k) => k.verifier_key);
  const checkpoints = await em().execute<Array<{ tree_size: string; root_hash: string; signed_note: string }>>(
    `select tree_size, root_hash, signed_note from checkpoints where log_id = ? and tree_size <= ? order by tree_size`,
    [logId, to],
  );
  let lastGoodSize = 0;
  for (const c of checkpoints) {
    const size = Number(c.tree_size);
    try {
      const v = verifyCheckpoint(c.signed_note, vkeys, { origin: checkpointOrigin(region, logId) });
      if (v.treeSize !== size || v.rootHash !== c.root_hash) throw new CheckpointError("malformed_checkpoint", "stored size or root differ from the signed note");
    } catch (err) {
      faults.push({ sequence: size, kind: FaultKind.BAD_SIGNATURE, detail: `checkpoint at tree size ${size}: ${(err as Error).message}` });
      continue;
    }
    const root = roots.get(size);
    if (root === c.root_hash) lastGoodSize = size;
    if (root !== undefined && root !== c.root_hash && !faults.some((f) => f.sequence <= size)) {
      // The chain is intact, so the events were rewritten consistently. The change lies after the
      // last checkpoint whose root still matches, and in the first block whose stored hash differs.
      const first = Math.max(lastGoodSize + 1, await firstDivergentBlock(em, logId, size));
      faults.push({
        sequence: first,
        kind: FaultKind.ALTERED,
        detail: `the events no longer give the root signed at tree size ${size}; the change lies in sequences ${first}..${size}`,
      });
    }
  }
  faults.sort((a, b) => a.sequence - b.sequence);
  return { events, checkpoints: checkpoints.length, fault: faults[0] };
}

/** A stored hash that does not match the event: moved here from another position, or altered. */
function classifyMismatch(e: StoredEvent, window: StoredEvent[]): Fault {
  for (let s = e.sequence - 3; s <= e.sequence + 3; s++) {
    if (s < 1 || s === e.sequence) continue;
    if (eventHash({ ...e, sequence: s }) !== e.hash) continue;
    // Its content belongs at s. Shifted up one behind a well-chained stranger: that one was inserted.
    const stranger = window.find((w) => w.sequence === s);
    if (s < e.sequence && stranger && eventHash(stranger) === stranger.hash) {
      return { sequence: s, kind: FaultKind.INSERTED, detail: `sequence ${s} holds an event the chain did not have; the original moved to ${e.sequence}` };
    }
    return { sequence: e.sequence, kind: FaultKind.REORDERED, detail: `holds the event of sequence ${s}` };
  }
  return { sequence: e.sequence, kind: FaultKind.ALTERED, detail: "its stored fields no longer hash to its stored hash" };
}

/** The first sequence of the first 256-event block whose hash differs from the one indexed at signing time. */
async function firstDivergentBlock(em: () => ReturnType<Orm["em"]["fork"]>, logId: string, size: number): Promise<number> {
  const stored = await em().execute<Array<{ idx: string; hash: string }>>(
    `select idx, hash from merkle_nodes where log_id = ? and level = 8 and (idx + 1) * 256 <= ? order by idx`,
    [logId, size],
  );
  for (const node of stored) {
    const idx = Number(node.idx);
    const tree = new StoredTree(em(), logId);
    const fresh = await tree.blockHashFromEvents(idx);
    if (fresh !== node.hash) return idx * 256 + 1;
  }
  return stored.length * 256 + 1;
}
