import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpendAccumulator } from "../core/spend/accumulator.js";
import { totalSums } from "../core/spend/group.js";
import { IdSet } from "./id-set.js";
import { listLedgerFiles, planRanges } from "./ledger-files.js";
import { readLedgers } from "./read-ledgers.js";
import { scanRange } from "./scan-range.js";

const FIXTURES = join(import.meta.dirname, "../../test/fixtures/report");

function ledger(lines: number, corruptAt: number[] = []): string {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    if (corruptAt.includes(i)) {
      out.push("{garbage");
      continue;
    }
    out.push(JSON.stringify({
      v: 1, type: "decision", ts: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(), session_id: "s", id: `c${i % 700}`, agent: `a${i % 3}`, model: `m${i % 4}`,
      action: i % 10 === 0 ? "block" : "allow", dimension: "", reason: "", tokens: { input: i, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 1, reasoning: 0 }, cost_nanos: i * 1000,
    }));
  }
  return `${out.join("\n")}\n`;
}

// Input tokens of the blocked lines among the first occurrences (every 10th line is blocked).
function blockedInput(): number {
  return Array.from({ length: 700 }, (_, k) => (k === 10 ? 710 : k === 0 ? 700 : k)).filter((i) => i % 10 === 0).reduce((a, b) => a + b, 0);
}

describe("reading ledgers", () => {
  it("a file cut into line-aligned ranges gives the totals and line numbers of one scan", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aegis-ranges-"));
    const file = join(dir, "big.jsonl");
    writeFileSync(file, ledger(3000, [10, 2999]));
    const files = await listLedgerFiles([file]);
    const scanAll = (parts: number) => {
      const tasks = planRanges(files, parts, 0);
      const acc = new SpendAccumulator();
      const seen = new IdSet();
      const results = tasks.map((t) => scanRange(t, { timeZone: "UTC" }, seen, acc));
      return { tasks, results, sums: totalSums(acc.state().cells) };
    };
    const one = scanAll(1);
    const four = scanAll(4);
    expect(four.tasks.length).toBe(4);
    expect(four.sums).toEqual(one.sums);
    // ids repeat every 700 lines, so 700 distinct calls (c10, corrupt on line 10, first counts on line 710).
    expect(one.sums.calls + one.sums.blocked).toBe(700);
    expect(one.sums.input).toBe(Array.from({ length: 700 }, (_, k) => (k === 10 ? 710 : k === 0 ? 700 : k)).reduce((a, b) => a + b, 0) - blockedInput());
    expect(four.results.reduce((n, r) => n + r.lines, 0)).toBe(3000);
  });

  it("warnings carry the file's own line numbers and duplicates are reported once per file", async () => {
    const warnings: string[] = [];
    const r = await readLedgers([join(FIXTURES, "torn.jsonl")], { timeZone: "UTC", threads: 1, parallelMinBytes: Infinity }, (w) => warnings.push(w));
    expect(r.lines).toBe(7);
    expect(warnings.map((w) => w.replace(/^.*torn\.jsonl/, "torn.jsonl"))).toEqual([
      'torn.jsonl:5: skipped: field "tokens.cache_read": expected a non-negative integer, received nothing (missing)',
      "torn.jsonl:7: torn last line (no newline at the end: the writer was interrupted), skipped: not valid JSON",
      "torn.jsonl: 1 call was already counted (same id) and counted once",
    ]);
  });

  it("a directory means its *.jsonl files in name order", async () => {
    const files = await listLedgerFiles([join(FIXTURES, "sessions")]);
    expect(files.map((f) => f.path.split("/").pop())).toEqual(["a.jsonl", "b.jsonl"]);
  });

  it("the --since/--until pre-filter agrees with the exact filter", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aegis-filter-"));
    const file = join(dir, "l.jsonl");
    writeFileSync(file, ledger(500));
    const since = new Date(Date.UTC(2025, 0, 1) + 100 * 60_000).toISOString();
    const until = new Date(Date.UTC(2025, 0, 1) + 200 * 60_000).toISOString();
    const r = await readLedgers([file], { timeZone: "UTC", since, until, threads: 1, parallelMinBytes: Infinity }, () => {});
    const sums = totalSums(r.state.cells);
    expect(sums.calls + sums.blocked).toBe(100); // lines 100..199
    expect(sums.input).toBe(Array.from({ length: 100 }, (_, k) => 100 + k).filter((i) => i % 10 !== 0).reduce((a, b) => a + b, 0));
  });
});
