import net from "node:net";

/**
 * Ports handed out here: below Linux's ephemeral range (32768-60999), where the kernel picks the
 * local port of every outgoing connection. A port from that range (listen(0)) that is bound only
 * seconds later, after PostgreSQL and NATS start, can meanwhile be taken by some client's
 * connection (EADDRINUSE); one below it cannot.
 */
const LOWEST = 20_000;
const HIGHEST = 32_000;
/** Never the same port twice in a process: the one handed out before may not be bound yet. */
const handedOut = new Set<number>();

/** A TCP port free on 127.0.0.1 right now, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (handedOut.has(port) || !(await isFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${HIGHEST} after 100 tries`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}
