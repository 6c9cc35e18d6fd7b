/**
 * Quick start: record a batch of audit events, list them back, and prove one is in the signed log.
 *
 *   HYRELOG_URL=http://127.0.0.1:8080 HYRELOG_API_KEY=hlk_ws_... node examples/quickstart.ts
 *
 * Use a workspace key (it records and reads its workspace). Set HYRELOG_VERIFIER_KEYS (verifier
 * keys separated by commas, from your operator or GET /v1/verification/keys once) to pin the keys
 * checkpoints must be signed with; without it the example trusts the keys the server lists.
 * tests/sdks/typescript.test.ts runs this file against a real stack.
 */
import { randomUUID } from "node:crypto";
import { HyreLog } from "@hyrelog/sdk";

const apiKey = process.env.HYRELOG_API_KEY;
if (!apiKey) throw new Error("set HYRELOG_API_KEY to a workspace key (hlk_ws_...)");
const trustedKeys = process.env.HYRELOG_VERIFIER_KEYS?.split(",").filter(Boolean);

const log = new HyreLog({ baseUrl: process.env.HYRELOG_URL ?? "http://127.0.0.1:8080", apiKey, trustedKeys });
try {
  // 1. Record a batch. record() queues; the client sends the queue as one request (after
  //    flushIntervalMs, at maxBatchSize events, or on flush()) and resolves each event's promise.
  const run = randomUUID().slice(0, 8);
  const action = `quickstart.${run}.invoice.updated`;
  const recorded = ["draft", "sent", "paid"].map((status, i) =>
    log.record({
      category: "billing",
      action,
      actor: { id: "user-42", email: "ada@example.com", type: "user" },
      target: { id: `inv-${run}`, type: "invoice" },
      changes: [{ field: "status", old: i === 0 ? null : ["draft", "sent"][i - 1]!, new: status }],
      metadata: { run, step: i + 1 },
    }),
  );
  await log.flush();
  const stored = await Promise.all(recorded);
  for (const s of stored) console.log(`recorded ${s.id} (sequence ${s.sequence})`);

  // 2. List them back: the iterator follows nextCursor through every page.
  const listed = [];
  for await (const event of log.events.list({ action }, { pageSize: 2 })) listed.push(event);
  console.log(`listed ${listed.length} events with action ${action}`);

  // 3. Prove the first one: fetch its inclusion proof and the checkpoint it leads to, check the
  //    checkpoint's Ed25519 signature and recompute the Merkle root from the event's hash.
  const proved = await log.proveEvent(stored[0]!.id);
  console.log(`event ${proved.eventId} is leaf ${proved.leafIndex} of the ${proved.checkpoint.treeSize}-event tree signed by ${proved.checkpoint.keyName}`);
  console.log(JSON.stringify({ recorded: stored.length, listed: listed.length, proved: proved.eventId, treeSize: proved.checkpoint.treeSize, keysPinned: proved.keysPinned }));
} finally {
  await log.close();
}
