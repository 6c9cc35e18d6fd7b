/** Archives: where a company's events older than hot retention went (docs/operations/archival.md). */
import type { Archive } from "@hyrelog/proto";
import { CURSOR, dateTime, integer, jsonResponse, limitQuery, named, nullableDateTime, nullableStr, object, page, query, response, str, type Json } from "../api-schema.ts";
import { iso, type Handler, type Route, type RouteTable } from "./shared.ts";

/** The fields of an archive (archiveJson). */
const ARCHIVE_PROPERTIES: Record<string, Json> = {
  id: str(),
  workspaceId: nullableStr({ description: "Null for the company's own log." }),
  logId: str(),
  day: str({ description: "UTC day (YYYY-MM-DD) of the first event's receivedAt." }),
  fromSequence: integer({ minimum: 1 }),
  toSequence: integer({ minimum: 1 }),
  rows: integer({ minimum: 1 }),
  bytes: integer({ minimum: 0 }),
  sha256: str({ description: "SHA-256 (hex) of the object, gzip bytes." }),
  checkpointTreeSize: integer({ description: "The signed checkpoint inside the archive covers the log up to this size." }),
  storageClass: { type: "string", enum: ["STANDARD", "GLACIER"] },
  createdAt: dateTime(),
  verifiedAt: nullableDateTime("When the archival service last found the object exactly as written; null until then."),
  verificationError: nullableStr({ description: "What verification found wrong; the archive stays unverified and its events stay hot." }),
  coldAt: nullableDateTime("When the archive moved to cold storage."),
};

export const ARCHIVE = named("Archive", object(ARCHIVE_PROPERTIES));
const ARCHIVE_DOWNLOAD = named(
  "ArchiveDownload",
  object({
    ...ARCHIVE_PROPERTIES,
    downloadUrl: nullableStr({ description: "Presigned S3 GET URL of the gzipped object; null while the archive is cold and not restored." }),
    expiresAt: nullableDateTime("When downloadUrl stops working; GET again for a fresh one."),
  }),
);
const ARCHIVE_PAGE = page("ArchivePage", ARCHIVE, "Pass as `cursor` (with the same workspaceId) for the next page; null on the last page.");

export const archiveRoutes: RouteTable = (clients): Route[] => {
  const listArchives: Handler = async (r) => {
    const { limit = 0, cursor = "", workspaceId = "" } = r.query as { limit?: number; cursor?: string; workspaceId?: string };
    const res = await clients.archival(r.region).listArchives({ principal: r.principal, workspaceId, limit, cursor }, { headers: r.callHeaders });
    return { status: 200, body: { data: res.archives.map(archiveJson), nextCursor: res.nextCursor || null, hasMore: res.nextCursor !== "" } };
  };

  const getArchive: Handler = async (r) => {
    const res = await clients.archival(r.region).getArchive({ principal: r.principal, archiveId: r.params.id! }, { headers: r.callHeaders });
    return { status: 200, body: { ...archiveJson(res.archive!), downloadUrl: res.downloadUrl || null, expiresAt: iso(res.downloadUrlExpiresAt) } };
  };

  return [
    {
      method: "GET",
      pattern: "/v1/archives",
      doc: {
        tag: "Archives",
        operationId: "listArchives",
        summary: "List the archives of events past hot retention",
        description:
          "A company key sees every archive of its company (or one workspace's with workspaceId), a workspace key its own workspace's. Each archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline (docs/verification.md, Archives).",
        parameters: [query("workspaceId", { type: "string" }, "Only this workspace's archives (company keys)."), limitQuery(100), CURSOR],
        responses: { "200": jsonResponse("A page of archives.", ARCHIVE_PAGE), "403": response("Forbidden") },
      },
      handler: listArchives,
    },
    {
      method: "GET",
      pattern: "/v1/archives/:id",
      doc: {
        tag: "Archives",
        operationId: "getArchive",
        summary: "One archive, with a download URL",
        description:
          "The archive and a presigned S3 URL of its object (valid EXPORT_DOWNLOAD_URL_TTL_SECONDS) while it is readable: null while it is in cold storage and not restored (POST /v1/restore-requests).",
        path: { id: "An archive of the company (UUID)." },
        responses: { "200": jsonResponse("The archive.", ARCHIVE_DOWNLOAD), "403": response("Forbidden"), "404": response("NotFound") },
      },
      handler: getArchive,
    },
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
