// The OpenAI, Anthropic and Google extractors with the real SDKs against the fake upstream: the
// recorded usage and cost equal the fake's fixed counts (plain, cached, reasoning, streamed), and a
// pre-flight block stops the call before the upstream sees it.
import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import type { Usage } from "../core/usage.js";
import { AegisBlockedError, type Tracker } from "./tracker.js";
import { localTracker, useFakeLlm } from "./testing.js";
import { openaiMeter } from "./openai.js";
import { anthropicMeter } from "./anthropic.js";
import { googleMeter } from "./google.js";
import { UsageMissingError } from "./preflight.js";
import { requestFingerprint } from "../proxy/fingerprint.js";

const fakeLlm = useFakeLlm();
const local = localTracker;
const tokens = async (t: Tracker) => (await t.report()).tokens;

describe("OpenAI extractor", () => {
  const client = (): OpenAI => new OpenAI({ apiKey: "test", baseURL: `${fakeLlm().url}/v1`, maxRetries: 0 });

  it("records a plain chat completion: 1200 in + 300 out of gpt-4o = $0.006", async () => {
    const tracker = local();
    const meter = openaiMeter(tracker, { agentId: "main" });
    const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Say hello" }] };
    await meter.check(params);
    const completion = await client().chat.completions.create(params);
    const decision = await meter.record(completion, params);
    expect(decision.cost_usd).toBe(0.006);
    expect(await tokens(tracker)).toEqual({ input: 1200, cache_read: 0, cache_write: 0, output: 300, reasoning: 0 });
    expect((await tracker.report()).by_model).toEqual({ "gpt-4o-2024-08-06": 0.006 });
  });

  it("reads cached_tokens and cache_write_tokens from prompt_tokens_details (not the field OpenAI never sends)", async () => {
    const tracker = local();
    const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "#cached long shared prefix" }] };
    const decision = await openaiMeter(tracker).record(await client().chat.completions.create(params), params);
    // 300 fresh × 2.5 + 1500 cached × 1.25 + 200 writes × 2.5 (no write rate: input rate) + 100 × 10, per million.
    expect(decision.cost_usd).toBe(0.004125);
    expect(await tokens(tracker)).toEqual({ input: 300, cache_read: 1500, cache_write: 200, output: 100, reasoning: 0 });
  });

  it("keeps reasoning_tokens inside the billed output", async () => {
    const tracker = local();
    const params = { model: "o4-mini", messages: [{ role: "user" as const, content: "#reasoning think hard" }] };
    const decision = await openaiMeter(tracker).record(await client().chat.completions.create(params), params);
    expect(decision.cost_usd).toBe(0.00451); // 500 × 1.1 + 900 × 4.4
    expect(await tokens(tracker)).toEqual({ input: 500, cache_read: 0, cache_write: 0, output: 900, reasoning: 700 });
  });

  it("records a Responses API response from input_tokens_details and output_tokens_details", async () => {
    const tracker = local();
    const params = { model: "gpt-4o", input: "#cached Summarise the report" };
    const response = await client().responses.create(params);
    const decision = await openaiMeter(tracker).record(response, params);
    expect(decision.cost_usd).toBe(0.004125);
    expect(await tokens(tracker)).toEqual({ input: 300, cache_read: 1500, cache_write: 200, output: 100, reasoning: 0 });
  });

  it("records a streamed chat from its final usage chunk", async () => {
    const tracker = local();
    const params = { model: "o4-mini", messages: [{ role: "user" as const, content: "#reasoning stream" }], stream: true as const, stream_options: { include_usage: true } };
    const chunks = [];
    for await (const chunk of await client().chat.completions.create(params)) chunks.push(chunk);
    const decision = await openaiMeter(tracker).recordStream(chunks, params);
    expect(decision.cost_usd).toBe(0.00451);
    expect(await tokens(tracker)).toMatchObject({ input: 500, output: 900, reasoning: 700 });
  });

  it("says the stream carried no usage because include_usage was not requested", async () => {
    const tracker = local();
    const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "no usage" }], stream: true as const };
    const chunks = [];
    for await (const chunk of await client().chat.completions.create(params)) chunks.push(chunk);
    const recording = openaiMeter(tracker).recordStream(chunks, params);
    await expect(recording).rejects.toBeInstanceOf(UsageMissingError);
    await expect(recording).rejects.toThrow(/include_usage was not requested.*stream_options: \{ include_usage: true \}/);
  });

  it("blocks before the call: the upstream never sees it", async () => {
    const tracker = local({ config: { cost: { per_call_limit_usd: 0.01 } } });
    const meter = openaiMeter(tracker);
    // A 2,000-token output cap of gpt-4o can cost $0.02: over the per-call limit.
    const params = { model: "gpt-4o", max_tokens: 2000, messages: [{ role: "user" as const, content: "Write an essay" }] };
    const before = fakeLlm().total();
    const call = async () => {
      await meter.check(params);
      return client().chat.completions.create(params);
    };
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AegisBlockedError);
    expect((error as AegisBlockedError).dimension).toBe("per_call");
    expect(fakeLlm().total()).toBe(before);
  });

  it("loop detection: five different prompts pass, the fifth identical one is blocked before the call", async () => {
    const tracker = local();
    const meter = openaiMeter(tracker);
    const ask = async (content: string) => {
      const params = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content }] };
      await meter.check(params);
      return meter.record(await client().chat.completions.create(params), params);
    };
    for (let i = 0; i < 5; i++) await ask(`question ${i}`);
    const before = fakeLlm().hits["openai.chat"] ?? 0;
    for (let i = 0; i < 4; i++) await ask("same question");
    const fifth = await ask("same question").catch((e: unknown) => e);
    expect(fifth).toBeInstanceOf(AegisBlockedError);
    expect((fifth as AegisBlockedError).dimension).toBe("loop");
    expect(fakeLlm().hits["openai.chat"]).toBe(before + 4);
    expect((await tracker.report()).call_count).toBe(9);
  });
});

