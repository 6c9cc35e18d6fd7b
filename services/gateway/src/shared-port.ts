import type http from "node:http";
import type http2 from "node:http2";
import net from "node:net";

/**
 * One listening socket for an HTTP/1.1 and an HTTP/2 server: a connection that opens with the
 * HTTP/2 preface ("PRI * HTTP/2.0", prior knowledge, as gRPC clients send in cleartext) goes to
 * the HTTP/2 server, any other to the HTTP/1.1 one. Neither server listens itself, so their own
 * connection tracking is off: this class tracks connections for a graceful close.
 */
export class SharedPort {
  readonly server: net.Server;
  /** HTTP/1.1 connections and how many requests each has in flight. */
  readonly #http1 = new Map<net.Socket, number>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  readonly #sockets = new Set<net.Socket>();
  #closing = false;

  constructor(http1: http.Server, h2: http2.Http2Server) {
    http1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      const socket = req.socket;
      this.#http1.set(socket, (this.#http1.get(socket) ?? 0) + 1);
      res.on("close", () => {
        const left = (this.#http1.get(socket) ?? 1) - 1;
        this.#http1.set(socket, left);
        if (this.#closing && left === 0) socket.destroy();
      });
    });
    h2.on("session", (session) => {
      this.#sessions.add(session);
      session.on("close", () => this.#sessions.delete(session));
    });
    this.server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => {
        this.#sockets.delete(socket);
        this.#http1.delete(socket);
      });
      socket.on("error", () => socket.destroy());
      const dispatch = () => {
        const head = socket.read(3) as Buffer | null;
        if (head === null && socket.readableLength > 0) return; // fewer than 3 bytes so far
        socket.off("readable", dispatch);
        if (head) socket.unshift(head);
        if (head?.toString("latin1") === "PRI") {
          h2.emit("connection", socket);
        } else {
          this.#http1.set(socket, 0);
          http1.emit("connection", socket);
        }
      };
      socket.on("readable", dispatch);
    });
  }

  /**
   * Stops accepting; idle HTTP/1.1 connections close now, busy ones after their request; HTTP/2
   * sessions get GOAWAY and finish their streams. Whatever is left after graceMs is cut.
   */
  close(graceMs: number): Promise<void> {
    this.#closing = true;
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const [socket, inFlight] of this.#http1) if (inFlight === 0) socket.destroy();
      for (const session of this.#sessions) session.close();
      setTimeout(() => {
        for (const socket of this.#sockets) socket.destroy();
      }, graceMs).unref();
    });
  }
}
