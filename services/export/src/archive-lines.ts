/**
 * Archive lines written straight into a JSONL export, without parsing the whole line: an archive
 * line is textRowJson(row, {sealed: true}) (@hyrelog/db), so its layout is known. Up to `actor`
 * only ids, numbers, hashes and escaped strings come; `context`, `personal`, `sealed` and
 * `idempotencyKey` are its last members, after anything a sender wrote (changes, metadata,
 * payload). Inside a JSON string a quote is always escaped, so `,"name":` found by a search is a
 * member name of our own layout, never text of a value.
 */
import type { KeyObject } from "node:crypto";
import { openPersonal, type PersonalFields, type SealedValues } from "@hyrelog/core";
import { inChangesOrMetadata } from "./formats.ts";

const IDEMPOTENCY_MEMBER = ',"idempotencyKey":';
const SEALED_MEMBER = ',"sealed":';
const PERSONAL_MEMBER = ',"personal":';
const NO_SEALED_VALUES = '"sealed":[]';
const SEQUENCE_MEMBER = '"sequence":';
const COMPANY_MEMBER = '"companyId":"';

/** The sequence of an archive line, read from its fixed prefix (only ids and nulls come before it). */
export function archiveLineSequence(line: string): number {
  const at = line.indexOf(SEQUENCE_MEMBER) + SEQUENCE_MEMBER.length;
  return Number.parseInt(line.slice(at, line.indexOf(",", at)), 10);
}

/** The JSONL export line of an archive line that holds no sealed values, else null (it must be opened). */
export function unsealedExportLine(line: string): string | null {
  const tail = line.lastIndexOf(IDEMPOTENCY_MEMBER);
  const sealedAt = tail - NO_SEALED_VALUES.length;
  if (tail < 0 || !line.startsWith(NO_SEALED_VALUES, sealedAt)) return null;
  // Drop `"sealed":[]` and the comma before it.
  return `${line.slice(0, sealedAt - 1)}${line.slice(tail)}\n`;
}

/** An archive line with sealed values, its `personal` and `sealed` members read (the rest stays text). */
export interface SealedLine {
  line: string;
  commitments: Record<string, string>;
  sealed: SealedValues[];
  personalAt: number;
  idempotencyAt: number;
}

export function sealedLine(line: string): SealedLine {
  const idempotencyAt = line.lastIndexOf(IDEMPOTENCY_MEMBER);
  const sealedAt = line.lastIndexOf(SEALED_MEMBER, idempotencyAt);
  const personalAt = line.lastIndexOf(PERSONAL_MEMBER, sealedAt);
  return {
    line,
    commitments: JSON.parse(line.slice(personalAt + PERSONAL_MEMBER.length, sealedAt)) as Record<string, string>,
    sealed: JSON.parse(line.slice(sealedAt + SEALED_MEMBER.length, idempotencyAt)) as SealedValues[],
    personalAt,
    idempotencyAt,
  };
}

const valueText = (v: unknown) => (v === null || v === undefined ? "null" : JSON.stringify(v));

/**
 * The JSONL export line of a sealed archive line, its values opened (or ERASED) with `keys`:
 * byte for byte what a HOT export writes for the row (openTextRow, then jsonlLine). Null when a
 * personal value is inside `changes` or `metadata`: such a line is parsed and opened whole.
 */
export function openedExportLine(s: SealedLine, keys: ReadonlyMap<string, KeyObject | null>): string | null {
  const pointers = Object.keys(s.commitments);
  if (pointers.some(inChangesOrMetadata)) return null;
  const { line } = s;
  const companyAt = line.indexOf(COMPANY_MEMBER) + COMPANY_MEMBER.length;
  const companyId = line.slice(companyAt, line.indexOf('"', companyAt));
  const closed: PersonalFields & { personal: Record<string, string> } = {
    actor: { id: null, type: null, email: null, name: null },
    target: { id: null, type: null, name: null },
    changes: [],
    metadata: {},
    context: { ip: null, userAgent: null, traceId: null, requestId: null },
    personal: s.commitments,
  };
  const { opened, personal } = openPersonal(closed, s.sealed, keys, companyId);
  // Each personal field of the closed form is null in its place: found by the member names before
  // it, in line order (each search starts where the last one ended; the first match is ours).
  const places: Array<[after: string, member: string, pointer: string, value: unknown]> = [
    [',"actor":{"id":', ',"email":', "/actor/email", opened.actor.email],
    ["", ',"name":', "/actor/name", opened.actor.name],
    [',"target":{"id":', ',"name":', "/target/name", opened.target.name],
    [',"context":{"ip":', "", "/context/ip", opened.context.ip],
    ["", ',"userAgent":', "/context/userAgent", opened.context.userAgent],
  ];
  let out = "";
  let from = 0;
  let at = 0;
  for (const [after, member, pointer, value] of places) {
    // `context` follows anything a sender wrote: the last one before `personal` is ours.
    if (after) at = (pointer.startsWith("/context/") ? line.lastIndexOf(after, s.personalAt) : line.indexOf(after, at)) + after.length;
    if (member) at = line.indexOf(member, at) + member.length;
    if (!(pointer in s.commitments)) continue;
    if (!line.startsWith("null", at)) return null;
    out += line.slice(from, at) + valueText(value);
    from = at += 4;
  }
  return `${out}${line.slice(from, s.personalAt)}${PERSONAL_MEMBER}${JSON.stringify(personal)}${line.slice(s.idempotencyAt)}\n`;
}
