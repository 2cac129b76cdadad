// End-to-end: budgets shared through the store by concurrent and successive `aegis run`s of the
// built binary — the embedded SQLite store (the default) and Redis (a real redis-server on a free
// loopback port) — plus leases of a SIGKILLed run and stores that cannot be used.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DecisionLine, LedgerLine } from "../../src/ledger/entry.js";
import { TOTAL_KEY, dailyKey } from "../../src/core/policy/keys.js";
import { utcDayKey } from "../../src/core/policy/day-key.js";
import { createStore } from "../../src/store/open-store.js";
import type { PersistentStore } from "../../src/store/types.js";
import { AGENTS, jsonLines, readLedger, runAegis, scratch, TEST_PRICING, waitFor, type RunResult } from "../helpers/run-aegis.js";
import { freePort, redisUnavailableReason, startRedis, type TestRedis } from "../helpers/redis-server.js";
import { startFakeUpstream } from "../helpers/fake-upstream.js";
import { writeSchema1File } from "../helpers/sqlite-schema-1.js";

const redisSkip = redisUnavailableReason();
if (redisSkip !== undefined) console.warn(redisSkip);

interface Answer {
  i: number;
  via: "check" | "record";
  action: string;
  dimension: string;
  reason: string;
  cost_usd: number;
}

let dir: string;
let cleanup: () => void;
let redis: TestRedis | undefined;
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(async () => {
  await redis?.stop();
  redis = undefined;
  cleanup();
});

const HAMMER = join(AGENTS, "hammer.mjs");
const NANOS = 1e9;

// One kind of store: how aegis is pointed at it, and a handle on it for the test's own reads.
interface Kind {
  name: string;
  skip: string | undefined;
  setup(): Promise<{ options: string[]; open: () => PersistentStore }>;
}
const KINDS: Kind[] = [
  { name: "sqlite", skip: undefined, setup: () => Promise.resolve({ options: [], open: () => createStore(join(dir, ".aegis", "budget.db")) }) },
  {
    name: "redis",
    skip: redisSkip,
    async setup() {
      redis = await startRedis();
      const url = redis.url;
      return { options: ["--store", url], open: () => createStore(url) };
    },
  },
];

// Runs one hammering `aegis run` with its own ledger.
function hammer(n: string, options: string[], env: Record<string, string> = {}): Promise<RunResult & { answers: Answer[] }> {
  return runAegis({
    dir,
    agent: [process.execPath, HAMMER],
    ledgerFlag: false,
    options: ["--ledger", join(dir, `ledger-${n}.jsonl`), ...options],
    env,
    timeoutMs: 60_000,
  }).then((r) => {
    const ledgerPath = join(dir, `ledger-${n}.jsonl`);
    return { ...r, ledgerPath, ledger: readLedger(ledgerPath), answers: jsonLines<Answer>(r.stdout) };
  });
}

const decisions = (ledger: LedgerLine[]): DecisionLine[] => ledger.filter((l): l is DecisionLine => l.type === "decision");
const admittedNanos = (ledger: LedgerLine[]): number => decisions(ledger).filter((d) => d.action !== "block").reduce((s, d) => s + d.cost_nanos, 0);
const DAY_SUFFIX = String.raw`\(day \d{4}-\d{2}-\d{2} UTC, resets \d{4}-\d{2}-\d{2}T00:00Z\)`;

