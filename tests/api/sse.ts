/** A Server-Sent Events client for tests: fetch, parsed as the EventSource spec parses. */
export interface SseMessage {
  id: string;
  event: string;
  data: any;
}

export class SseClient {
  readonly status: number;
  readonly headers: Headers;
  /** The body of a refused request (JSON error), or null. */
  readonly error: any;
  readonly messages: SseMessage[] = [];
  /** Comment lines (heartbeats). */
  comments = 0;
  /** Set when the server ended the stream. */
  ended = false;
  readonly #abort: AbortController;
  #waiters: Array<() => void> = [];
  #done: Promise<void> = Promise.resolve();

  private constructor(res: Response, abort: AbortController, error: any) {
    this.status = res.status;
    this.headers = res.headers;
    this.error = error;
    this.#abort = abort;
    if (res.status === 200 && res.body) this.#done = this.#read(res.body);
  }

  static async open(url: string, key: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: "text/event-stream", ...headers }, signal: abort.signal });
    let error: any = null;
    if (res.status !== 200) {
      const text = await res.text();
      try {
        error = JSON.parse(text);
      } catch {
        error = text;
      }
    }
    return new SseClient(res, abort, error);
  }

  /** Messages of one type (default: events), their data. */
  events(type = "event"): any[] {
    return this.messages.filter((m) => m.event === type).map((m) => m.data);
  }

  /** Waits until `test` holds (checked after every message and at the end of the stream). */
  async until(what: string, test: (c: SseClient) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this)) {
      if (this.ended && !test(this)) throw new Error(`the stream ended before ${what} (${this.messages.length} messages: ${this.messages.map((m) => m.event).join(",")})`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.messages.length} messages: ${this.messages.map((m) => m.event).join(",")})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** The id of the last message received (what an EventSource sends as Last-Event-ID). */
  get lastId(): string {
    return this.messages.at(-1)?.id ?? "";
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done.catch(() => {});
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.#block(block);
        }
        this.#wake();
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
      this.#wake();
    }
  }

  #block(block: string): void {
    let id = "";
    let event = "message";
    const data: string[] = [];
    let comment = false;
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        comment = true;
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (!data.length) {
      if (comment) this.comments++;
      return;
    }
    this.messages.push({ id, event, data: JSON.parse(data.join("\n")) });
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }
}
