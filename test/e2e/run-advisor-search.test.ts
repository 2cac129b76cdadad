// End to end through the built `aegis run`: advisor iterations (sub_inferences) and web searches on
// config-priced models, reported through the metering API by plain HTTP and by the in-process
// Anthropic integration; the ledger lines are checked whole.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { DecisionLine } from "../../src/ledger/entry.js";
import { AGENTS, driver, jsonLines, record, runAegis, scratch } from "../helpers/run-aegis.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

// my-searcher: $1 / $2 per million tokens, $25 per 1,000 searches. my-router-model: no search rate.
const CONFIG = [
  "pricing:",
  "  my-searcher: { input: 1, output: 2, web_search_per_1k: 25 }",
  "  my-router-model: { input: 1, output: 2 }",
  "agents:",
  "  planner: {}",
  "",
].join("\n");

interface Answer {
  i: number;
  status: number;
  body: { action?: string; dimension?: string; reason?: string; cost_usd?: number; error?: { message: string } };
}

// A decision line without its per-run fields (time, session, id).
function stable(line: DecisionLine): Omit<DecisionLine, "ts" | "session_id" | "id"> {
  const { ts: _ts, session_id: _session, id: _id, ...rest } = line;
  return rest;
}

const decisions = (ledger: { type: string }[]): DecisionLine[] => ledger.filter((l): l is DecisionLine => l.type === "decision");
const NO_TOKENS = { input: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 0, reasoning: 0 };
const SEARCH_FIX = /^Web searches on "my-router-model" have no price: its pricing entry has no web_search_per_1k, so the call is blocked rather than billing its searches as zero\.\nSet pricing\.my-router-model\.web_search_per_1k in aegis\.yaml \(USD per 1,000 searches\), or provider: anthropic/;