describe("Anthropic extractor", () => {
  const client = (): Anthropic => new Anthropic({ apiKey: "test", baseURL: fakeLlm().url, maxRetries: 0 });
  const params = (content: string, max_tokens = 1024) => ({ model: "claude-sonnet-4-20250514", max_tokens, messages: [{ role: "user" as const, content }] });

  it("records a plain message: 1000 in + 250 out = $0.00675", async () => {
    const tracker = local();
    const p = params("hello");
    const decision = await anthropicMeter(tracker).record(await client().messages.create(p), p);
    expect(decision.cost_usd).toBe(0.00675);
    expect(await tokens(tracker)).toEqual({ input: 1000, cache_read: 0, cache_write: 0, output: 250, reasoning: 0 });
  });

  it("bills cache reads and both kinds of cache write apart; input_tokens excludes the cache", async () => {
    const tracker = local();
    const p = params("#cached");
    const decision = await anthropicMeter(tracker).record(await client().messages.create(p), p);
    // 100 × 3 + 3000 × 0.3 + 800 × 3.75 (5m) + 400 × 6 (1h) + 150 × 15, per million.
    expect(decision.cost_usd).toBe(0.00885);
    expect(await tokens(tracker)).toEqual({ input: 100, cache_read: 3000, cache_write: 1200, output: 150, reasoning: 0 });
  });

  it("records a stream's final message (cumulative message_delta usage, thinking inside output)", async () => {
    const tracker = local();
    const p = params("#reasoning");
    const final = await client().messages.stream(p).finalMessage();
    const decision = await anthropicMeter(tracker).record(final, p);
    expect(decision.cost_usd).toBe(0.0162); // 400 × 3 + 1000 × 15
    expect(await tokens(tracker)).toEqual({ input: 400, cache_read: 0, cache_write: 0, output: 1000, reasoning: 600 });
  });

  it("records advisor iterations as sub-inferences at the advisor's rates (the proxy adapter's converter)", async () => {
    // A Message whose usage.iterations holds the executor's turn and one advisor_message on Opus 4.6.
    const message = {
      model: "claude-sonnet-4-6",
      usage: {
        input_tokens: 1000,
        output_tokens: 100,
        iterations: [
          { type: "message", input_tokens: 1000, output_tokens: 100 },
          { type: "advisor_message", model: "claude-opus-4-6", input_tokens: 10_000, output_tokens: 1_000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
        ],
      },
    };
    let seen: Usage | undefined;
    const capture: Tracker = { ...local(), record: async (usage) => ((seen = usage), { action: "allow", reason: "", dimension: "", cost_usd: 0, cumulative_usd: 0, fatal: false, alerts: [] }) };
    await anthropicMeter(capture).record(message);
    expect(seen?.subInferences).toEqual([{ model: "claude-opus-4-6", inputTokens: 10_000, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 1_000, reasoningTokens: 0 }]);
    // Executor Sonnet 4.6: 1000 × $3/M + 100 × $15/M = $0.0045; advisor Opus 4.6: 10,000 × $5/M + 1,000 × $25/M = $0.075.
    expect((await anthropicMeter(local()).record(message)).cost_usd).toBe(0.0795);
  });

  it("counts the web search tool's max_uses in the pre-flight check: a model with no search rate is refused before the call", async () => {
    const tracker = local({ config: { pricing: { "my-router-model": { input: 3, output: 15 } } } });
    const search = [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }];
    const p = { model: "my-router-model", max_tokens: 100, messages: [{ role: "user" as const, content: "search" }] };
    await expect(anthropicMeter(tracker).check({ ...p, tools: search })).rejects.toMatchObject({
      name: "AegisBlockedError",
      dimension: "unknown_model",
      reason: expect.stringContaining("pricing.my-router-model.web_search_per_1k") as unknown,
    });
    expect((await anthropicMeter(tracker).check(p)).action).toBe("allow");
    // On a model with a search rate the searches join the estimate: 3 × $0.01 on top of the tokens.
    const sonnet = { ...p, model: "claude-sonnet-4" };
    const plain = await anthropicMeter(tracker).check(sonnet);
    expect((await anthropicMeter(tracker).check({ ...sonnet, tools: search })).cost_usd).toBeCloseTo(plain.cost_usd + 0.03, 9);
  });

  it("blocks before the call once the session limit is spent", async () => {
    const tracker = local({ config: { cost: { per_session_limit_usd: 0.007 } } });
    const meter = anthropicMeter(tracker);
    const first = params("first", 100);
    await meter.check(first);
    await meter.record(await client().messages.create(first), first);
    const before = fakeLlm().total();
    // $0.00675 spent; a 1,024-token output cap can cost $0.01536 more.
    await expect(meter.check(params("second"))).rejects.toMatchObject({ name: "AegisBlockedError", dimension: "per_session" });
    expect(fakeLlm().total()).toBe(before);
  });
});

