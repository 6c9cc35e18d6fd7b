import { randomBytes } from "node:crypto";
import { emailIndex, openPersonal, uuidv7, type EventJson, type MasterKey, type SubjectKey } from "@hyrelog/core";
import { eventJson, type StoredEvent } from "./event-rows.ts";
import type { Orm } from "./orm.ts";

type Executor = Pick<ReturnType<Orm["em"]["fork"]>, "execute">;

/** Unwrapped keys kept per process, by their wrapped form (so an erased key, gone from the table, is never found). */
const UNWRAPPED_CACHE_SIZE = 10_000;

/**
 * The data subjects' keys of one region (table data_subjects): creates a subject's key the first
 * time an event names them, unwraps keys with the region's master key, and opens stored events
 * into the API's form. Erasure (the gdpr service) destroys a wrapped key; every read here asks
 * the table, so an erased subject's values are never shown again by any service.
 */
export class SubjectKeyStore {
  readonly #orm: Orm;
  readonly #master: MasterKey;
  readonly #unwrapped = new Map<string, Buffer>();

  constructor(orm: Orm, master: MasterKey) {
    this.#orm = orm;
    this.#master = master;
  }

  /** The blind index of an email in a company (`actorEmail` filters, subject requests). */
  emailIndex(companyId: string, email: string): string {
    return emailIndex(this.#master.indexKey, companyId, email);
  }

  /** The live subject of each external id (actor.id / target.id) of a company, created with a fresh key when new. */
  async resolve(companyId: string, externalIds: readonly string[], db: Executor = this.#orm.em.fork()): Promise<Map<string, SubjectKey>> {
    const wanted = [...new Set(externalIds)];
    const found = new Map<string, SubjectKey>();
    if (!wanted.length) return found;
    const select = async (ids: string[]) => {
      const rows = await db.execute<Array<{ id: string; external_id: string; wrapped_key: string }>>(
        `select id, external_id, wrapped_key from data_subjects
         where company_id = ? and external_id in (select jsonb_array_elements_text(?::jsonb)) and erased_at is null`,
        [companyId, JSON.stringify(ids)],
      );
      for (const r of rows) found.set(r.external_id, { id: r.id, key: await this.#unwrap(companyId, r.id, r.wrapped_key) });
    };
    await select(wanted);
    // New subjects: created here; a concurrent writer creating the same one wins and is read back.
    for (let attempt = 0; attempt < 3 && found.size < wanted.length; attempt++) {
      const missing = wanted.filter((id) => !found.has(id));
      const fresh = await Promise.all(
        missing.map(async (externalId) => {
          const id = uuidv7();
          const key = randomBytes(32);
          return { id, external_id: externalId, wrapped_key: await this.#master.wrap(key, keyContext(companyId, id)) };
        }),
      );
      await db.execute(
        `insert into data_subjects (id, company_id, external_id, wrapped_key, key_id)
         select r.id, ?, r.external_id, r.wrapped_key, ? from jsonb_to_recordset(?::jsonb) as r(id uuid, external_id text, wrapped_key text)
         on conflict (company_id, external_id) where erased_at is null do nothing`,
        [companyId, this.#master.keyId, JSON.stringify(fresh)],
      );
      await select(missing);
    }
    if (found.size < wanted.length) throw new Error("could not create data subjects' keys");
    return found;
  }

  /** The key of each subject id (null: erased or unknown). */
  async keys(subjectIds: readonly string[], db: Executor = this.#orm.em.fork()): Promise<Map<string, Buffer | null>> {
    const keys = new Map<string, Buffer | null>(subjectIds.map((id) => [id, null]));
    if (!subjectIds.length) return keys;
    const rows = await db.execute<Array<{ id: string; company_id: string; wrapped_key: string | null }>>(
      `select id, company_id, wrapped_key from data_subjects where id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify([...keys.keys()])],
    );
    for (const r of rows) if (r.wrapped_key) keys.set(r.id, await this.#unwrap(r.company_id, r.id, r.wrapped_key));
    return keys;
  }

  /** Stored events in the API's form: personal values opened, or ERASED where the key is gone. */
  async open(events: readonly StoredEvent[], db?: Executor): Promise<EventJson[]> {
    const subjectIds = new Set<string>();
    for (const e of events) for (const s of e.sealed) subjectIds.add(s.subjectId);
    const keys = await this.keys([...subjectIds], db);
    return events.map((e) => {
      if (e.v < 2) return eventJson(e);
      const { opened, personal } = openPersonal({ ...e, personal: e.personal ?? {} }, e.sealed, keys, e.companyId);
      return eventJson(e, opened, personal);
    });
  }

  async #unwrap(companyId: string, subjectId: string, wrapped: string): Promise<Buffer> {
    const cached = this.#unwrapped.get(wrapped);
    if (cached) return cached;
    const key = await this.#master.unwrap(wrapped, keyContext(companyId, subjectId));
    if (this.#unwrapped.size >= UNWRAPPED_CACHE_SIZE) this.#unwrapped.clear();
    this.#unwrapped.set(wrapped, key);
    return key;
  }
}

const keyContext = (companyId: string, subjectId: string) => `subject-key/${companyId}/${subjectId}`;