describe.each(KINDS)("shared budgets through the $name store", (kind) => {
  const it_ = kind.skip !== undefined ? it.skip : it;

  it_.each([2, 4])("%i concurrent aegis runs on one daily budget never admit more than it", async (n) => {
    const { options, open } = await kind.setup();
    writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { daily_budget_usd: 1.00, alert_threshold: 1.0 }\nrun: { kill_on: never }\n`);
    const barrier = join(dir, "barrier");
    mkdirSync(barrier);
    // Every agent waits at the barrier, so all of them hammer the budget at the same time.
    const runs = Array.from({ length: n }, (_, i) =>
      hammer(String(i), options, { HAMMER_BARRIER: barrier, ...(i % 2 === 1 ? { HAMMER_MODE: "check" } : {}) }),
    );
    expect(await waitFor(() => readdirSync(barrier).length === n, 30_000)).toBe(true);
    writeFileSync(join(barrier, "go"), "");
    const results = await Promise.all(runs);

    const ledgers = results.map((r) => r.ledger);
    const total = ledgers.reduce((s, l) => s + admittedNanos(l), 0);
    // $0.01 calls until blocked: exactly the budget is admitted, never a cent more.
    expect(total).toBe(1 * NANOS);
    // More than one run got calls in: the budget really was contended.
    expect(ledgers.filter((l) => admittedNanos(l) > 0).length).toBeGreaterThan(1);
    for (const r of results) {
      expect(r.code).toBe(0);
      const refused = r.answers.filter((a) => a.action === "block");
      expect(refused).toHaveLength(1);
      expect(refused[0]?.dimension).toBe("daily");
      expect(refused[0]?.reason).toMatch(new RegExp(`^Daily spend \\$1\\.0100 would exceed daily budget \\$1\\.0000 ${DAY_SUFFIX}$`));
      for (const d of decisions(r.ledger).filter((x) => x.action === "block")) expect(d.reason).toBe(refused[0]?.reason);
      expect(r.stderr).toMatch(/aegis: budget store .*: today \(\d{4}-\d{2}-\d{2} UTC\) \$1\.0000, all time \$1\.0000/);
    }
    // The store agrees, and holds no reservation once every run has ended.
    const store = open();
    const t = await store.read([TOTAL_KEY, dailyKey(utcDayKey(Date.now()))], Date.now());
    await store.close();
    expect([...t.values()]).toEqual([
      { spent: 1 * NANOS, reserved: 0 },
      { spent: 1 * NANOS, reserved: 0 },
    ]);
  });

  it_("restart: an earlier session's spend counts against budget_usd and daily_budget_usd", async () => {
    const { options } = await kind.setup();
    const config = (daily: number, budget: number) =>
      writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { daily_budget_usd: ${daily}, budget_usd: ${budget}, alert_threshold: 1.0 }\nrun: { kill_on: never }\n`);
    config(0.5, 0.6);
    const first = await hammer("a", options, { HAMMER_MAX: "30" });
    expect(first.answers.every((a) => a.action === "allow")).toBe(true);
    expect(first.stderr).toMatch(/today \(.* UTC\) \$0\.3000, all time \$0\.3000/);
    const second = await hammer("b", options);
    expect(second.answers.filter((a) => a.action !== "block")).toHaveLength(20);
    expect(second.answers.at(-1)?.reason).toMatch(new RegExp(`^Daily spend \\$0\\.5100 would exceed daily budget \\$0\\.5000 ${DAY_SUFFIX}$`));
    config(10, 0.6); // a bigger daily budget: now the total binds, counting both earlier sessions
    const third = await hammer("c", options);
    expect(third.answers.filter((a) => a.action !== "block")).toHaveLength(10);
    expect(third.answers.at(-1)).toMatchObject({ action: "block", dimension: "budget", reason: "Total spend $0.6100 would exceed budget $0.6000" });
    expect(third.stderr).toMatch(/today \(.* UTC\) \$0\.6000, all time \$0\.6000/);
  });

  it_("a SIGKILLed run leaves its reservation, which lapses after the lease", async () => {
    const { options, open } = await kind.setup();
    const fake = await startFakeUpstream({ latencyMs: 60_000 }); // the call is in flight when aegis dies
    try {
      writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { budget_usd: 0.015 }\nstore: { lease_seconds: 2 }\n`);
      if (kind.name === "redis") writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { budget_usd: 0.015 }\nstore: { url: "${redis?.url ?? ""}", lease_seconds: 2 }\n`);
      const agent = `await fetch(process.env.OPENAI_BASE_URL + "/chat/completions", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-test" }, body: JSON.stringify({ model: "test-model", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] }) });`;
      const store = open();
      const reservedNow = async () => (await store.read([TOTAL_KEY], Date.now())).get(TOTAL_KEY)?.reserved ?? 0;
      let pid = 0;
      const running = runAegis({
        dir,
        agent: [process.execPath, "--input-type=module", "-e", agent],
        options: kind.name === "redis" ? [] : options,
        env: { OPENAI_BASE_URL: `${fake.url}/v1` },
        timeoutMs: 30_000,
        onStart: (p) => (pid = p),
      });
      // The proxy reserves the worst case before it forwards: once the upstream has the call, it is held.
      expect(await waitFor(() => fake.hits > 0, 20_000)).toBe(true);
      expect(await reservedNow()).toBeGreaterThan(0);
      const killedAt = Date.now();
      process.kill(pid, "SIGKILL");
      const killed = await running;
      expect(killed.signal).toBe("SIGKILL");
      // The reservation outlives the run that held it…
      const held = await reservedNow();
      expect(held).toBeGreaterThan(0.01 * NANOS);
      // …until its lease lapses (read with the clock just past it: nothing is waited for here).
      expect((await store.read([TOTAL_KEY], killedAt + 2_100)).get(TOTAL_KEY)).toEqual({ spent: 0, reserved: 0 });
      await store.close();
    } finally {
      await fake.close();
    }
  });

  it_("a call in flight longer than the lease keeps its reservation: a second run cannot spend the same budget", async () => {
    const { open } = await kind.setup();
    // 1,000 output tokens: the call really costs about what it reserved ($0.0101 of $0.015).
    const fake = await startFakeUpstream({ latencyMs: 4000, usage: { input: 10, output: 1000 } });
    try {
      const url = kind.name === "redis" ? `url: "${redis?.url ?? ""}", ` : "";
      writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { budget_usd: 0.015 }\nstore: { ${url}lease_seconds: 1 }\nrun: { kill_on: never }\n`);
      const agent = `await fetch(process.env.OPENAI_BASE_URL + "/chat/completions", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-test" }, body: JSON.stringify({ model: "test-model", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] }) });`;
      const slow = runAegis({
        dir,
        agent: [process.execPath, "--input-type=module", "-e", agent],
        options: ["--ledger", join(dir, "ledger-slow.jsonl")],
        ledgerFlag: false,
        env: { OPENAI_BASE_URL: `${fake.url}/v1` },
        timeoutMs: 30_000,
      });
      expect(await waitFor(() => fake.hits > 0, 20_000)).toBe(true);
      const hitAt = Date.now();
      // The second run spends only once the slow call has outlived its first lease (1 s).
      const barrier = join(dir, "barrier");
      mkdirSync(barrier);
      const second = hammer("second", [], { HAMMER_BARRIER: barrier, HAMMER_MAX: "1" });
      expect(await waitFor(() => readdirSync(barrier).length === 1, 20_000)).toBe(true);
      await new Promise((r) => setTimeout(r, Math.max(0, hitAt + 1600 - Date.now())));
      writeFileSync(join(barrier, "go"), "");
      const b = await second;
      const a = await slow;
      const slowLedger = readLedger(join(dir, "ledger-slow.jsonl"));
      const [settled] = decisions(slowLedger);
      const [refused] = decisions(b.ledger);
      // The second run asked after the lease had passed and before the slow call was settled…
      expect(Date.parse(refused?.ts ?? "")).toBeGreaterThanOrEqual(hitAt + 1000);
      expect(Date.parse(refused?.ts ?? "")).toBeLessThan(Date.parse(settled?.ts ?? ""));
      // …and was refused: the renewed reservation still held the slow call's worst case.
      expect(b.answers).toHaveLength(1);
      expect(b.answers[0]).toMatchObject({ action: "block", dimension: "budget" });
      expect(b.answers[0]?.reason).toMatch(/^Total spend \$0\.02\d\d would exceed budget \$0\.0150$/);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(settled).toMatchObject({ action: "allow", cost_nanos: 0.0101 * NANOS });
      // The store holds the slow call's spend once, never more than the budget, and no reservation.
      const store = open();
      const t = await store.read([TOTAL_KEY], Date.now());
      await store.close();
      expect(t.get(TOTAL_KEY)).toEqual({ spent: 0.0101 * NANOS, reserved: 0 });
    } finally {
      await fake.close();
    }
  });

  it_("an unreachable or unusable store fails closed: calls refused with the reason, recorded, no stack trace", async () => {
    let options: string[];
    let where: RegExp;
    if (kind.name === "sqlite") {
      mkdirSync(join(dir, ".aegis"));
      writeFileSync(join(dir, ".aegis", "budget.db"), "not a database\n".repeat(500));
      options = [];
      where = /Budget store \.aegis\/budget\.db is not a usable SQLite database \(file is not a database\); move it aside or point store: at another file/;
    } else {
      const port = await freePort();
      options = ["--store", `redis://127.0.0.1:${port}/0`];
      where = new RegExp(`Budget store redis://127\\.0\\.0\\.1:${port}/0 is unreachable \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)`);
    }
    writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { daily_budget_usd: 1.00 }\n`);
    const r = await hammer("x", options, { HAMMER_MAX: "3" });
    expect(r.code).toBe(0); // a store outage denies calls; it does not stop the agent
    expect(r.answers).toHaveLength(1);
    expect(r.answers[0]).toMatchObject({ action: "block", dimension: "store" });
    expect(r.answers[0]?.reason).toMatch(where);
    expect(r.answers[0]?.reason).toMatch(/; call refused: it cannot be accounted for \(store\.fail_open: false\)$/);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toContain("aegis: calls are refused until the store answers");
    expect(r.stderr).toMatch(/aegis: budget store .*: totals unavailable/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(decisions(r.ledger).map((d) => [d.action, d.dimension])).toEqual([["block", "store"]]);
  });

  it_("store.fail_open admits calls loudly and keeps every record", async () => {
    let config: string;
    if (kind.name === "sqlite") {
      mkdirSync(join(dir, ".aegis"));
      writeFileSync(join(dir, ".aegis", "budget.db"), "not a database\n".repeat(500));
      config = "store: { fail_open: true }\n";
    } else {
      config = `store: { url: "redis://127.0.0.1:${await freePort()}/0", fail_open: true }\n`;
    }
    writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { daily_budget_usd: 1.00 }\n${config}`);
    const r = await hammer("x", [], { HAMMER_MAX: "3" });
    expect(r.code).toBe(0);
    expect(r.answers.map((a) => [a.action, a.dimension])).toEqual([["warn", "store"], ["warn", "store"], ["warn", "store"]]);
    expect(r.answers[0]?.reason).toMatch(/; call admitted without accounting \(store\.fail_open: true\)$/);
    expect(r.stderr).toContain("aegis: store.fail_open is true");
    expect(r.stderr.match(/call admitted without accounting/g)).toHaveLength(3);
    expect(r.stderr).toMatch(/aegis: 3 settlements \(\$0\.0300\) could not be written to budget store .*; they are recorded in this session's ledger/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Every admitted call is in the ledger with its cost, and a log line says what happened.
    expect(admittedNanos(r.ledger)).toBe(0.03 * NANOS);
    expect(r.ledger.filter((l) => l.type === "log")).toHaveLength(3);
  });
});

