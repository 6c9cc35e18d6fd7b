/**
 * NATS_STREAM_REPLICAS (docs/operations/capacity.md): on a three-server JetStream cluster each of a
 * region's streams is kept on three servers, and events are still accepted with one server down; a
 * lone server refuses more than one replica with an error that names the setting.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, expect, inject, it } from "vitest";
import { connectBus, eventsStreamName, type Bus } from "@hyrelog/bus";
import { freePort } from "@hyrelog/testing";

const natsServer = ["nats-server", "/usr/sbin/nats-server", "/usr/local/sbin/nats-server"].find((bin) => !spawnSync(bin, ["--version"]).error);
const servers: ChildProcess[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), "hyrelog-nats-cluster-"));
afterAll(() => {
  for (const s of servers) s.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Three JetStream servers routed to each other; returns their client URLs. */
async function startCluster(): Promise<string[]> {
  const ports = await Promise.all([0, 1, 2].map(async () => ({ client: await freePort(), route: await freePort() })));
  for (const [i, p] of ports.entries()) {
    const routes = ports.filter((_, j) => j !== i).map((o) => `nats://127.0.0.1:${o.route}`).join(",");
    const args = ["-js", "-a", "127.0.0.1", "-p", String(p.client), "-sd", path.join(dir, `s${i}`), "-n", `hyrelog-test-${i}`];
    servers.push(spawn(natsServer!, [...args, "--cluster_name", "hyrelog-test", "--cluster", `nats://127.0.0.1:${p.route}`, "--routes", routes], { stdio: "ignore" }));
  }
  return ports.map((p) => `nats://127.0.0.1:${p.client}`);
}

/** JetStream answers only once the cluster has elected its meta leader. */
async function connectWhenReady(url: string, prefix: string): Promise<Bus> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connectBus({ url, prefix, region: "us", name: "stream-replicas-test", replicas: 3 });
    } catch (err) {
      if (attempt >= 60) throw err;
      await sleep(500);
    }
  }
}

it.skipIf(!natsServer)("on a three-server cluster every stream has three replicas and takes events with one server down", async () => {
  const urls = await startCluster();
  const prefix = "replicas";
  const bus = await connectWhenReady(urls[0]!, prefix);
  try {
    const jsm = await jetstreamManager(bus.nc);
    const info = await jsm.streams.info(eventsStreamName(prefix, "us"));
    expect(info.config.num_replicas).toBe(3);
    expect(info.cluster?.replicas).toHaveLength(2);
    for (const name of await jsm.streams.names().next()) expect((await jsm.streams.info(name)).config.num_replicas).toBe(3);

    await bus.publish(`${prefix}.us.events.c.w`, new TextEncoder().encode("first"), { msgId: "first" });
    servers[2]!.kill("SIGKILL");
    // Two of three copies are a quorum: a publish is still acknowledged (after a leader moves, if it was on the lost server).
    let ack;
    for (let attempt = 0; !ack; attempt++) {
      ack = await bus.publish(`${prefix}.us.events.c.w`, new TextEncoder().encode("second"), { msgId: "second" }).catch((err) => {
        if (attempt >= 40) throw err;
        return sleep(250).then(() => undefined);
      });
    }
    expect(ack.seq).toBe(2);
  } finally {
    await bus.close();
  }
}, 60_000);

it("a single server refuses NATS_STREAM_REPLICAS above 1, naming the setting", async () => {
  const url = inject("infra").natsUrl;
  await expect(connectBus({ url, prefix: `replicas${Date.now()}`, region: "us", name: "stream-replicas-test", replicas: 3 })).rejects.toThrow(
    /NATS_STREAM_REPLICAS=3 needs a JetStream cluster of at least 3 servers/,
  );
});
