import { personalOwners, sealPersonal, type SubjectRole } from "@hyrelog/core";
import type { SubjectKeyStore } from "@hyrelog/db";
import type { PendingEvent } from "./writer.ts";

/**
 * Chain v2 at the door: each event's personal values (ADR 0012) leave it for boxes sealed under
 * their subjects' keys, before it is hashed or stored. One lookup of the request's subjects (new
 * ones get a key) serves the whole request; all its events are of one company.
 */
export class EventSealer {
  readonly #subjects: SubjectKeyStore;

  constructor(subjects: SubjectKeyStore) {
    this.#subjects = subjects;
  }

  async seal(events: PendingEvent[]): Promise<PendingEvent[]> {
    const companyId = events[0]!.companyId;
    const owners = events.map((e) => {
      const owned = personalOwners(e, e.personalFields);
      // A value whose owner has no id has no subject to belong to: it stays in the clear (an actor always has an id).
      for (const [pointer, role] of owned) if (subjectOf(e, role) === null) owned.delete(pointer);
      return owned;
    });
    const externalIds = new Set<string>();
    events.forEach((e, i) => {
      for (const role of new Set(owners[i]!.values())) externalIds.add(subjectOf(e, role)!);
    });
    const subjects = await this.#subjects.resolve(companyId, [...externalIds]);
    return events.map((e, i) => {
      const subjectFor = (role: SubjectRole) => {
        const id = subjectOf(e, role);
        return id === null ? undefined : subjects.get(id);
      };
      const retryKey = e.idempotencyKey === null ? null : `${e.logId}\n${e.idempotencyKey}`;
      const { closed, sealed } = sealPersonal(e, owners[i]!, { actor: subjectFor("actor"), target: subjectFor("target") }, companyId, retryKey);
      return { ...closed, sealed, actorEmailIndex: e.actor.email === null ? null : this.#subjects.emailIndex(companyId, e.actor.email) };
    });
  }
}

const subjectOf = (e: PendingEvent, role: SubjectRole): string | null => (role === "actor" ? e.actor.id : e.target.id);
