/** hyrelog.query.v1.TailService: the live tail RPC over TailHub (tail.ts). */
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { TailService, type TailEventsRequest, type TailEventsResponseSchema } from "@hyrelog/proto";
import type { Violation } from "@hyrelog/core";
import type { SubjectKeyStore } from "@hyrelog/db";
import { EventFilter, invalidArgument, type Tenancy } from "@hyrelog/runtime";
import type { TailHub } from "./tail.ts";

export function tailRoutes(hub: TailHub, tenancy: Tenancy, subjects: SubjectKeyStore) {
  async function* tailEvents(req: TailEventsRequest, ctx: HandlerContext): AsyncGenerator<MessageInitShape<typeof TailEventsResponseSchema>> {
    const violations: Violation[] = [];
    const filter = EventFilter.fromProto(req.filter, violations);
    if (req.filter?.to) violations.push({ field: "to", description: "a live stream has no end: leave out to (read a closed range with GET /v1/events)" });
    if (violations.length) throw invalidArgument("invalid filter", violations);
    const matcher = await filter.matcher(tenancy, req.principal, subjects);
    const from = req.resumeToken ? await hub.parseToken(req.resumeToken, "resumeToken") : null;
    const tail = await hub.open(matcher, from);
    try {
      yield { resumeToken: tail.start };
      for (;;) {
        const item = await tail.take(ctx.signal);
        if (!item) return;
        yield { event: item.event, resumeToken: item.token };
      }
    } finally {
      tail.close();
    }
  }
  return (router: ConnectRouter) => router.service(TailService, { tailEvents });
}
