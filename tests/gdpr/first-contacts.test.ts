/**
 * First contacts under concurrency (packages/db/src/subject-keys.ts): subjects that concurrent
 * requests name for the first time are created together, and every request still gets its own
 * subjects' keys. A person named by many requests at once gets exactly one live subject, and every
 * event about them opens with their values.
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { TestStack } from "@hyrelog/testing";

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ infra: inject("infra"), regions: ["us"] });
});
afterAll(async () => stack?.stop());

it("concurrent requests naming new people: one subject per person, every value opens as sent", async () => {
  const co = stack.companies.us!;
  const tag = Date.now().toString(36);
  // 40 requests at once: 20 people each named by two of them, plus one person named by all.
  const requests = Array.from({ length: 40 }, (_, i) => ({
    category: "auth",
    action: "user.login",
    actor: { id: `fc_${tag}_${i % 20}`, email: `person${i % 20}.${tag}@example.com`, name: `Person ${i % 20}` },
    target: { id: `fc_${tag}_shared`, type: "user", name: "Shared Person" },
  }));
  const answers = await Promise.all(requests.map((e) => stack.api(co.workspaceKey, "POST", "/v1/events", e)));
  for (const r of answers) expect(r.status, r.text).toBe(201);

  const subjects = await stack.regions.us!.orm.em
    .fork()
    .execute<Array<{ external_id: string; live: string }>>(
      `select external_id, count(*)::text as live from data_subjects where external_id like ? and erased_at is null group by external_id order by external_id`,
      [`fc_${tag}_%`],
    );
  expect(subjects).toHaveLength(21);
  expect(subjects.every((s) => s.live === "1")).toBe(true);

  // Each event's values are sealed under its own actor's and target's subjects, nobody else's.
  const sealedFor = await stack.regions.us!.orm.em
    .fork()
    .execute<Array<{ actor_id: string; target_id: string; owners: string[] }>>(
      `select e.actor_id, e.target_id, array_agg(d.external_id order by d.external_id) as owners
       from audit_events e cross join jsonb_array_elements(e.sealed) s join data_subjects d on d.id = (s->>'subjectId')::uuid
       where e.target_id = ? group by e.id, e.actor_id, e.target_id`,
      [`fc_${tag}_shared`],
    );
  expect(sealedFor).toHaveLength(40);
  for (const e of sealedFor) expect(e.owners).toEqual([e.actor_id, e.target_id].sort());

  const listed = await stack.api(co.companyKey, "GET", `/v1/events?targetId=fc_${tag}_shared&limit=100`);
  expect(listed.status, listed.text).toBe(200);
  const events = listed.body.data as Array<{ actor: { id: string; email: string; name: string }; target: { name: string } }>;
  expect(events).toHaveLength(40);
  for (const e of events) {
    const n = e.actor.id.split("_").at(-1);
    expect(e.actor).toMatchObject({ email: `person${n}.${tag}@example.com`, name: `Person ${n}` });
    expect(e.target.name).toBe("Shared Person");
  }
});
