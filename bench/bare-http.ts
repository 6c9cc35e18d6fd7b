/**
 * Baseline: the least a Node HTTP server can do per ingest request — read the POST body and answer
 * 202 with a tiny JSON body. Run as its own process by bench/run.ts; prints `port=<n>`.
 */
import http from "node:http";

const BODY = JSON.stringify({ status: "accepted" });

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const parts: Buffer[] = [];
  req.on("data", (c: Buffer) => parts.push(c));
  req.on("end", () => {
    Buffer.concat(parts);
    res.writeHead(202, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(BODY) });
    res.end(BODY);
  });
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`port=${(server.address() as { port: number }).port}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)).closeAllConnections());
