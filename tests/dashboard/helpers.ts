import { expect } from "vitest";
import type { ApiResponse, TestStack } from "@hyrelog/testing";

export type Role = "MEMBER" | "ADMIN" | "HYRELOG_ADMIN";

/** Who the dashboard application says is signed in: the x-user-* headers (and x-company-id). */
export interface Who {
  role: Role;
  companyId?: string;
  userId?: string;
  email?: string;
}

/** The headers HyreLog's dashboard application sends: its service token and the signed-in person. */
export function dashboardHeaders(stack: TestStack, who: Who): Record<string, string> {
  return {
    "x-dashboard-token": stack.dashboardToken,
    "x-user-id": who.userId ?? `user-${who.role.toLowerCase()}`,
    "x-user-email": who.email ?? `${who.role.toLowerCase()}@dashboard.test`,
    "x-user-role": who.role,
    ...(who.companyId ? { "x-company-id": who.companyId } : {}),
  };
}

/** A /dashboard/* call as the dashboard application makes it. */
export function dash(stack: TestStack, who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return stack.api(null, method, path, body, { ...dashboardHeaders(stack, who), ...headers });
}

/** Asserts a status, showing the body when it differs. */
export function expectStatus(res: ApiResponse, status: number): void {
  expect(res.status, res.text).toBe(status);
}

/** Polls until `probe` returns something truthy. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until every log of every region has a checkpoint at its current size: the checkpointer
 * writes on its own schedule, so a footprint taken before it settles could move without any request.
 */
export async function settled(stack: TestStack): Promise<void> {
  await until("checkpoints of every log", async () => {
    for (const h of Object.values(stack.regions)) {
      const [row] = await h!.orm.em
        .fork()
        .execute<Array<{ n: number }>>(`select count(*)::int as n from log_heads h where not exists (select 1 from checkpoints c where c.log_id = h.log_id and c.tree_size = h.sequence)`);
      if (row!.n > 0) return false;
    }
    return true;
  });
}

/** The footprint (TestStack.footprint) once the checkpointer has settled. */
export async function footprint(stack: TestStack): Promise<Record<string, string>> {
  await settled(stack);
  return stack.footprint();
}
