import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { sql } from "kysely";
import { ERASED, emailIndex, openPersonal, uuidv7, type EventJson, type MasterKey, type SealedValues, type SubjectKey } from "@hyrelog/core";
import { eventJson, type PublishedEvent, type StoredEvent } from "./event-rows.ts";
import type { Orm } from "./orm.ts";

type Executor = Pick<ReturnType<Orm["em"]["fork"]>, "getKysely">;

/** Unwrapped keys kept per process, by their wrapped form (so an erased key, gone from the table, is never found). */
const UNWRAPPED_CACHE_SIZE = 200_000;

/**
 * The data subjects' keys of one region (table data_subjects): creates a subject's key the first
 * time an event names them, unwraps keys with the region's master key, and opens stored events
 * into the API's form. Erasure (the gdpr service) destroys a wrapped key; every read here asks
 * the table, so an erased subject's values are never shown again by any service.
 */
export class SubjectKeyStore {
  readonly #orm: Orm;
  readonly #master: MasterKey;
  readonly #unwrapped = new Map<string, KeyObject>();
  /** Per company, by external id (nested rather than keyed by a joined string: built per lookup, that cost more than the lookup). */
  readonly #live = new CompanyCache<{ subject: SubjectKey; until: number }>();
  /** Blind indexes already computed, per company and email: an actor's email repeats on every event it sends. */
  readonly #emailIndexes = new CompanyCache<string>();
  /** Per company: the subjects waiting for the next round of #readOrCreate, and the companies whose round runs now. */
  readonly #nextRound = new Map<string, { externalIds: Set<string>; done: PromiseWithResolvers<Map<string, SubjectKey>> }>();
  readonly #roundRunning = new Set<string>();

  constructor(orm: Orm, master: MasterKey) {
    this.#orm = orm;
    this.#master = master;
  }