describe("Google Gen AI extractor", () => {
  const client = (): GoogleGenAI => new GoogleGenAI({ apiKey: "test", httpOptions: { baseUrl: fakeLlm().url } });

  it("takes the model from modelVersion and bills a plain call: 800 in + 200 out = $0.00074", async () => {
    const tracker = local();
    // The request names an alias aegis cannot price; the response names the served version.
    const p = { model: "gemini-flash-latest", contents: "hello" };
    const decision = await googleMeter(tracker).record(await client().models.generateContent(p), p);
    expect(decision.cost_usd).toBe(0.00074);
    expect(Object.keys((await tracker.report()).by_model)).toEqual(["gemini-2.5-flash-001"]);
  });

  it("counts cached content inside the prompt", async () => {
    const tracker = local();
    const p = { model: "gemini-2.5-flash", contents: "#cached" };
    const decision = await googleMeter(tracker).record(await client().models.generateContent(p), p);
    expect(decision.cost_usd).toBe(0.00067); // 1000 × 0.3 + 4000 × 0.03 + 100 × 2.5
    expect(await tokens(tracker)).toEqual({ input: 1000, cache_read: 4000, cache_write: 0, output: 100, reasoning: 0 });
  });

  it("bills thinking tokens as output, from a streamed call's last usageMetadata", async () => {
    const tracker = local();
    const p = { model: "gemini-2.5-flash", contents: "#reasoning" };
    const chunks = [];
    for await (const chunk of await client().models.generateContentStream(p)) chunks.push(chunk);
    expect(chunks.length).toBe(2);
    const decision = await googleMeter(tracker).recordStream(chunks, p);
    expect(decision.cost_usd).toBe(0.00209); // 300 × 0.3 + (150 + 650) × 2.5
    expect(await tokens(tracker)).toEqual({ input: 300, cache_read: 0, cache_write: 0, output: 800, reasoning: 650 });
  });

  it("blocks an unpriceable model before the call", async () => {
    const tracker = local();
    const before = fakeLlm().total();
    await expect(googleMeter(tracker).check({ model: "gemini-flash-latest", contents: "hi" })).rejects.toMatchObject({ dimension: "unknown_model" });
    expect(fakeLlm().total()).toBe(before);
  });
});

describe("extractor fingerprints equal the proxy's fingerprint of the wire body", () => {
  const seen: (string | undefined)[] = [];
  const decision = { action: "allow" as const, reason: "", dimension: "", cost_usd: 0, cumulative_usd: 0, fatal: false, alerts: [] };
  const spy: Tracker = { mode: "remote", check: async (_u, o) => (seen.push(o?.fingerprint), decision), record: async () => decision, report: () => Promise.reject(new Error("unused")) };

  it("Google: every ContentListUnion form the SDK accepts, as the SDK rewrites it", async () => {
    const meter = googleMeter(spy);
    const wire = [{ parts: [{ text: "One sentence." }], role: "user" }, [{ parts: [{ text: "Summarise." }], role: "user" }]];
    const expected = requestFingerprint("gemini", "gemini-2.5-flash", wire);
    seen.length = 0;
    for (const contents of ["Summarise.", { text: "Summarise." }, ["Summarise."], [{ text: "Summarise." }], { role: "user", parts: [{ text: "Summarise." }] }, [{ role: "user", parts: [{ text: "Summarise." }] }]]) {
      await meter.check({ model: "models/gemini-2.5-flash", contents, config: { systemInstruction: "One sentence." } });
    }
    expect(seen).toEqual(Array(6).fill(expected));
  });

  it("OpenAI and Anthropic: the request's own fields, undefined ones dropped as JSON drops them", async () => {
    seen.length = 0;
    await openaiMeter(spy).check({ model: "gpt-4o", messages: [{ role: "user", content: "Hi.", name: undefined }] });
    await anthropicMeter(spy).check({ model: "claude-sonnet-4", system: "Terse.", messages: [{ role: "user", content: "Hi." }] });
    expect(seen).toEqual([
      requestFingerprint("openai", "gpt-4o", [{ role: "user", content: "Hi." }]),
      requestFingerprint("anthropic", "claude-sonnet-4", ["Terse.", [{ role: "user", content: "Hi." }]]),
    ]);
  });
});
