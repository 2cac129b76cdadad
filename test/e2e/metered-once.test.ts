// A call made through the aegis proxy by an agent that also meters it with an in-process
// integration is charged once: the proxy settles it (attributed to the integration's agent
// through its pre-flight hint or headers), the integration's record is answered as a duplicate and
// adds no spend. Records of calls that did not go through the proxy are still charged.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DecisionLine, DuplicateLine, SessionEndLine } from "../../src/ledger/entry.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream.js";
import { AGENTS, REPO, driver, jsonLines, record, runAegis, scratch, type RunResult } from "../helpers/run-aegis.js";

let fake: FakeUpstream;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  ({ dir, cleanup } = scratch());
  fake.reset({ usage: { input: 1000, output: 500 } });
});
afterEach(() => cleanup());

const CONFIG = `proxy:
  openai: { upstream: "${"URL"}/v1" }
  anthropic: { upstream: "${"URL"}" }
  gemini: { upstream: "${"URL"}" }
agents:
  orchestrator: { budget_usd: 10 }
  researcher: { parent: orchestrator, budget_usd: 2 }
  writer: { parent: orchestrator }
  lead: { parent: orchestrator }
  critic: { parent: lead }
`;
const config = (): string => CONFIG.replaceAll("URL", fake.url);
const ENV = { OPENAI_API_KEY: "sk-test", ANTHROPIC_API_KEY: "sk-ant-test", GEMINI_API_KEY: "gm-test" };

const decisions = (r: RunResult): DecisionLine[] => r.ledger.filter((l): l is DecisionLine => l.type === "decision");
const duplicates = (r: RunResult): DuplicateLine[] => r.ledger.filter((l): l is DuplicateLine => l.type === "duplicate");
const end = (r: RunResult): SessionEndLine | undefined => r.ledger.find((l): l is SessionEndLine => l.type === "session_end");
const nanos = (r: RunResult): number => decisions(r).reduce((sum, d) => sum + (d.action === "block" ? 0 : d.cost_nanos), 0);

async function run(steps: string[]): Promise<RunResult> {
  const r = await runAegis({ dir, config: config(), agent: [process.execPath, join(AGENTS, "metered-twice-agent.mjs"), ...steps], env: { ...ENV, UPSTREAM_URL: fake.url } });
  expect(r.stderr).not.toMatch(/Error|internal error/);
  expect(r.code).toBe(0);
  return r;
}

describe("a call metered by the proxy and by an integration is charged once", () => {
  it("the LangChain example under aegis run: one charge per call, the sub-agent's call charged to it", async () => {
    const r = await runAegis({ dir, config: config(), agent: [process.execPath, join(REPO, "examples", "integrations", "langchain.mjs")], env: ENV });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(fake.hits).toBe(2);
    // gpt-4o: 1000 input at $2.50/M + 500 output at $10/M = $0.0075 per call.
    expect(r.stdout).toBe('spent $0.015 in 2 calls; by agent {"orchestrator":0.0075,"researcher":0.0075}\n');
    expect(decisions(r).map((d) => [d.source, d.agent, d.cost_nanos])).toEqual([
      ["proxy", "orchestrator", 7_500_000],
      ["proxy", "researcher", 7_500_000],
    ]);
    expect(duplicates(r).map((d) => [d.duplicate_of, d.agent, d.charged_agent])).toEqual(decisions(r).map((d) => [d.id, d.agent, d.agent]));
    expect(nanos(r)).toBe(15_000_000);
    expect(end(r)?.totals).toMatchObject({ spent_nanos: 15_000_000, calls: 2 });
  });

  it("OpenAI, Anthropic and Google extractors: the proxy's call, attributed by the hint; the record is a duplicate", async () => {
    const r = await run(["openai", "anthropic", "google"]);
    const lines = jsonLines<{ step: string; action?: string; cost_usd?: number; duplicate_of?: string; spent?: number; by_agent?: Record<string, number> }>(r.stdout);
    const ds = decisions(r);
    expect(ds.map((d) => [d.source, d.agent, d.model])).toEqual([
      ["proxy", "researcher", "gpt-4o"],
      ["proxy", "researcher", "gpt-4o"],
      ["proxy", "writer", "claude-sonnet-4-20250514"],
      ["proxy", "researcher", "gemini-2.5-flash"],
    ]);
    // Every record answered allow, naming the proxy's call, with that call's cost.
    expect(lines.filter((l) => l.step !== "report").map((l) => [l.step, l.action, l.duplicate_of, l.cost_usd])).toEqual(
      ["openai", "openai-stream", "anthropic", "google"].map((step, i) => [step, "allow", ds[i]?.id, ds[i]?.cost_usd]),
    );
    expect(duplicates(r)).toHaveLength(4);
    expect(end(r)?.totals).toMatchObject({ spent_nanos: nanos(r), calls: 4 });
    expect(lines.at(-1)?.spent).toBe(Number((nanos(r) / 1e9).toFixed(9)));
  });

  it("a call whose SDK went straight to the provider is still charged from the integration's record", async () => {
    const r = await run(["direct"]);
    expect(decisions(r).map((d) => [d.source, d.agent, d.cost_nanos])).toEqual([["client", "researcher", 7_500_000]]);
    expect(duplicates(r)).toEqual([]);
    expect(jsonLines<{ step: string; duplicate_of?: string }>(r.stdout)[0]).toEqual({ step: "direct", action: "allow", cost_usd: 0.0075 });
  });

  it("two different calls with identical usage are both charged when their fingerprints differ", async () => {
    const r = await run(["same-usage"]);
    expect(decisions(r).map((d) => [d.source, d.agent, d.cost_nanos])).toEqual([
      ["proxy", "orchestrator", 7_500_000],
      ["client", "researcher", 7_500_000],
    ]);
    expect(duplicates(r)).toEqual([]);
    expect(end(r)?.totals).toMatchObject({ spent_nanos: 15_000_000, calls: 2 });
  });

  it("the AI SDK middleware: its headers charge each call to its agent at the proxy, its records are duplicates", async () => {
    const r = await run(["ai-sdk"]);
    expect(decisions(r).map((d) => [d.source, d.agent, d.cost_nanos])).toEqual([
      ["proxy", "lead", 7_500_000],
      ["proxy", "critic", 7_500_000],
    ]);
    expect(duplicates(r).map((d) => [d.duplicate_of, d.agent])).toEqual(decisions(r).map((d) => [d.id, d.agent]));
    // aegis's own headers never reach the provider.
    for (const req of fake.requests) expect(Object.keys(req.headers).filter((h) => h.startsWith("x-aegis"))).toEqual([]);
    expect(end(r)?.totals).toMatchObject({ spent_nanos: 15_000_000, calls: 2 });
  });
});

