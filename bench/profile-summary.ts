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

export interface ProfileSummary {
  file: string;
  profiledMs: number;
  /** Each list: [label, ms, percent of the profiled time], largest first. */
  selfByPackage: Array<[string, number, number]>;
  selfByFunction: Array<[string, number, number]>;
  inclusiveByFunction: Array<[string, number, number]>;
  selfByHyrelogFunction: Array<[string, number, number]>;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;

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

  const list = (m: Map<string, number>): Array<[string, number, number]> =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, Math.round(us / 1000), Math.round((1000 * us) / totalUs) / 10]);
  return {
    file,
    profiledMs: Math.round(totalUs / 1000),
    selfByPackage: list(selfByPkg),
    selfByFunction: list(selfByFn),
    inclusiveByFunction: list(inclByFn),
    selfByHyrelogFunction: list(byHyrelog),
  };
}

function where(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, "");
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ws = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (ws) return `@hyrelog/${ws[2]}`;
  if (url.startsWith("node:")) return "node";
  return url ? url.split("/").slice(-2).join("/") : "(vm)";
}

function label(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, "");
  const short = url ? `${url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber + 1}` : "";
  return `${n.callFrame.functionName || "(anonymous)"} ${short}`.trim();
}

export function formatProfileSummary(s: ProfileSummary): string {
  const lines = [`${s.file}: ${(s.profiledMs / 1000).toFixed(1)} s profiled`];
  const section = (title: string, rows: Array<[string, number, number]>) => {
    lines.push("", title);
    for (const [k, ms, pct] of rows) lines.push(`  ${pct.toFixed(1).padStart(5)}%  ${String(ms).padStart(7)} ms  ${k}`);
  };
  section("self time by package", s.selfByPackage);
  section("self time by function", s.selfByFunction);
  section("inclusive time by function", s.inclusiveByFunction);
  section("self time charged to the innermost HyreLog function", s.selfByHyrelogFunction);
  return lines.join("\n");
}

if (import.meta.main) {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node bench/profile-summary.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(formatProfileSummary(summarizeProfile(file, Number(topArg ?? 25))));
}
