import type { PostgreSqlConnection } from "@mikro-orm/postgresql";
import copyStreams from "pg-copy-streams";
import type { Orm } from "./orm.ts";

/**
 * Runs `select <one text column> …` as `COPY … TO STDOUT` and hands its output to `onChunk` as it
 * arrives: each row's text followed by a newline, in raw chunks of bytes (not one per row), with
 * the database paused while `onChunk` is busy. For bulk writers whose rows PostgreSQL already
 * formats (archival's lines): no row becomes a JavaScript object or string. The column's text
 * must hold no newline and no \x01 or \x02 (JSON text holds none of them raw): the CSV form with
 * those as quote and delimiter passes every other byte through unescaped.
 *
 * COPY takes no bind parameters: `params` are written into `select` as literals ($1, $2, …;
 * strings quoted by the driver, numbers only as safe integers). Returns the rows copied.
 */
export async function copyRowsOut(orm: Orm, select: string, params: ReadonlyArray<string | number>, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<number> {
  const pool = await (orm.em.getConnection() as PostgreSqlConnection).getNativeClient();
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const sql = select.replace(/\$(\d+)/g, (_, n: string) => {
      const value = params[Number(n) - 1];
      if (typeof value === "number") {
        if (!Number.isSafeInteger(value)) throw new Error(`copyRowsOut: parameter $${n} is not a safe integer`);
        return String(value);
      }
      if (typeof value !== "string") throw new Error(`copyRowsOut: no parameter $${n}`);
      return client.escapeLiteral(value);
    });
    const copy = client.query(copyStreams.to(`copy (${sql}) to stdout with (format csv, delimiter e'\\x02', quote e'\\x01')`));
    try {
      for await (const chunk of copy) await onChunk(chunk as Buffer);
      return copy.rowCount;
    } catch (err) {
      if (!copy.destroyed) copy.destroy();
      throw err;
    }
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    // A connection left in the middle of a COPY is not reusable: passing the error discards it.
    client.release(failed);
  }
}
