import { emailSubjectId, personalOwners, sealPersonal, type SubjectRole } from "@hyrelog/core";
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
    const emailIndexes = events.map((e) => (e.actor.email === null ? null : this.#subjects.emailIndex(companyId, e.actor.email)));
    // An actor without an id is identified by its email (validate.ts requires one of them): its
    // subject is the email's blind index, never the email itself.
    const subjectOf = (i: number, role: SubjectRole): string | null => {
      const e = events[i]!;
      if (role === "target") return e.target.id;
      return e.actor.id ?? (emailIndexes[i] === null ? null : emailSubjectId(emailIndexes[i]!));
    };
    const owners = events.map((e, i) => {
      const owned = personalOwners(e, e.personalFields);
      // A value whose owner has no id has no subject to belong to: it stays in the clear (a target without an id).
      for (const [pointer, role] of owned) if (subjectOf(i, role) === null) owned.delete(pointer);
      return owned;
    });
    const externalIds = new Set<string>();
    events.forEach((_e, i) => {
      for (const role of new Set(owners[i]!.values())) externalIds.add(subjectOf(i, role)!);
    });
    const subjects = await this.#subjects.resolve(companyId, [...externalIds]);
    return events.map((e, i) => {
      const subjectFor = (role: SubjectRole) => {
        const id = subjectOf(i, role);
        return id === null ? undefined : subjects.get(id);
      };
      const retryKey = e.idempotencyKey === null ? null : `${e.logId}\n${e.idempotencyKey}`;
      const { closed, sealed } = sealPersonal(e, owners[i]!, { actor: subjectFor("actor"), target: subjectFor("target") }, companyId, retryKey);
      // `closed` is the sealer's own copy: completed in place rather than copied once more.
      return Object.assign(closed, { sealed, actorEmailIndex: emailIndexes[i]! });
    });
  }
}
