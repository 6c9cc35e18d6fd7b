/**
 * Finished deliveries leave the database after WEBHOOK_DELIVERY_RETENTION_DAYS (their payloads hold
 * events as delivered): the webhook service sweeps them at start and hourly. Pending ones and
 * recent ones stay.
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";
import { startReceiver, type Receiver } from "./receiver.ts";

let stack: TestStack;
let rx: Receiver;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"], plan: "GROWTH" });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await stack?.stop();
});

it("deletes finished deliveries older than the retention at start, with their attempts, and keeps pending and recent ones", async () => {
  const co = stack.companies.us!;
  const hook = await stack.api(co.companyKey, "POST", `/v1/workspaces/${co.workspaceId}/webhooks`, { url: rx.url, events: ["AUDIT_EVENT_CREATED"], filters: { categories: ["auth"] } });
  expect(hook.status, hook.text).toBe(201);
  for (const action of ["user.login", "user.logout", "user.mfa"]) {
    expect((await stack.api(co.workspaceKey, "POST", "/v1/events", { category: "auth", action, actor: { id: "u_1" } })).status).toBe(201);
  }
  await rx.waitFor(3);
  const em = () => stack.regions.us!.orm.em.fork();
  await expect.poll(async () => (await em().execute<Array<{ n: number }>>(`select count(*)::int as n from webhook_deliveries where status = 'DELIVERED'`))[0]!.n).toBe(3);
  const rows = await em().execute<Array<{ id: string }>>(`select id from webhook_deliveries order by id`);
  // One delivered long ago, one still pending from long ago (a dead endpoint's backlog), one recent.
  await em().execute(`update webhook_deliveries set created_at = now() - interval '40 days' where id = ?`, [rows[0]!.id]);
  await em().execute(`update webhook_deliveries set created_at = now() - interval '40 days', status = 'PENDING', next_attempt_at = now() + interval '1 day' where id = ?`, [rows[1]!.id]);

  await stack.restartRegion("us", { WEBHOOK_DELIVERY_RETENTION_DAYS: "30" });
  await expect.poll(async () => (await em().execute<Array<{ id: string }>>(`select id from webhook_deliveries order by id`)).map((r) => r.id)).toEqual([rows[1]!.id, rows[2]!.id]);
  expect(await em().execute(`select 1 from webhook_attempts where delivery_id = ?`, [rows[0]!.id])).toEqual([]);
});

it("refuses a retention within the events stream's 7 days", async () => {
  await expect(stack.restartRegion("us", { WEBHOOK_DELIVERY_RETENTION_DAYS: "3" })).rejects.toThrow(/WEBHOOK_DELIVERY_RETENTION_DAYS must be an integer >= 8/);
  await stack.restartRegion("us");
});
