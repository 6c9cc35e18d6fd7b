/** hyrelog.query.v1.TailService: the live tail RPC over TailHub (tail.ts). */
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { TailService, type TailEventsRequest, type TailEventsResponseSchema } from "@hyrelog/proto";
import type { Violation } from "@hyrelog/core";
import type { SubjectKeyStore } from "@hyrelog/db";
import { EventFilter, invalidArgument, type Tenancy } from "@hyrelog/runtime";
import type { TailHub } from "./tail.ts";

/**
 * `as_json` callers get what waits for them together (a reader behind by thousands catches up in a
 * few writes, not one HTTP/2 write per event): up to this many events taken at once, sent in
 * responses of at most about JSON_RESPONSE_BYTES (one event at least).
 */
const JSON_BATCH = 500;
const JSON_RESPONSE_BYTES = 64 * 1024;

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
        const items = await tail.take(ctx.signal, req.asJson ? JSON_BATCH : 1);
        if (!items) return;
        if (!req.asJson) {
          yield { event: items[0]!.event.proto, resumeToken: items[0]!.token };
          continue;
        }
        let events: Array<{ json: string; resumeToken: string }> = [];
        let bytes = 0;
        for (const item of items) {
          const json = item.event.json;
          if (events.length && bytes + json.length > JSON_RESPONSE_BYTES) {
            yield { events, resumeToken: events.at(-1)!.resumeToken };
            events = [];
            bytes = 0;
          }
          events.push({ json, resumeToken: item.token });
          bytes += json.length;
        }
        yield { events, resumeToken: events.at(-1)!.resumeToken };
      }
    } finally {
      tail.close();
    }
  }
  return (router: ConnectRouter) => router.service(TailService, { tailEvents });
}