describe("a budget file of an earlier aegis (schema 1)", () => {
  it("is converted on first use: the spend it holds still counts against daily_budget_usd and budget_usd", async () => {
    mkdirSync(join(dir, ".aegis"), { recursive: true });
    writeSchema1File(join(dir, ".aegis", "budget.db"), {
      spend: [
        { table: "spend_total", name: "total", spent: 0.5 * NANOS },
        { table: "spend_daily", name: utcDayKey(Date.now()), spent: 0.45 * NANOS },
      ],
    });
    writeFileSync(join(dir, "aegis.yaml"), `${TEST_PRICING}cost: { daily_budget_usd: 0.5, budget_usd: 0.6, alert_threshold: 1.0 }\nrun: { kill_on: never }\n`);
    const run = await hammer("a", []);
    expect(run.answers.filter((a) => a.action !== "block")).toHaveLength(5);
    expect(run.answers.at(-1)?.reason).toMatch(new RegExp(`^Daily spend \\$0\\.5100 would exceed daily budget \\$0\\.5000 ${DAY_SUFFIX}$`));
    expect(run.stderr).toMatch(/today \(.* UTC\) \$0\.5000, all time \$0\.5500/);
    expect(run.stderr).not.toMatch(/budget store .* (failed|unavailable|newer)/i);
  });
});