describe("aegis run: advisor iterations and web searches through the metering API", () => {
  it("records sub_inferences at the advisor's rates and searches at the entry's rate; refuses searches with no rate and bad sub_inferences", async () => {
    const advised = {
      model: "claude-sonnet-4-6",
      input_tokens: 1000,
      output_tokens: 100,
      sub_inferences: [{ model: "claude-opus-4-6", input_tokens: 12_000, cached_tokens: 4_000, cache_write_1h_tokens: 2_000, output_tokens: 1_500 }],
    };
    const result = await runAegis({
      dir,
      config: CONFIG,
      agent: driver(dir, [
        record(advised),
        record({ model: "my-searcher", input_tokens: 1000, output_tokens: 200, web_search_requests: 2 }),
        record({ model: "my-router-model", input_tokens: 1000, output_tokens: 200, web_search_requests: 2 }),
        record({ ...advised, sub_inferences: [advised.sub_inferences[0], { input_tokens: 1, output_tokens: 1 }] }),
        record({ model: "claude-sonnet-4-6", input_tokens: 10, output_tokens: 10, sub_inferences: [{ model: "claude-advisor-x", input_tokens: 1, output_tokens: 1 }] }, "/v1/check"),
      ]),
    });
    expect(result.code).toBe(0);
    const answers = jsonLines<Answer>(result.stdout);
    // Sonnet 4.6 1000 × $3 + 100 × $15 = $0.0045; Opus 4.6 6,000 fresh × $5 + 4,000 reads × $0.50 + 2,000 1-hour writes × $10 + 1,500 × $25 = $0.0895 (per million).
    expect(answers[0]).toMatchObject({ status: 200, body: { action: "allow", cost_usd: 0.094 } });
    // 1000 × $1 + 200 × $2 per million = $0.0014, plus 2 searches × $0.025.
    expect(answers[1]).toMatchObject({ status: 200, body: { action: "allow", cost_usd: 0.0514 } });
    expect(answers[2]).toMatchObject({ status: 200, body: { action: "block", dimension: "unknown_model", cost_usd: 0 } });
    expect(answers[2]?.body.reason).toMatch(SEARCH_FIX);
    expect(answers[3]).toMatchObject({ status: 400, body: { error: { message: 'sub_inferences[1].model: expected a model id string ("" when the provider did not name it), received nothing (the field is required)' } } });
    expect(answers[4]).toMatchObject({ status: 200, body: { action: "block", dimension: "unknown_model" } });
    expect(answers[4]?.body.reason).toMatch(/^This claude-sonnet-4-6 call ran a sub-inference \(an advisor\) on another model\. Unknown model "claude-advisor-x"/);

    const lines = decisions(result.ledger);
    expect(lines).toHaveLength(3); // the 400 and the check leave no line
    expect(stable(lines[0] as DecisionLine)).toEqual({
      v: 1,
      type: "decision",
      agent: "planner",
      model: "claude-sonnet-4-6",
      priced_as: "claude-sonnet-4.6",
      provider: "anthropic",
      source: "api",
      action: "allow",
      dimension: "",
      reason: "",
      tokens: { ...NO_TOKENS, input: 1000, output: 100 },
      cost_usd: 0.094,
      cost_nanos: 94_000_000,
      cumulative_usd: 0.094,
      sub_inferences: [
        { model: "claude-opus-4-6", priced_as: "claude-opus-4.6", tokens: { ...NO_TOKENS, input: 6_000, cache_read: 4_000, cache_write_1h: 2_000, output: 1_500 }, cost_nanos: 89_500_000 },
      ],
    });
    expect(stable(lines[1] as DecisionLine)).toEqual({
      v: 1,
      type: "decision",
      agent: "planner",
      model: "my-searcher",
      priced_as: "my-searcher",
      provider: "other",
      source: "api",
      action: "allow",
      dimension: "",
      reason: "",
      tokens: { ...NO_TOKENS, input: 1000, output: 200, web_search_requests: 2 },
      cost_usd: 0.0514,
      cost_nanos: 51_400_000,
      cumulative_usd: 0.1454,
    });
    const blocked = stable(lines[2] as DecisionLine);
    expect(blocked).toEqual({
      v: 1,
      type: "decision",
      agent: "planner",
      model: "my-router-model",
      priced_as: "my-router-model",
      provider: "other",
      source: "api",
      action: "block",
      dimension: "unknown_model",
      reason: expect.stringMatching(SEARCH_FIX) as unknown,
      tokens: { ...NO_TOKENS, input: 1000, output: 200, web_search_requests: 2 },
      cost_usd: 0,
      cost_nanos: 0,
      cumulative_usd: 0.1454,
    });
    expect(result.ledger.find((l) => l.type === "session_end")).toMatchObject({ totals: { spent_nanos: 145_400_000, calls: 2, blocked: 1 } });
  });

  it("the Anthropic integration under aegis run reports an advisor iteration and web searches (remote tracker)", async () => {
    const result = await runAegis({ dir, config: CONFIG, agent: [process.execPath, join(AGENTS, "advisor-agent.mjs")] });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    // Sonnet 4.6 $0.0045 + Opus 4.6: 10,000 × $5 + 2,000 1-hour writes × $10 + 1,000 × $25 per million = $0.095.
    expect(jsonLines(result.stdout)).toEqual([
      { model: "claude-sonnet-4-6", action: "allow", cost_usd: 0.0995 },
      { model: "my-searcher", action: "allow", cost_usd: 0.0514 },
      { model: "my-router-model", action: "block", dimension: "unknown_model", reason: expect.stringMatching(SEARCH_FIX) as unknown },
    ]);
    const lines = decisions(result.ledger);
    expect(lines.map((l) => [l.source, l.agent, l.action, l.cost_nanos])).toEqual([
      ["client", "planner", "allow", 99_500_000],
      ["client", "planner", "allow", 51_400_000],
      ["client", "planner", "block", 0],
    ]);
    expect(lines[0]?.tokens).toEqual({ ...NO_TOKENS, input: 1000, output: 100 });
    expect(lines[0]?.sub_inferences).toEqual([
      { model: "claude-opus-4-6", priced_as: "claude-opus-4.6", tokens: { ...NO_TOKENS, input: 10_000, cache_write_1h: 2_000, output: 1_000 }, cost_nanos: 95_000_000 },
    ]);
    expect(lines[1]?.tokens).toEqual({ ...NO_TOKENS, input: 1000, output: 200, web_search_requests: 2 });
  });
});
