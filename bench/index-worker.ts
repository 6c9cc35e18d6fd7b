/**
 * StoredTree.index as the checkpointer calls it, in its own process (so running out of memory
 * ends only this one): `node bench/index-worker.ts <databaseUrl> <logId> <size>...` indexes the
 * log up to each size in turn, each call storing only what is new. Prints one line per call:
 * `RESULT {"toLeaves","seconds","added","rssMB","heapUsedMB"}`.
 */
import { openOrm, StoredTree } from "@hyrelog/db";

const [databaseUrl, logId, ...sizes] = process.argv.slice(2);
if (!databaseUrl || !logId || !sizes.length) {
  console.error("usage: node bench/index-worker.ts <databaseUrl> <logId> <size>...");
  process.exit(2);
}
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
sampler.unref();
const orm = await openOrm({ databaseUrl, poolMax: 1 });
try {
  for (const size of sizes.map(Number)) {
    peakRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const added = await new StoredTree(orm.em.fork(), logId).index(size);
    const seconds = (performance.now() - t0) / 1000;
    const mem = process.memoryUsage();
    peakRss = Math.max(peakRss, mem.rss);
    process.stdout.write(`RESULT ${JSON.stringify({ toLeaves: size, seconds, added, rssMB: Math.round(peakRss / 1e6), heapUsedMB: Math.round(mem.heapUsed / 1e6) })}\n`);
  }
} finally {
  await orm.close(true);
}
