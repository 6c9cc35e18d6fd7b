/**
 * Live tail (docs/events.md, "Live tail"): the region's event stream (JetStream) fanned out to
 * every open tail of this process.
 *
 * One ordered consumer per process reads the whole region's stream from the moment the service
 * starts (the hub); each message (one run of one log) is parsed once, matched against the tails
 * of its company, opened once (personal data, as GET /v1/events shows it) and handed to the tails
 * it matches. A tail that resumes from a token first replays the stream from that position with
 * an ordered consumer of its own, filtered by subject to its company or workspace, while the hub
 * keeps what it sees for it; once the replay has caught up with the stream's end, the tail takes
 * what the hub kept after the replay's position and goes on live. Positions are (stream sequence,
 * events of that message already delivered), so a resume repeats nothing and skips nothing.
 *
 * Every tail's queue is bounded: a reader that falls behind by more than `maxQueuedEvents` is
 * ended with RESOURCE_EXHAUSTED and resumes from the last token it got.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { subjectCompanyId, type Bus } from "@hyrelog/bus";
import type { EventJson } from "@hyrelog/core";
import type { StoredEvent, SubjectKeyStore } from "@hyrelog/db";
import type { AuditEvent } from "@hyrelog/proto";
import { eventApiJson, eventToProto, invalidArgument, type EventMatcher, type Logger } from "@hyrelog/runtime";

/** Stream messages the hub opens at once (each tail's deliveries stay in stream order). */
const MAX_OPENING = 32;
/**
 * A tail that wants at most this many events of a message is served from a first, small opening
 * of the message, before the events that only broader tails want (docs/events.md, "Live tail").
 */
const FEW = 16;
/** Events opened at a time (one read of their subjects' keys each), so no opening holds the process for long. */
const OPEN_SLICE = 250;
/** How many event ids the hub remembers to recognise one the outbox published again (docs/events.md). */
const REMEMBERED_IDS = 100_000;

/** A place in the stream: the next event to read is event `offset` of message `seq`. */
export interface TailPosition {
  seq: number;
  offset: number;
}

/**
 * One opened event, shared by every tail that gets it: made into the contract's message or the
 * API's JSON once, when the first reader that wants that form takes it.
 */
export class ShownEvent {
  readonly opened: EventJson;
  #proto: AuditEvent | undefined;
  #json: string | undefined;

  constructor(opened: EventJson) {
    this.opened = opened;
  }

