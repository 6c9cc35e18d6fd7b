/**
 * A REST client made only from the gateway's /openapi.json by stock tools: openapi-typescript
 * writes generated/hyrelog-api.d.ts (`pnpm openapi:types`), openapi-fetch makes typed calls.
 * tests/api/openapi-client.test.ts type-checks this file against the generated types and runs it.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/hyrelog-api.d.ts";

type EventInput = components["schemas"]["EventInput"];

export interface Keys {
  workspaceKey: string;
  companyKey: string;
  projectId: string;
}

/** Records a batch, lists it back, reads one event and its inclusion proof; shows a typed error. */
export async function walkthrough(baseUrl: string, keys: Keys) {
  const ingest = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${keys.workspaceKey}` } });
  const read = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${keys.companyKey}` } });

  const event = (action: string): EventInput => ({
    category: "billing",
    action,
    actor: { id: "svc-billing", type: "service" },
    target: { id: "inv_1", type: "invoice" },
    projectId: keys.projectId,
    changes: [{ field: "status", old: "draft", new: "sent" }],
  });
  const batch = await ingest.POST("/v1/events", { body: { events: [event("invoice.sent"), event("invoice.paid")] } });
  if (!batch.data || !("results" in batch.data)) throw new Error(`batch refused: ${batch.response.status}`);
  const ids = batch.data.results.map((r) => r.id);

  const listed = await read.GET("/v1/events", { params: { query: { category: "billing", limit: 10 } } });
  if (!listed.data) throw new Error(`list refused: ${listed.response.status}`);

  const one = await read.GET("/v1/events/{id}", { params: { path: { id: ids[0]! } } });
  if (!one.data) throw new Error(`get refused: ${one.response.status}`);

  // An event's proof is served once a signed checkpoint covers it (409 until then, within seconds).
  let proof = await read.GET("/v1/events/{id}/proof", { params: { path: { id: ids[1]! } } });
  for (let i = 0; i < 100 && proof.response.status === 409; i++) {
    await new Promise((r) => setTimeout(r, 100));
    proof = await read.GET("/v1/events/{id}/proof", { params: { path: { id: ids[1]! } } });
  }

  // A refused request: the typed error body names the field to fix.
  const refused = await ingest.POST("/v1/events", { body: { ...event("invoice.sent"), category: "" } });
  const violations = refused.error?.error.details && "violations" in refused.error.error.details ? refused.error.error.details.violations : [];

  return {
    ids,
    listedIds: listed.data.data.map((e) => e.id),
    hasMore: listed.data.hasMore,
    oneAction: one.data.action,
    proof: proof.data ? { leaf: proof.data.leaf, treeSize: proof.data.treeSize } : { status: proof.response.status },
    refused: { status: refused.response.status, code: refused.error?.error.code, fields: violations.map((v) => v.field) },
  };
}
