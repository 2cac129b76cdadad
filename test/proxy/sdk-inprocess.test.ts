// The proxy with the official SDKs, in process: text reaches the client, usage/cost/agent reach
// the ledger, blocks raise non-retried SDK errors, reservations hold under concurrency.
import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import type { ProxySession } from "../helpers/proxy-session.js";
import { useProxySuite } from "../helpers/proxy-suite.js";

const KEY = "sk-test-SECRET-0123456789abcdef";
const GKEY = "AIzaSyTEST-secret-key-0123456789";
const suite = useProxySuite();

const openai = (s: ProxySession, headers: Record<string, string> = {}) => new OpenAI({ apiKey: KEY, baseURL: s.server.proxyUrls.openai, defaultHeaders: headers });
const anthropic = (s: ProxySession) => new Anthropic({ apiKey: KEY, baseURL: s.server.proxyUrls.anthropic });
const gemini = (s: ProxySession) => new GoogleGenAI({ apiKey: GKEY, httpOptions: { baseUrl: s.server.proxyUrls.gemini } });

describe("OpenAI through the proxy", () => {
  it("chat completion: text to the client, usage, cost and agent to the ledger; x-aegis-agent not forwarded", async () => {
    suite.fake.reset({ usage: { input: 1000, cached: 200, output: 300, reasoning: 100 } });
    const s = await suite.open();
    const r = await openai(s, { "x-aegis-agent": "researcher" }).chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    expect(r.choices[0]?.message.content).toBe(suite.fake.settings.text);
    const [d] = s.decisions();
    expect(d).toMatchObject({ source: "proxy", agent: "researcher", model: "gpt-4o", priced_as: "gpt-4o", action: "allow", tokens: { input: 1000, cache_read: 200, output: 300, reasoning: 100 }, cost_nanos: 5_750_000 });
    expect(suite.fake.requests[0]?.headers["x-aegis-agent"]).toBeUndefined();
    expect(suite.fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("chat stream without include_usage: aegis asks for usage and hides the extra chunk", async () => {
    suite.fake.reset({ usage: { input: 40, output: 12 }, chunks: 4 });
    const s = await suite.open();
    const stream = await openai(s).chat.completions.create({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
    let text = "";
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      expect(c.choices.length).toBeGreaterThan(0);
      text += c.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(suite.fake.settings.text);
    expect(chunks).toBe(5); // 4 content chunks + the finish chunk, no usage-only chunk
    expect(suite.fake.requests[0]?.body?.stream_options).toEqual({ include_usage: true });
    expect(s.decisions()[0]).toMatchObject({ model: "gpt-4o-mini", tokens: { input: 40, output: 12 } });
  });

  it("chat stream that asked for usage gets the usage chunk", async () => {
    suite.fake.reset({ usage: { input: 40, output: 12 } });
    const s = await suite.open();
    const stream = await openai(s).chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
    let usage: unknown;
    for await (const c of stream) if (c.usage) usage = c.usage;
    expect(usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 12 });
    expect(s.decisions()[0]?.tokens.output).toBe(12);
  });

  it("responses (JSON and stream) and embeddings", async () => {
    suite.fake.reset({ usage: { input: 30, cached: 10, output: 20, reasoning: 5 } });
    const s = await suite.open();
    const client = openai(s);
    const r = await client.responses.create({ model: "o3", input: "hi" });
    expect(r.output_text).toBe(suite.fake.settings.text);
    const st = await client.responses.create({ model: "o3", input: "hi", stream: true });
    let text = "";
    for await (const e of st) if (e.type === "response.output_text.delta") text += e.delta;
    expect(text).toBe(suite.fake.settings.text);
    const emb = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    expect(emb.data).toHaveLength(2);
    const ds = s.decisions();
    expect(ds.map((d) => [d.model, d.tokens.input, d.tokens.cache_read, d.tokens.output, d.tokens.reasoning])).toEqual([
      ["o3", 30, 10, 20, 5],
      ["o3", 30, 10, 20, 5],
      ["text-embedding-3-small", 30, 0, 0, 0],
    ]);
  });

  it("a GET passes through unmetered; an unmeterable POST is refused without reaching upstream", async () => {
    suite.fake.reset();
    const s = await suite.open();
    const models = await openai(s).models.list();
    expect(models.data[0]?.id).toBe("gpt-4o");
    await expect(openai(s).images.generate({ model: "gpt-image-1", prompt: "x" })).rejects.toMatchObject({ status: 403 });
    expect(suite.fake.hits).toBe(0);
    expect(s.decisions()).toHaveLength(0);
  });

  it("a blocked call raises an SDK error with the aegis message and is not retried", async () => {
    suite.fake.reset();
    const s = await suite.open({ perCallUsd: 0.0001 });
    const err = await openai(s).chat.completions.create({ model: "gpt-4o", max_tokens: 100_000, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((err as Error).message).toContain("aegis blocked this call: Call cost");
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe("aegis_budget_exceeded");
    expect(suite.fake.hits).toBe(0);
    expect(s.decisions()[0]).toMatchObject({ action: "block", dimension: "per_call" });
  });

  it("upstream errors pass through faithfully and release the reservation", async () => {
    suite.fake.reset({ error: { status: 400, body: { error: { message: "bad thing", type: "invalid_request_error", param: "messages", code: null } } } });
    const s = await suite.open({ budgetUsd: 1 });
    // Each call's worst case is ~$0.90 (90,000 output tokens of gpt-5): a leaked reservation would block the second.
    const call = () => openai(s).chat.completions.create({ model: "gpt-5", max_completion_tokens: 90_000, messages: [{ role: "user", content: "hi" }] });
    const err = await call().catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((err as Error).message).toContain("bad thing");
    expect(s.decisions()).toHaveLength(0);
    suite.fake.reset();
    await expect(call()).resolves.toBeDefined();
    expect(s.decisions().map((d) => d.action)).toEqual(["allow"]);
  });

  it("50 concurrent calls with a budget for 5: spend never exceeds the budget", async () => {
    suite.fake.reset({ usage: { input: 10, output: 1000 }, latencyMs: 30 });
    // Worst case per call: ~100 bytes of prompt + 1000 output at gpt-4o rates ≈ $0.01025; budget fits 5.
    const s = await suite.open({ budgetUsd: 0.0525 });
    const client = new OpenAI({ apiKey: KEY, baseURL: s.server.proxyUrls.openai, maxRetries: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => client.chat.completions.create({ model: "gpt-4o", max_tokens: 1000, messages: [{ role: "user", content: `call ${i % 10}` }] })),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBe(5);
    expect(suite.fake.hits).toBe(5);
    const spent = s.decisions().filter((d) => d.action !== "block").reduce((a, d) => a + d.cost_nanos, 0);
    expect(spent).toBeLessThanOrEqual(52_500_000);
    expect(s.decisions().filter((d) => d.action === "block")).toHaveLength(45);
  });
});

describe("Anthropic through the proxy", () => {
  it("messages JSON and stream: text, cache buckets and cumulative output", async () => {
    suite.fake.reset({ usage: { input: 100, cached: 1000, cacheWrite: 50, cacheWrite1h: 20, output: 40 } });
    const s = await suite.open();
    const client = anthropic(s);
    const m = await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    expect(m.content[0]?.type === "text" ? m.content[0].text : "").toBe(suite.fake.settings.text);
    const stream = client.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
    let text = "";
    stream.on("text", (t) => (text += t));
    await stream.finalMessage();
    expect(text).toBe(suite.fake.settings.text);
    const tokens = { input: 100, cache_read: 1000, cache_write_5m: 50, cache_write_1h: 20, output: 40, reasoning: 0 };
    expect(s.decisions().map((d) => d.tokens)).toEqual([tokens, tokens]);
    expect(suite.fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("a block raises an Anthropic APIError (billing_error) with no retry", async () => {
    suite.fake.reset();
    const s = await suite.open({ budgetUsd: 0.000001 });
    const err = await anthropic(s).messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
    expect((err as Error).message).toContain("aegis blocked this call");
    expect(suite.fake.hits).toBe(0);
  });
});

describe("Gemini through the proxy", () => {
  it("generateContent and streamGenerateContent (SSE): text, cached and thoughts", async () => {
    suite.fake.reset({ usage: { input: 70, cached: 30, output: 25, reasoning: 10 }, chunks: 3 });
    const s = await suite.open();
    const ai = gemini(s);
    const r = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: "hi" });
    expect(r.text).toBe(suite.fake.settings.text);
    let text = "";
    for await (const c of await ai.models.generateContentStream({ model: "gemini-2.5-flash", contents: "hi" })) text += c.text ?? "";
    expect(text).toBe(suite.fake.settings.text);
    const tokens = { input: 70, cache_read: 30, cache_write_5m: 0, cache_write_1h: 0, output: 25, reasoning: 10 };
    expect(s.decisions().map((d) => [d.model, d.tokens])).toEqual([
      ["gemini-2.5-flash", tokens],
      ["gemini-2.5-flash", tokens],
    ]);
    expect(suite.fake.requests[1]?.url).toContain("alt=sse");
    expect(suite.fake.requests[0]?.headers["x-goog-api-key"]).toBe(GKEY);
  });

  it("a block raises a Gemini ApiError", async () => {
    suite.fake.reset();
    const s = await suite.open({ budgetUsd: 0.000001 });
    const err = await gemini(s).models.generateContent({ model: "gemini-2.5-flash", contents: "hi" }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(402);
    expect((err as Error).message).toContain("aegis blocked this call");
    expect(suite.fake.hits).toBe(0);
  });
});
