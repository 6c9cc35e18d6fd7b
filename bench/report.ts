/** The results table printed at the end of a bench run. */

export type Verdict = "PASS" | "MISS" | "info" | "skipped";

export interface Row {
  figure: string;
  measured: string;
  goal: string;
  ratio: string;
  verdict: Verdict;
}

export function verdict(ok: boolean | null): Verdict {
  return ok === null ? "skipped" : ok ? "PASS" : "MISS";
}

export function fmt(v: number | null | undefined, unit = "", digits = 0): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  const s = v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit ? `${s} ${unit}` : s;
}

export function renderTable(rows: Row[]): string {
  const head: Row = { figure: "Figure", measured: "Measured", goal: "Goal", ratio: "Ratio to baseline", verdict: "info" };
  const cols: Array<keyof Row> = ["figure", "measured", "goal", "ratio", "verdict"];
  const all = [head, ...rows];
  const width = cols.map((c) => Math.max(...all.map((r) => (c === "verdict" && r === head ? 6 : r[c].length))));
  const line = (r: Row) =>
    cols
      .map((c, i) => (c === "verdict" && r === head ? "Result" : r[c]).padEnd(width[i]!))
      .join(" | ")
      .trimEnd();
  const sep = width.map((w) => "-".repeat(w)).join("-+-");
  return [line(head), sep, ...rows.map(line)].join("\n");
}
