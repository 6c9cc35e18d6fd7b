import { CompiledQuery } from "kysely";
import type { Orm } from "./orm.ts";

type EntityManager = Pick<Orm["em"], "getKysely">;

/**
 * SQL with parameters bound by PostgreSQL (`$1`, `$2`, …). `em.execute(sql, params)` inlines
 * every parameter into the statement text, escaping it in JavaScript first; for large JSON
 * parameters (webhook bodies, batches of rows) that escaping costs more CPU than the statement.
 * Runs on the entity manager's connection, so inside `em.transactional` it joins the transaction.
 */
export async function boundQuery<T>(em: EntityManager, text: string, parameters: readonly unknown[] = []): Promise<T[]> {
  const { rows } = await em.getKysely().executeQuery(CompiledQuery.raw(text, [...parameters]));
  return rows as T[];
}
