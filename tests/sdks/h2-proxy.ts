/**
 * A TCP proxy in front of the gateway for the SDK tests that reads the HTTP/2 frames of the gRPC
 * calls going through it (prior knowledge, cleartext), so it can lose an answer or cut a stream at
 * a chosen message. The calls' paths are not readable here (HPACK may Huffman-code them or point to
 * its table), so a test sends through a proxy only the calls it means: requests are counted as the
 * client's HEADERS frames that open a stream, and messages as the server's non-empty DATA frames.
 */
import net from "node:net";

export interface H2Proxy {
  /** host:port, what the SDKs take as their address. */
  address: string;
  /** TCP connections accepted. */
  connections: number;
  /** Calls sent through (HEADERS frames from the client on a stream). */
  requests: number;
  /**
   * Answers still to lose: the next message the server sends is not passed on, and the client's
   * connection is reset, so the server has done the work but the client never hears of it.
   */
  dropAnswers: number;
  /** Answers lost so far. */
  dropped: number;
  /**
   * When above 0, the first connection to carry this many messages from the server is closed right
   * after passing the last of them on (once per proxy): a stream that breaks after a delivery.
   */
  cutAfterMessages: number;
  /** Connections cut so far. */
  cuts: number;
  close(): Promise<void>;
}

const CLIENT_PREFACE = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
const DATA = 0x0;
const HEADERS = 0x1;

interface Frame {
  type: number;
  streamId: number;
  length: number;
  bytes: Buffer;
}

/** Splits a byte stream into HTTP/2 frames (after `skip` bytes of preface, passed through as is). */
function frameReader(skip: number, onBytes: (bytes: Buffer, frame: Frame | null) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    if (skip > 0) {
      const head = pending.subarray(0, Math.min(skip, pending.length));
      skip -= head.length;
      pending = pending.subarray(head.length);
      onBytes(head, null);
    }
    while (pending.length >= 9) {
      const length = pending.readUIntBE(0, 3);
      if (pending.length < 9 + length) break;
      const bytes = pending.subarray(0, 9 + length);
      pending = pending.subarray(9 + length);
      onBytes(bytes, { type: bytes[3]!, streamId: bytes.readUInt32BE(5) & 0x7fffffff, length, bytes });
    }
  };
}

export async function h2Proxy(target: URL): Promise<H2Proxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    state.connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    let messages = 0;
    let cut = false;
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        upstream.destroy();
        // A cut connection ends downstream with a FIN after the last message: let it drain.
        if (!cut) downstream.destroy();
      });
    }
    downstream.on(
      "data",
      frameReader(CLIENT_PREFACE, (bytes, frame) => {
        if (cut) return;
        if (frame?.type === HEADERS && frame.streamId > 0) state.requests++;
        upstream.write(bytes);
      }),
    );
    upstream.on(
      "data",
      frameReader(0, (bytes, frame) => {
        if (cut || downstream.destroyed) return;
        const message = frame?.type === DATA && frame.streamId > 0 && frame.length > 0;
        if (message && state.dropAnswers > 0) {
          state.dropAnswers--;
          state.dropped++;
          downstream.resetAndDestroy();
          upstream.destroy();
          return;
        }
        downstream.write(bytes);
        if (message && ++messages === state.cutAfterMessages && state.cuts === 0) {
          state.cuts++;
          cut = true;
          downstream.end();
          upstream.destroy();
        }
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const state: H2Proxy = {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: 0,
    requests: 0,
    dropAnswers: 0,
    dropped: 0,
    cutAfterMessages: 0,
    cuts: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return state;
}
