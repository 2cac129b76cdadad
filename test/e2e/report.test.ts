// End-to-end: `aegis report` from the built binary (`npx tsc -p tsconfig.build.json` first) —
// exit codes, the parallel scan (worker threads) agreeing with the in-process one, and a report
// over the ledger a real `aegis run` wrote agreeing with that run's own GET /v1/report.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { BIN, REPO, driver, jsonLines, record, runAegis, TEST_PRICING } from "../helpers/run-aegis.js";
import { generateLedger } from "../../bench/gen-ledger.mjs";

const FIXTURES = join(REPO, "test", "fixtures", "report");
const dir = realpathSync(mkdtempSync(join(tmpdir(), "aegis-e2e-report-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function aegis(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [BIN, "report", ...args], { cwd: dir, reject: false, env: { NO_COLOR: "1", ...env } });
}

describe("aegis report (built binary)", () => {
  it("exit 0 with data: the attribution table on stdout", async () => {
    const r = await aegis([join(FIXTURES, "multi-agent.jsonl")]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, "expected", "multi-agent.txt"), "utf8").replace(/\n$/, ""));
  });

  it("exit 1 when the input holds no calls, 2 on usage errors and a missing file — never a stack trace", async () => {
    writeFileSync(join(dir, "empty.jsonl"), "");
    const none = await aegis([join(dir, "empty.jsonl")]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain("no calls in");
    const missing = await aegis([join(dir, "missing.jsonl")]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("ledger not found");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const badTz = await aegis([join(FIXTURES, "multi-agent.jsonl"), "--tz", "Nowhere/Land"]);
    expect(badTz.exitCode).toBe(2);
    const twoFormats = await aegis([join(FIXTURES, "multi-agent.jsonl"), "--json", "--csv"]);
    expect(twoFormats.exitCode).toBe(2);
    expect(twoFormats.stdout).toBe("");
  });

  it("the parallel scan on worker threads gives exactly the in-process result, duplicates across halves included", async () => {
    const file = join(dir, "gen.jsonl");
    await generateLedger({ lines: 20_000, out: file, sessions: 4 });
    // Append the first half again: every id of the copy was already counted in the first range.
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    writeFileSync(file, `${text}${lines.slice(0, 10_000).join("\n")}\n`);
    const serial = await aegis([file, "--json"], { AEGIS_REPORT_THREADS: "1" });
    const parallel = await aegis([file, "--json"], { AEGIS_REPORT_THREADS: "2", AEGIS_REPORT_PARALLEL_MIN_BYTES: "0" });
    expect(serial.exitCode).toBe(0);
    expect(parallel.exitCode).toBe(0);
    expect(JSON.parse(parallel.stdout)).toEqual(JSON.parse(serial.stdout));
    expect(parallel.stderr).toBe(serial.stderr);
    expect(serial.stderr).toMatch(/calls were already counted \(same id\)/);
  });

  it("over the ledger an `aegis run` wrote, the totals equal that run's GET /v1/report", async () => {
    const config = `${TEST_PRICING}cost: { per_call_limit_usd: 0.05, alert_threshold: 0.5, budget_usd: 1 }\nagents:\n  lead: {}\n  helper: { parent: lead, budget_usd: 0.5 }\nrun: { kill_on: never }\n`;
    const steps = [
      record({ model: "test-model", input_tokens: 1000, output_tokens: 500, agent_id: "lead" }),
      record({ model: "test-model", input_tokens: 2000, output_tokens: 100, cached_tokens: 300, agent_id: "helper" }),
      record({ model: "test-model", input_tokens: 9000, output_tokens: 0, agent_id: "helper" }), // blocked: per call
      record({ model: "test-model", input_tokens: 10, output_tokens: 10 }),
      { path: "/v1/report", method: "GET" },
    ];
    const run = await runAegis({ dir, config, agent: driver(dir, steps) });
    expect(run.code).toBe(0);
    const live = jsonLines<{ body: Record<string, unknown> }>(run.stdout)[4]?.body ?? {};
    const r = await aegis([run.ledgerPath, "--json"]);
    expect(r.exitCode).toBe(0);
    const fromLedger = JSON.parse(r.stdout);
    for (const key of ["session_id", "max_budget", "spent", "remaining", "utilization", "call_count", "by_model", "by_agent", "limits", "agents", "blocked_count", "warned_count", "tokens"]) {
      expect({ key, value: fromLedger[key] }).toEqual({ key, value: live[key] });
    }
  });

  it("--store shows the shared store's totals next to the ledger's (JSON and table); a missing store file is a usage error", async () => {
    const sub = realpathSync(mkdtempSync(join(dir, "store-")));
    const config = `${TEST_PRICING}store: budget.db\n`;
    const run = await runAegis({ dir: sub, config, agent: driver(sub, [record({ model: "test-model", input_tokens: 1000, output_tokens: 500 })]) });
    expect(run.code).toBe(0);
    const json = await aegis([run.ledgerPath, "--json", "--store", join(sub, "budget.db")]);
    expect(json.exitCode).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.store.all_time_usd).toBe(0.015);
    expect(report.store.today_usd).toBe(0.015);
    const table = await aegis([run.ledgerPath, "--store", join(sub, "budget.db")]);
    expect(table.stdout).toMatch(/Budget store .*budget\.db: today \(\d{4}-\d\d-\d\d UTC\) \$0\.0150, all time \$0\.0150/);
    const missing = await aegis([run.ledgerPath, "--store", join(sub, "nope.db")]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("--store: expected an existing budget store");
  });

  it("runs whose daily budgets reset in different zones share the store's total, not a day row; the summary and --store --tz name the zone", async () => {
    const store = join(realpathSync(mkdtempSync(join(dir, "zones-"))), "budget.db");
    const call = record({ model: "test-model", input_tokens: 1000, output_tokens: 500 }); // $0.015
    const runIn = (zone: string) => {
      const sub = realpathSync(mkdtempSync(join(dir, "zone-")));
      const config = `${TEST_PRICING}store: ${store}\ncost: { daily_budget_usd: 0.02, daily_reset_timezone: ${zone} }\n`;
      return runAegis({ dir: sub, config, agent: driver(sub, [call]) });
    };
    const utc = await runIn("UTC");
    const berlin = await runIn("Europe/Berlin");
    // $0.015 each fits each zone's $0.02 daily budget; one day row for both would refuse Berlin's call.
    for (const r of [utc, berlin]) {
      expect(r.code).toBe(0);
      expect(jsonLines<{ body: { action: string } }>(r.stdout)[0]?.body.action).toBe("allow");
    }
    expect(utc.stderr).toMatch(/budget store .*budget\.db: today \(\d{4}-\d\d-\d\d UTC\) \$0\.0150, all time \$0\.0150/);
    expect(berlin.stderr).toMatch(/budget store .*budget\.db: today \(\d{4}-\d\d-\d\d Europe\/Berlin\) \$0\.0150, all time \$0\.0300/);
    for (const [tz, zone] of [[[], "UTC"], [["--tz", "europe/berlin"], "Europe/Berlin"]] as const) {
      const r = await aegis([berlin.ledgerPath, "--json", "--store", store, ...tz]);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).store).toMatchObject({ zone, today_usd: 0.015, all_time_usd: 0.03 });
    }
    const table = await aegis([berlin.ledgerPath, "--store", store, "--tz", "Europe/Berlin"]);
    expect(table.stdout).toMatch(/Budget store .*budget\.db: today \(\d{4}-\d\d-\d\d Europe\/Berlin\) \$0\.0150, all time \$0\.0300/);
  });
});
