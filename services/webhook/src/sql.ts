/**
 * SQL with parameters bound by PostgreSQL ($1, $2, …). `em.execute(sql, params)` inlines every
 * parameter into the statement text, escaping it in JavaScript first: for the JSON batches this
 * service writes (delivery bodies, attempt records) that escaping cost more CPU than the insert.
 * Runs on the entity manager's Kysely connection, so inside `em.transactional` it joins the
 * transaction. (The compiled query is built by hand, as MikroORM's own `stream()` does: this
 * service does not depend on kysely itself.)
 */
import type { Orm } from "@hyrelog/db";

type EntityManager = Pick<Orm["em"], "getKysely">;
type Compiled = Parameters<ReturnType<EntityManager["getKysely"]>["executeQuery"]>[0];

let queries = 0;

export async function query<T>(em: EntityManager, text: string, parameters: readonly unknown[] = []): Promise<T[]> {
  const compiled = {
    query: { kind: "RawNode", sqlFragments: [text], parameters: [] },
    queryId: { queryId: `webhook-${++queries}` },
    sql: text,
    parameters,
  };
  const { rows } = await em.getKysely().executeQuery(compiled as unknown as Compiled);
  return rows as T[];
}
