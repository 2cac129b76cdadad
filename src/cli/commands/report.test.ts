// Golden outputs of `aegis report` (human, JSON, CSV, Markdown) over the fixture ledgers in
// test/fixtures/report/, run through main() so exit codes and messages are those of the CLI.
// Regenerate the expected files with UPDATE_GOLDEN=1 — then read every changed line.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { memoryOutput } from "../output.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/report");
const EXPECTED = join(FIXTURES, "expected");

async function report(args: string[], columns?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = memoryOutput(columns);
  const code = await main(["node", "aegis", "report", ...args], out);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

function golden(name: string, actual: string): void {
  const path = join(EXPECTED, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(EXPECTED, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

const CASES: Array<[string, string[]]> = [
  ["multi-agent", ["multi-agent.jsonl"]],
  ["three-level", ["three-level.jsonl"]],
  ["torn", ["torn.jsonl"]],
  ["sessions", ["sessions"]],
];

describe("aegis report golden outputs", () => {
  for (const [name, inputs] of CASES) {
    const paths = inputs.map((i) => join(FIXTURES, i));
    it(`${name}: human`, async () => {
      const r = await report(paths);
      expect(r.code).toBe(0);
      golden(`${name}.txt`, r.stdout);
    });
    it(`${name}: JSON`, async () => {
      const r = await report([...paths, "--json"]);
      expect(r.code).toBe(0);
      golden(`${name}.json`, r.stdout);
    });
    it(`${name}: CSV`, async () => {
      const r = await report([...paths, "--csv", "--by", "model"]);
      expect(r.code).toBe(0);
      golden(`${name}.csv`, r.stdout);
    });
    it(`${name}: Markdown`, async () => {
      const r = await report([...paths, "--markdown"]);
      expect(r.code).toBe(0);
      golden(`${name}.md`, r.stdout);
    });
  }

  it("narrow terminals get the compact layout", async () => {
    const r = await report([join(FIXTURES, "three-level.jsonl")], 60);
    golden("three-level.narrow.txt", r.stdout);
    expect(r.stdout).not.toContain("Cached");
  });
});

describe("aegis report arithmetic", () => {
  it("the documented multi-agent example adds up to $0.10075", async () => {
    const r = JSON.parse((await report([join(FIXTURES, "multi-agent.jsonl"), "--json"])).stdout);
    expect(r.spent).toBe(0.10075);
    expect(r.by_agent).toEqual({ researcher: 0.04, reviewer: 0.00075, writer: 0.06 });
    expect(r.agents[0]).toMatchObject({ agent_id: "orchestrator", direct: 0, delegated: 0.10075, total: 0.10075, calls: 0 });
    expect(r.call_count).toBe(3);
  });

  it("torn last line, corrupt line and duplicated call: warned with file:line, the rest counts once", async () => {
    const r = await report([join(FIXTURES, "torn.jsonl"), "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.call_count).toBe(3);
    expect(json.spent).toBe(0.02575);
    expect(r.stderr).toContain("torn.jsonl:5: skipped: field \"tokens.cache_read\": expected a non-negative integer, received nothing (missing)");
    expect(r.stderr).toContain("torn.jsonl:7: torn last line");
    expect(r.stderr).toContain("1 call was already counted (same id) and counted once");
  });

  it("several sessions add up to the sum of each", async () => {
    const one = async (f: string) => JSON.parse((await report([join(FIXTURES, "sessions", f), "--json"])).stdout);
    const [a, b] = [await one("a.jsonl"), await one("b.jsonl")];
    const both = JSON.parse((await report([join(FIXTURES, "sessions"), "--json"])).stdout);
    expect(both.spent).toBeCloseTo(a.spent + b.spent, 9);
    expect(both.call_count).toBe(a.call_count + b.call_count);
    expect(both.session_id).toBe("");
    expect(both.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(["sess-a", "sess-b"]);
    expect(both.by_agent.main).toBeCloseTo(a.by_agent.main + b.by_agent.main, 9);
    // The union of both trees: search (from a) and summarise (from b) under main.
    expect(both.agents[0].children.map((c: { agent_id: string }) => c.agent_id)).toEqual(["search", "summarise"]);
  });

  it("the same ledger given twice (file and its directory) counts once", async () => {
    const r = await report([join(FIXTURES, "sessions/a.jsonl"), join(FIXTURES, "sessions"), "--json"]);
    expect(JSON.parse(r.stdout).call_count).toBe(4);
  });
});

describe("aegis report --since/--until/--tz boundaries", () => {
  // boundaries.jsonl: call i costs 2^i × $0.001, at
  // 0 03-08T23:59:59.999Z  1 03-09T00:00:00.000Z  2 03-09T04:59:59.999Z
  // 3 03-09T05:00:00.000Z  4 03-10T03:59:59.999Z  5 03-10T04:00:00.000Z
  const file = join(FIXTURES, "boundaries.jsonl");
  const spent = async (...args: string[]): Promise<number> => JSON.parse((await report([file, "--json", ...args])).stdout).spent;

  it("UTC day: since inclusive at 00:00:00.000, until exclusive", async () => {
    expect(await spent("--since", "2025-03-09", "--until", "2025-03-10")).toBe(0.002 + 0.004 + 0.008);
    expect(await spent("--until", "2025-03-09")).toBe(0.001);
    expect(await spent("--since", "2025-03-08T23:59:59.999Z", "--until", "2025-03-09T00:00:00.000Z")).toBe(0.001);
  });

  it("New York's DST day (23 hours) with --tz", async () => {
    expect(await spent("--tz", "America/New_York", "--since", "2025-03-09", "--until", "2025-03-10")).toBe(0.008 + 0.016);
    const days = JSON.parse((await report([file, "--json", "--tz", "America/New_York"])).stdout).by_day;
    expect(days).toEqual({ "2025-03-08": 0.007, "2025-03-09": 0.024, "2025-03-10": 0.032 });
  });

  it("wall times without an offset are read in --tz; with an offset they are absolute", async () => {
    expect(await spent("--tz", "America/New_York", "--since", "2025-03-09T23:59:59.999")).toBe(0.016 + 0.032);
    expect(await spent("--tz", "America/New_York", "--since", "2025-03-10T00:00:00.000-04:00")).toBe(0.032);
  });

  it("--by day in CSV follows the zone", async () => {
    const r = await report([file, "--csv", "--by", "day", "--tz", "America/New_York"]);
    golden("boundaries.new-york.csv", r.stdout);
  });
});

describe("aegis report exit codes", () => {
  it("1 when the input holds no calls", async () => {
    const r = await report([join(FIXTURES, "boundaries.jsonl"), "--since", "2030-01-01"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no calls between 2030-01-01T00:00:00.000Z and the end");
  });

  it("2 for a bad --since, --tz or --by, naming the flag and the value", async () => {
    const f = join(FIXTURES, "multi-agent.jsonl");
    let r = await report([f, "--since", "2025-02-30"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since: expected an ISO date');
    expect(r.stderr).toContain('received "2025-02-30"');
    r = await report([f, "--tz", "Mars/Olympus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--tz: expected an IANA time zone');
    expect(r.stderr).toContain('received "Mars/Olympus"');
    r = await report([f, "--by", "week"]);
    expect(r.code).toBe(2);
    r = await report([f, "--since", "2025-03-02", "--until", "2025-03-01"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--until: expected a time after --since");
  });

  it("2 for a missing ledger, with a clear message and no stack trace", async () => {
    const r = await report([join(FIXTURES, "no-such.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ledger not found: .*no-such\.jsonl/);
    expect(r.stderr).not.toContain("    at ");
  });
});