describe("cache_write_1h_tokens through the metering API", () => {
  it("prices 1-hour cache writes at the 1-hour rate and validates the field", async () => {
    const usage = { model: "claude-sonnet-4", input_tokens: 110_000, output_tokens: 0 };
    const r = await runAegis({
      dir,
      agent: driver(dir, [
        record({ ...usage, cache_write_1h_tokens: 100_000 }),
        record({ ...usage, cache_write_tokens: 100_000 }),
        record({ ...usage, cache_write_tokens: 20_000, cache_write_1h_tokens: 100_000 }),
        record({ ...usage, cache_write_1h_tokens: "many" }),
      ]),
    });
    expect(r.code).toBe(0);
    const answers = jsonLines<{ status: number; body: { cost_usd?: number; error?: { message: string } } }>(r.stdout);
    // Sonnet 4: $3/M input, 1-hour writes $6/M, 5-minute writes $3.75/M.
    expect(answers[0]).toMatchObject({ status: 200, body: { cost_usd: 0.63 } });
    expect(answers[1]).toMatchObject({ status: 200, body: { cost_usd: 0.405 } });
    expect(answers[2]?.status).toBe(400);
    expect(answers[2]?.body.error?.message).toMatch(/^cache_write_1h_tokens: .*cannot exceed input_tokens \(110000\)/);
    expect(answers[3]?.status).toBe(400);
    expect(answers[3]?.body.error?.message).toMatch(/^cache_write_1h_tokens: expected a non-negative integer, received "many"/);
    expect(decisions(r).map((d) => d.tokens.cache_write_1h)).toEqual([100_000, 0]);
  });
});

describe("web_search_requests through the metering API", () => {
  it("bills $10 per 1,000 searches on an Anthropic model, writes them to the ledger line, and validates the field", async () => {
    const usage = { model: "claude-sonnet-4", input_tokens: 1000, output_tokens: 200 };
    const r = await runAegis({
      dir,
      agent: driver(dir, [
        record({ ...usage, web_search_requests: 3 }),
        record({ ...usage, web_search_requests: 3 }, "/v1/check"),
        record(usage),
        record({ ...usage, web_search_requests: -2 }),
      ]),
    });
    expect(r.code).toBe(0);
    const answers = jsonLines<{ status: number; body: { cost_usd?: number; error?: { message: string } } }>(r.stdout);
    // Sonnet 4: 1000 × $3/M + 200 × $15/M = $0.006, plus 3 searches × $0.01 = $0.036.
    expect(answers[0]).toMatchObject({ status: 200, body: { cost_usd: 0.036 } });
    expect(answers[1]).toMatchObject({ status: 200, body: { cost_usd: 0.036 } });
    expect(answers[2]).toMatchObject({ status: 200, body: { cost_usd: 0.006 } });
    expect(answers[3]?.status).toBe(400);
    expect(answers[3]?.body.error?.message).toBe("web_search_requests: expected a non-negative integer, received -2 (number)");
    expect(decisions(r).map((d) => [d.tokens.web_search_requests, d.cost_nanos])).toEqual([
      [3, 36_000_000],
      [undefined, 6_000_000],
    ]);
  });
});
