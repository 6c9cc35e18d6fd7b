/**
 * Summarises a V8 CPU profile (from BENCH_PROFILE=1): self time by function and by package, and
 * inclusive time of the heaviest functions.
 *   node bench/profile-summary.ts .hyrelog/profiles/<file>.cpuprofile [top=25]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

const where = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, "");
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ws = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (ws) return `@hyrelog/${ws[2]}`;
  if (url.startsWith("node:")) return "node";
  return url ? url.split("/").slice(-2).join("/") : "(vm)";
};
const label = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\//, "");
  const short = url ? `${url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber + 1}` : "";
  return `${n.callFrame.functionName || "(anonymous)"} ${short}`.trim();
};

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const selfByFn = new Map<string, number>();
const selfByPkg = new Map<string, number>();
const inclByFn = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  add(selfByFn, label(n), us);
  add(selfByPkg, where(n), us);
  // Inclusive: count each function once per sample stack.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (!seen.has(l)) {
      seen.add(l);
      add(inclByFn, l, us);
    }
  }
}

// Each sample charged to the innermost HyreLog function on its stack (library time is charged to
// the HyreLog code that called it); samples with none are framework, GC or idle time.
const byHyrelog = new Map<string, number>();
for (const [id, us] of selfUs) {
  let owner: string | undefined;
  for (let cur: number | undefined = id; cur !== undefined && !owner; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    if (/\/(packages|services)\/[^/]+\/src\//.test(n.callFrame.url)) owner = `${where(n)} ${label(n)}`;
  }
  add(byHyrelog, owner ?? `(no HyreLog frame) ${where(byId.get(id)!)}`, us);
}

const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled`);
print("self time by package", selfByPkg, top);
print("self time by function", selfByFn, top);
print("inclusive time by function", inclByFn, top);
print("self time charged to the innermost HyreLog function", byHyrelog, top);