  /** The blind index of an email in a company (`actorEmail` filters, subject requests). */
  emailIndex(companyId: string, email: string): string {
    let index = this.#emailIndexes.get(companyId, email);
    if (index === undefined) {
      index = emailIndex(this.#master.indexKey, companyId, email);
      this.#emailIndexes.set(companyId, email, index);
    }
    return index;
  }

  /**
   * The live subject of each external id (actor.id / target.id) of a company, created with a fresh
   * key when new: one statement, and none at all for subjects this process resolved in the last
   * LIVE_CACHE_MS. An erasure tells every process to forget its subjects (forget()); a notice that
   * never arrives leaves a destroyed key in use for at most LIVE_CACHE_MS, and what it seals then
   * reads as erased.
   */
  async resolve(companyId: string, externalIds: readonly string[]): Promise<Map<string, SubjectKey>> {
    const found = new Map<string, SubjectKey>();
    const now = Date.now();
    const missing: string[] = [];
    for (const externalId of new Set(externalIds)) {
      const cached = this.#live.get(companyId, externalId);
      if (cached && cached.until > now) found.set(externalId, cached.subject);
      else missing.push(externalId);
    }
    if (!missing.length) return found;
    const fetched = await this.#inNextRound(companyId, missing);
    for (const externalId of missing) found.set(externalId, fetched.get(externalId)!);
    return found;
  }

  /**
   * Group commit for first contacts: the subjects that concurrent requests of a company miss are
   * read and created together, one statement per round, the next round gathering whatever arrived
   * while the last one ran. Without it, 64 single-event requests naming 64 new people cost 64
   * INSERTs and 64 WAL flushes before any of their events could be written.
   */
  #inNextRound(companyId: string, externalIds: readonly string[]): Promise<Map<string, SubjectKey>> {
    let round = this.#nextRound.get(companyId);
    if (!round) {
      round = { externalIds: new Set(), done: Promise.withResolvers() };
      this.#nextRound.set(companyId, round);
      if (!this.#roundRunning.has(companyId)) setImmediate(() => void this.#runRound(companyId));
    }
    for (const id of externalIds) round.externalIds.add(id);
    return round.done.promise;
  }

  async #runRound(companyId: string): Promise<void> {
    const round = this.#nextRound.get(companyId);
    if (!round) return;
    this.#nextRound.delete(companyId);
    this.#roundRunning.add(companyId);
    try {
      round.done.resolve(await this.#readOrCreate(companyId, [...round.externalIds]));
    } catch (err) {
      round.done.reject(err);
    } finally {
      this.#roundRunning.delete(companyId);
      if (this.#nextRound.has(companyId)) void this.#runRound(companyId);
    }
  }

  /** The live subjects of these external ids, created (each with a fresh key) where missing. */
  async #readOrCreate(companyId: string, missing: string[]): Promise<Map<string, SubjectKey>> {
    const found = new Map<string, SubjectKey>();
    const now = Date.now();
    const kysely = this.#orm.em.fork().getKysely();
    // Every missing subject gets a key ready (wrapping is cheap); the ones that already exist keep theirs.
    const created = new Map<string, KeyObject>();
    const fresh = await Promise.all(
      missing.map(async (externalId) => {
        const id = uuidv7();
        const key = randomBytes(32);
        created.set(id, createSecretKey(key));
        return { id, external_id: externalId, wrapped_key: await this.#master.wrap(key, keyContext(companyId, id)) };
      }),
    );
    for (let attempt = 0; attempt < 3 && missing.some((id) => !found.has(id)); attempt++) {
      const wanted = fresh.filter((f) => !found.has(f.external_id));
      // `= any(array)` keeps the plan on the (company_id, external_id) index whatever the statistics say.
      const { rows } = await sql<{ id: string; external_id: string; wrapped_key: string; key_id: string }>`
        with created as (
          insert into data_subjects (id, company_id, external_id, wrapped_key, key_id)
          select r.id, ${companyId}::uuid, r.external_id, r.wrapped_key, ${this.#master.keyId}
          from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as r(id uuid, external_id text, wrapped_key text)
          on conflict (company_id, external_id) where erased_at is null do nothing
          returning id, external_id, wrapped_key, key_id
        )
        select id, external_id, wrapped_key, key_id from created
        union all
        select id, external_id, wrapped_key, key_id from data_subjects
        where company_id = ${companyId}::uuid and external_id = any(${wanted.map((w) => w.external_id)}::text[]) and erased_at is null`.execute(kysely);
      // A subject created by a concurrent writer after this statement began is in neither half: the next attempt reads it.
      for (const r of rows) {
        // A key created just now is at hand; only existing ones need unwrapping.
        const subject = { id: r.id, key: created.get(r.id) ?? (await this.#unwrap(companyId, r.id, r.wrapped_key, r.key_id)) };
        found.set(r.external_id, subject);
        this.#live.set(companyId, r.external_id, { subject, until: now + LIVE_CACHE_MS });
      }
    }
    if (missing.some((id) => !found.has(id))) throw new Error("could not create data subjects' keys");
    return found;
  }

  /** Drops cached subjects of a company (they were erased: new events start new subjects). */
  forget(companyId: string, externalIds: readonly string[]): void {
    for (const externalId of externalIds) this.#live.delete(companyId, externalId);
  }

  /** The key of each subject id (null: erased or unknown). */
  async keys(subjectIds: readonly string[], db: Executor = this.#orm.em.fork()): Promise<Map<string, KeyObject | null>> {
    const keys = new Map<string, KeyObject | null>(subjectIds.map((id) => [id, null]));
    if (!subjectIds.length) return keys;
    const { rows } = await sql<{ id: string; company_id: string; wrapped_key: string | null; key_id: string }>`
      select id, company_id, wrapped_key, key_id from data_subjects where id = any(${[...keys.keys()]}::uuid[])`.execute(db.getKysely());
    for (const r of rows) if (r.wrapped_key) keys.set(r.id, await this.#unwrap(r.company_id, r.id, r.wrapped_key, r.key_id));
    return keys;
  }

  /**
   * Stored events in the API's form: personal values opened, or ERASED where the key is gone.
   * `shownSubjects`: only these subjects' values are shown, everyone else's are WITHHELD.
   */
  async open(events: readonly (StoredEvent | PublishedEvent)[], db?: Executor, shownSubjects?: ReadonlySet<string>): Promise<EventJson[]> {
    const missing = events.filter((e) => e.v >= 2 && e.sealed === undefined).map((e) => e.id);
    const boxes = missing.length ? await sealedOf(db ?? this.#orm.em.fork(), missing) : new Map<string, SealedValues[]>();
    const sealedOfEvent = (e: StoredEvent | PublishedEvent) => e.sealed ?? boxes.get(e.id) ?? [];
    const subjectIds = new Set<string>();
    for (const e of events) for (const s of sealedOfEvent(e)) subjectIds.add(s.subjectId);
    const keys = await this.keys([...subjectIds], db);
    return events.map((e) => {
      if (e.v < 2) return eventJson(e);
      const { opened, personal } = openPersonal({ ...e, personal: e.personal ?? {} }, sealedOfEvent(e), keys, e.companyId, shownSubjects);
      return eventJson(e, opened, personal);
    });
  }

  /**
   * Sets the blind index of archived events (archives do not keep it) from their opened email, so
   * `actorEmail` conditions find them as they find hot rows; an erased subject gets none.
   */
  async indexEmails(events: StoredEvent[]): Promise<void> {
    const opened = await this.open(events);
    events.forEach((e, i) => {
      const email = opened[i]!.actor.email;
      if (e.v >= 2 && typeof email === "string" && email !== ERASED) e.actorEmailIndex = this.emailIndex(e.companyId, email);
    });
  }

  async #unwrap(companyId: string, subjectId: string, wrapped: string, keyId: string): Promise<KeyObject> {
    const cached = this.#unwrapped.get(wrapped);
    if (cached) return cached;
    const key = createSecretKey(await this.#master.unwrap(wrapped, keyContext(companyId, subjectId), keyId));
    if (this.#unwrapped.size >= UNWRAPPED_CACHE_SIZE) this.#unwrapped.clear();
    this.#unwrapped.set(wrapped, key);
    return key;
  }
}

/**
 * The sealed boxes of stored events, by event id (`audit_events.sealed`): the events stream does
 * not carry them. An event no longer in the table (archived, purged) has none: it opens as erased.
 */
export async function sealedOf(db: Executor, eventIds: readonly string[]): Promise<Map<string, SealedValues[]>> {
  const { rows } = await sql<{ id: string; sealed: SealedValues[] | null }>`
    select id, sealed from audit_events where id = any(${eventIds}::uuid[])`.execute(db.getKysely());
  return new Map(rows.map((r) => [r.id, r.sealed ?? []]));
}

/** How long resolve() trusts a subject it read or created without asking the table again. */
const LIVE_CACHE_MS = 60_000;

/** Values per company and key, at most UNWRAPPED_CACHE_SIZE in all (then emptied: they are found again). */
class CompanyCache<V> {
  readonly #companies = new Map<string, Map<string, V>>();
  #size = 0;

  get(companyId: string, key: string): V | undefined {
    return this.#companies.get(companyId)?.get(key);
  }

  set(companyId: string, key: string, value: V): void {
    if (this.#size >= UNWRAPPED_CACHE_SIZE) {
      this.#companies.clear();
      this.#size = 0;
    }
    let values = this.#companies.get(companyId);
    if (!values) this.#companies.set(companyId, (values = new Map()));
    if (!values.has(key)) this.#size++;
    values.set(key, value);
  }

  delete(companyId: string, key: string): void {
    if (this.#companies.get(companyId)?.delete(key)) this.#size--;
  }
}

const keyContext = (companyId: string, subjectId: string) => `subject-key/${companyId}/${subjectId}`;
