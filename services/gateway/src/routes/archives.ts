/** Archives: where a company's events older than hot retention went (docs/operations/archival.md). */
import type { Archive } from "@hyrelog/proto";
import { iso, limitParam, refuse, stringParam, type Handler, type RouteTable, type Violation } from "./shared.ts";

export const archiveRoutes: RouteTable = (clients) => {
  const listArchives: Handler = async (r) => {
    const q = r.url.searchParams;
    const violations: Violation[] = [];
    const limit = limitParam(q, 100, violations);
    refuse("invalid request", violations);
    const res = await clients
      .archival(r.region)
      .listArchives({ principal: r.principal, workspaceId: stringParam(q, "workspaceId"), limit, cursor: stringParam(q, "cursor") }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.archives.map(archiveJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const getArchive: Handler = async (r) => {
    const res = await clients.archival(r.region).getArchive({ principal: r.principal, archiveId: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: { ...archiveJson(res.archive!), downloadUrl: res.downloadUrl || null, expiresAt: iso(res.downloadUrlExpiresAt) } };
  };

  return [
    { method: "GET", pattern: "/v1/archives", query: ["workspaceId", "limit", "cursor"], handler: listArchives },
    { method: "GET", pattern: "/v1/archives/:id", handler: getArchive },
  ];
};

export function archiveJson(a: Archive) {
  return {
    id: a.id,
    workspaceId: a.workspaceId || null,
    logId: a.logId,
    day: a.day,
    fromSequence: Number(a.fromSequence),
    toSequence: Number(a.toSequence),
    rows: Number(a.rowCount),
    bytes: Number(a.bytes),
    sha256: a.sha256,
    checkpointTreeSize: Number(a.checkpointTreeSize),
    storageClass: a.storageClass,
    createdAt: iso(a.createdAt),
    verifiedAt: iso(a.verifiedAt),
    verificationError: a.verificationError || null,
    coldAt: iso(a.coldAt),
  };
}