  get proto(): AuditEvent {
    return (this.#proto ??= eventToProto(this.opened));
  }

  get json(): string {
    return (this.#json ??= eventApiJson(this.opened));
  }
}

export interface TailItem {
  event: ShownEvent;
  token: string;
}

interface Delivery {
  seq: number;
  index: number;
  event: ShownEvent;
}

/** One message's opening: each wanting tail's deliveries (in message order), and the end of the whole opening. */
interface Opening {
  perTail: Map<Tail, Promise<Delivery[]>>;
  done: Promise<void>;
}

const before = (a: TailPosition, seq: number, index: number) => seq < a.seq || (seq === a.seq && index < a.offset);

/** One open tail: a matcher, where it stands, and what waits for its reader. */
export class Tail {
  readonly matcher: EventMatcher;
  /** The next position it has not yet queued. */
  next: TailPosition;
  /** What the hub saw while the replay ran (null once live). */
  kept: Delivery[] | null;
  /** Ids the replay delivered, so a republished copy of them among `kept` is dropped. */
  replayed: Set<string> | null;
  readonly #hub: TailHub;
  readonly #queue: TailItem[] = [];
  #failure: ConnectError | null = null;
  #wake: (() => void) | null = null;
  closed = false;
  /** Ends the replay's consumer early (the reader left). */
  stopReplay: (() => void) | null = null;
  /** The hub's last offer to it: its next one follows, so it gets the stream in order. */
  offered: Promise<void> = Promise.resolve();

  constructor(hub: TailHub, matcher: EventMatcher, next: TailPosition, replaying: boolean) {
    this.#hub = hub;
    this.matcher = matcher;
    this.next = next;
    this.kept = replaying ? [] : null;
    this.replayed = replaying ? new Set() : null;
    this.start = hub.token(next);
  }

  /** The token of where it starts (the resume token it was opened with, or the stream's end then). */
  readonly start: string;

  /** From the hub: queued when live and not yet seen; kept while the replay runs. */
  offer(d: Delivery): void {
    if (this.closed || this.#failure) return;
    if (this.kept) {
      if (this.kept.length >= this.#hub.maxQueued) this.fail(behind());
      else this.kept.push(d);
      return;
    }
    this.deliver(d);
  }

  /** Queues an event at its position unless the tail is already past it. */
  deliver(d: Delivery): void {
    if (this.closed || this.#failure || before(this.next, d.seq, d.index)) return;
    if (this.#queue.length >= this.#hub.maxQueued) return this.fail(behind());
    this.next = { seq: d.seq, offset: d.index + 1 };
    this.#queue.push({ event: d.event, token: this.#hub.token(this.next) });
    this.#signal();
  }

  /** The replay reached the stream's end: what the hub kept meanwhile follows, without what the replay already gave. */
  goLive(): void {
    const kept = this.kept ?? [];
    const replayed = this.replayed ?? new Set<string>();
    this.kept = null;
    this.replayed = null;
    for (const d of kept) if (!replayed.has(d.event.opened.id)) this.deliver(d);
  }

  fail(err: ConnectError): void {
    if (this.#failure) return;
    this.#failure = err;
    this.#queue.length = 0;
    this.#signal();
  }

  /** The next items (at least one, at most `max`); throws the tail's failure; null when `signal` aborts. */
  async take(signal: AbortSignal, max = 1): Promise<TailItem[] | null> {
    for (;;) {
      if (this.#failure) throw this.#failure;
      if (this.#queue.length) return this.#queue.splice(0, max);
      if (signal.aborted || this.closed) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.#wake = null;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  close(): void {
    this.closed = true;
    this.stopReplay?.();
    this.#hub.remove(this);
    this.#signal();
  }

  #signal(): void {
    this.#wake?.();
  }
}

const behind = () => new ConnectError("the reader fell behind the event stream; resume from the last token it received", Code.ResourceExhausted);

export interface TailHubOptions {
  bus: Bus;
  subjects: SubjectKeyStore;
  prefix: string;
  region: string;
  stream: string;
  logger: Logger;
  maxQueued: number;
}

/** The region's event stream, read once per process and fanned out to the open tails. */
export class TailHub {
  readonly maxQueued: number;
  readonly #o: TailHubOptions;
  /** Open tails by company. */
  readonly #tails = new Map<string, Set<Tail>>();
  /**
   * Event id → stream sequence where the hub first saw it, in two generations of REMEMBERED_IDS:
   * the older is dropped whole. (Deleting the oldest entry one by one makes V8 skip every deleted
   * entry at the front of the Map on each call: it cost more than the rest of the server.)
   */
  #seen = new Map<string, number>();
  #seenBefore = new Map<string, number>();
  /** The stream's creation time (base 36 ms): a token of an earlier stream of the same name is refused. */
  #epoch = "";
  /** The last stream sequence the hub has taken (its fan-out may still be under way). */
  #last = 0;
  #stopHub: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #replays = new Set<() => void>();
  #started: Promise<void> | null = null;

  constructor(o: TailHubOptions) {
    this.#o = o;
    this.maxQueued = o.maxQueued;
  }

  start(): Promise<void> {
    return (this.#started ??= this.#start());
  }

  async #start(): Promise<void> {
    const jsm = await this.#o.bus.js.jetstreamManager();
    const info = await jsm.streams.info(this.#o.stream);
    this.#epoch = Date.parse(info.created).toString(36);
    this.#last = info.state.last_seq;
    const consumer = await this.#o.bus.js.consumers.get(this.#o.stream, {
      filter_subjects: `${this.#o.prefix}.${this.#o.region}.events.>`,
      opt_start_seq: this.#last + 1,
    });
    const messages = await consumer.consume({ max_messages: 1000 });
    this.#stopHub = () => void messages.stop();
    this.#loop = (async () => {
      // Messages are opened side by side (each open reads the subjects' keys); each tail gets its
      // events in stream order, and does not wait for events of other tails to be opened.
      const opening = new Set<Promise<unknown>>();
      for await (const m of messages) {
        const seq = m.seq;
        const { perTail, done } = this.#fanOut(seq, m.subject, m.string());
        for (const [tail, ready] of perTail) {
          // A message that cannot be read is skipped by every tail (logged once below), never silently by some: they all go on.
          tail.offered = tail.offered.then(() => ready).then(
            (ds) => {
              for (const d of ds) tail.offer(d);
            },
            () => {},
          );
        }
        const open = done.catch((err) => this.#o.logger.warn("live tail could not read a stream message", { seq, err })).finally(() => opening.delete(open));
        opening.add(open);
        if (opening.size >= MAX_OPENING) await Promise.race(opening);
      }
      await Promise.all(opening);
    })().catch((err) => this.#o.logger.warn("live tail stopped reading the event stream", { err }));
  }

  async stop(): Promise<void> {
    this.#stopHub?.();
    for (const stop of this.#replays) stop();
    for (const tails of this.#tails.values()) for (const t of tails) t.fail(new ConnectError("the query service is shutting down; resume from the last token", Code.Unavailable));
    await this.#loop;
  }

  token(p: TailPosition): string {
    return `1.${this.#o.region}.${this.#epoch}.${p.seq}.${p.offset}`;
  }

  /** A resume token of this region's current stream, or INVALID_ARGUMENT naming `field`. */
  async parseToken(token: string, field: string): Promise<TailPosition> {
    await this.start();
    const m = /^1\.([a-z]{2})\.([0-9a-z]{1,12})\.(\d{1,16})\.(\d{1,9})$/.exec(token);
    const bad = (description: string) => invalidArgument("invalid resume token", [{ field, description }]);
    if (!m) throw bad("must be a resume token of this stream: the id of an event it sent");
    if (m[1] !== this.#o.region) throw bad(`was issued by region ${m[1]}; this key's events are in region ${this.#o.region}`);
    const seq = Number(m[3]);
    if (!Number.isSafeInteger(seq) || seq < 1) throw bad("must be a resume token of this stream: the id of an event it sent");
    if (m[2] !== this.#epoch) {
      throw new ConnectError("the resume point is from an earlier event stream of this region (it was recreated since): read what you missed with GET /v1/events and open a new stream without a resume token", Code.FailedPrecondition);
    }
    return { seq, offset: Number(m[4]) };
  }

  /**
   * Opens a tail for `matcher`: from now on, or right after `from`. Refuses a position the stream
   * no longer holds (FAILED_PRECONDITION) or never held (INVALID_ARGUMENT).
   */
  async open(matcher: EventMatcher, from: TailPosition | null, field = "resumeToken"): Promise<Tail> {
    await this.start();
    if (!from) {
      const tail = new Tail(this, matcher, { seq: this.#last + 1, offset: 0 }, false);
      this.#add(tail);
      return tail;
    }
    const jsm = await this.#o.bus.js.jetstreamManager();
    const { state } = await jsm.streams.info(this.#o.stream);
    if (from.seq > state.last_seq + 1) throw invalidArgument("invalid resume token", [{ field, description: "is ahead of the region's event stream: not a position it issued" }]);
    if (from.seq < state.first_seq) {
      throw new ConnectError(
        "the resume point is older than the event stream keeps (7 days): read what you missed with GET /v1/events (after the last event you have) and open a new stream without a resume token",
        Code.FailedPrecondition,
      );
    }
    const tail = new Tail(this, matcher, from, true);
    this.#add(tail);
    void this.#replay(tail, from).catch((err) => {
      this.#o.logger.warn("live tail replay failed", { err });
      tail.fail(new ConnectError("could not read the event stream; resume from the last token", Code.Unavailable));
    });
    return tail;
  }

  remove(tail: Tail): void {
    const set = this.#tails.get(tail.matcher.companyId);
    set?.delete(tail);
    if (set?.size === 0) this.#tails.delete(tail.matcher.companyId);
  }

  /** Open tails (metrics, tests). */
  get size(): number {
    let n = 0;
    for (const s of this.#tails.values()) n += s.size;
    return n;
  }

  #add(tail: Tail): void {
    let set = this.#tails.get(tail.matcher.companyId);
    if (!set) this.#tails.set(tail.matcher.companyId, (set = new Set()));
    set.add(tail);
  }

  /** Reads the tail's subject from `from` until the stream's end, delivering straight to it; then it goes live. */
  async #replay(tail: Tail, from: TailPosition): Promise<void> {
    const { prefix, region } = this.#o;
    const m = tail.matcher;
    const subject = `${prefix}.${region}.events.${m.companyId}.${m.workspaceId ?? ">"}`;
    const consumer = await this.#o.bus.js.consumers.get(this.#o.stream, { filter_subjects: subject, opt_start_seq: from.seq });
    try {
      if ((await consumer.info(true)).num_pending > 0 && !tail.closed) {
        const messages = await consumer.consume({ max_messages: 500 });
        const stop = () => void messages.stop();
        this.#replays.add(stop);
        tail.stopReplay = stop;
        try {
          for await (const msg of messages) {
            if (tail.closed) break;
            const events = parseEvents(msg.string());
            const fresh = events.flatMap((e, index) => (this.#repeated(e.id, msg.seq) || tail.replayed?.has(e.id) ? [] : [{ e, index }]));
            for (const { e } of fresh) tail.replayed?.add(e.id);
            const { perTail, done } = this.#open(msg.seq, fresh, [tail]);
            await done;
            for (const d of (await perTail.get(tail)) ?? []) tail.deliver(d);
            if (msg.info.pending === 0) break;
          }
        } finally {
          this.#replays.delete(stop);
          tail.stopReplay = null;
          stop();
        }
      }
    } finally {
      await consumer.delete().catch(() => false);
    }
    tail.goLive();
  }

  /**
   * One message of the hub: what each open tail of its company that matches gets of it. The tails
   * are the ones open now (synchronously, in stream order); the opening may finish later.
   */
  #fanOut(seq: number, subject: string, body: string): Opening {
    this.#last = seq;
    const companyId = subjectCompanyId(subject);
    const events = parseEvents(body);
    // Remembered whether or not anyone listens now: a resume later may need to know.
    const fresh = events.flatMap((e, index) => (this.#repeated(e.id, seq) ? [] : [{ e, index }]));
    const tails = this.#tails.get(companyId);
    if (!tails?.size || !fresh.length) return { perTail: new Map(), done: Promise.resolve() };
    return this.#open(seq, fresh, [...tails]);
  }

  /**
   * The events of one message that some of `tails` want, each opened once (personal data, with a
   * read of the subjects' keys per slice) and shared by the tails that want it. Tails that want
   * few of them are served first: their events are opened before the rest, so a narrow filter's
   * reader never waits for a whole batch to be opened for a broader one. `done`: every slice
   * opened; it rejects when the message cannot be read (every tail's promise then rejects too).
   */
  #open(seq: number, events: Array<{ e: StoredEvent; index: number }>, tails: Tail[]): Opening {
    const wanted = events.map(({ e }) => tails.filter((t) => t.matcher.needsOpened(e) || t.matcher.matches(e)));
    // Each tail's events of the message, in message order.
    const mine = new Map<Tail, number[]>();
    wanted.forEach((w, i) => {
      for (const t of w) {
        const list = mine.get(t);
        if (list) list.push(i);
        else mine.set(t, [i]);
      }
    });
    if (!mine.size) return { perTail: new Map(), done: Promise.resolve() };
    const few = (t: Tail) => mine.get(t)!.length <= FEW;
    const first = events.flatMap((_, i) => (wanted[i]!.some(few) ? [i] : []));
    const rest = events.flatMap((_, i) => (wanted[i]!.length && !wanted[i]!.some(few) ? [i] : []));
    const shown: Array<ShownEvent | undefined> = [];
    const openSlice = async (slice: number[]) => {
      const opened = await this.#o.subjects.open(slice.map((i) => events[i]!.e));
      slice.forEach((i, k) => (shown[i] = new ShownEvent(opened[k]!)));
    };
    // A tail's deliveries, in message order, once every event it wants is opened.
    const deliveries = (tail: Tail): Delivery[] =>
      mine.get(tail)!.flatMap((i) => {
        const { e, index } = events[i]!;
        const s = shown[i]!;
        if (tail.matcher.needsOpened(e) && !tail.matcher.matches(e, s.opened.actor.email)) return [];
        return [{ seq, index, event: s }];
      });
    const firstDone = first.length ? openSlice(first) : Promise.resolve();
    const done = (async () => {
      await firstDone;
      for (let k = 0; k < rest.length; k += OPEN_SLICE) await openSlice(rest.slice(k, k + OPEN_SLICE));
    })();
    const perTail = new Map<Tail, Promise<Delivery[]>>();
    for (const tail of mine.keys()) perTail.set(tail, (few(tail) ? firstDone : done).then(() => deliveries(tail)));
    // Every tail's promise carries the failure; `done` is the one that is reported.
    for (const p of perTail.values()) p.catch(() => {});
    return { perTail, done };
  }

  /** Whether this id was first seen at an earlier stream sequence (the outbox published it again); remembers it otherwise. */
  #repeated(id: string, seq: number): boolean {
    const first = this.#seen.get(id) ?? this.#seenBefore.get(id);
    if (first !== undefined) return first < seq;
    if (this.#seen.size >= REMEMBERED_IDS) {
      this.#seenBefore = this.#seen;
      this.#seen = new Map();
    }
    this.#seen.set(id, seq);
    return false;
  }
}

function parseEvents(body: string): StoredEvent[] {
  const parsed = JSON.parse(body) as { events?: StoredEvent[] };
  return Array.isArray(parsed.events) ? parsed.events : [];
}
