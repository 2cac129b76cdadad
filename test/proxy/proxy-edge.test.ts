// The proxy's edges: Gemini's streamed JSON array and `?key=`, clients that leave mid-stream,
// upstreams that fail, loops, request targets that try to leave the configured upstream.
import { describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import type { ModelPrice } from "../../src/core/pricing/types.js";
import type { ProxySession } from "../helpers/proxy-session.js";
import { useProxySuite } from "../helpers/proxy-suite.js";

const KEY = "sk-test-SECRET-0123456789abcdef";
const GKEY = "AIzaSyTEST-secret-key-0123456789";
const suite = useProxySuite();

const chatBody = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: "gpt-4o", max_tokens: 50, messages: [{ role: "user", content: "hi" }], ...extra });

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Reads the first chunk of a streamed response, then drops the connection.
async function readFirstChunkThenLeave(url: string, body: string): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` }, signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  controller.abort();
  return Buffer.from(first.value ?? new Uint8Array()).toString("utf8");
}

describe("Gemini streamGenerateContent without alt=sse, key in the query", () => {
  it("relays the JSON array, bills the last usageMetadata, keeps the key out of ledger and stderr", async () => {
    suite.fake.reset({ usage: { input: 12, output: 9, reasoning: 4 }, chunks: 3 });
    const s = await suite.open();
    const res = await fetch(`${s.server.proxyUrls.gemini}/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=${GKEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    const items = (await res.json()) as { candidates: { content: { parts: { text: string }[] } }[] }[];
    expect(items.map((i) => i.candidates[0]?.content.parts[0]?.text).join("")).toBe(suite.fake.settings.text);
    expect(suite.fake.requests[0]?.url).toContain(`key=${GKEY}`);
    expect(s.decisions()[0]).toMatchObject({ model: "gemini-2.5-flash", tokens: { input: 12, output: 9, reasoning: 4 } });
    expect(readFileSync(s.ledgerPath, "utf8")).not.toContain(GKEY);
    expect(s.stderr.join("\n")).not.toContain(GKEY);
  });
});

describe("clients that leave mid-stream", () => {
  it("keeps reading the upstream to its usage and bills it", async () => {
    suite.fake.reset({ usage: { input: 21, output: 34 }, chunks: 5, chunkDelayMs: 40 });
    const s = await suite.open();
    const first = await readFirstChunkThenLeave(`${s.server.proxyUrls.openai}/chat/completions`, chatBody({ stream: true }));
    expect(first).toContain("data: ");
    await until(() => s.decisions().length > 0);
    expect(suite.fake.streamsCompleted).toBe(1);
    expect(s.decisions()[0]).toMatchObject({ action: "allow", tokens: { input: 21, output: 34 } });
    expect(s.decisions()[0]?.estimated).toBeUndefined();
  });

  it("bills the estimate, marked estimated, when the usage cannot be read within the drain bound", async () => {
    suite.fake.reset({ usage: { input: 21, output: 34 }, chunks: 5, chunkDelayMs: 400 });
    const s = await suite.open({ proxy: { drainMs: 100 } });
    await readFirstChunkThenLeave(`${s.server.proxyUrls.anthropic}/v1/messages`, JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }));
    await until(() => s.decisions().length > 0);
    const [d] = s.decisions();
    expect(d).toMatchObject({ estimated: true, model: "claude-haiku-4-5", tokens: { output: 50 } });
    expect(suite.fake.streamsCompleted).toBe(0);
  });
});

describe("upstream failures", () => {
  it("an upstream cut mid-stream ends the client's stream with the provider's error frame and bills the estimate", async () => {
    suite.fake.reset({ chunks: 4, cutAfterChunks: 2, chunkDelayMs: 20 });
    const s = await suite.open();
    const client = new OpenAI({ apiKey: KEY, baseURL: s.server.proxyUrls.openai, maxRetries: 0 });
    const consume = async () => {
      for await (const _ of await client.chat.completions.create({ model: "gpt-4o", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] })) void _;
    };
    await expect(consume()).rejects.toThrow(/upstream connection failed mid-response/);
    await until(() => s.decisions().length > 0);
    expect(s.decisions()[0]).toMatchObject({ estimated: true, tokens: { output: 50 } });
  });

  it("an unreachable upstream answers 502 in the provider's shape and records nothing", async () => {
    const s = await suite.open({ upstream: "http://127.0.0.1:9" });
    const client = new OpenAI({ apiKey: KEY, baseURL: s.server.proxyUrls.openai, maxRetries: 0 });
    const err = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(502);
    expect((err as Error).message).toContain("cannot reach the openai upstream http://127.0.0.1:9");
    expect(s.decisions()).toHaveLength(0);
  });
});

describe("loops and attribution", () => {
  it("the Nth identical call from an agent is blocked as a loop and stops the run; the default agent is used without the header", async () => {
    suite.fake.reset();
    const s = await suite.open({ loopThreshold: 3 });
    const client = new OpenAI({ apiKey: KEY, baseURL: s.server.proxyUrls.openai });
    const call = () => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "same" }] });
    await call();
    await call();
    await expect(call()).rejects.toMatchObject({ status: 402 });
    expect(suite.fake.hits).toBe(2);
    expect(s.decisions().map((d) => [d.agent, d.action, d.dimension])).toEqual([
      ["main", "allow", ""],
      ["main", "allow", ""],
      ["main", "block", "loop"],
    ]);
    await until(() => s.stops.length > 0);
  });
});

describe("request targets", () => {
  const raw = (port: number, target: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: target, headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(chatBody());
    });

  it("never forwards an absolute-URL target or a path with dot segments", async () => {
    suite.fake.reset();
    const s = await suite.open();
    const path = new URL(s.server.proxyUrls.openai).pathname;
    expect(await raw(s.server.port, `http://evil.example${path}/chat/completions`)).toBe(404);
    expect(await raw(s.server.port, `${path}/../../../v1/chat/completions`)).toBe(400);
    expect(await raw(s.server.port, `${path}/%2e%2e/chat/completions`)).toBe(400);
    expect(suite.fake.requests).toHaveLength(0);
  });
});

describe("Anthropic server-side web search", () => {
  // 1000 input × $3/M + 200 output × $15/M = $0.006, plus 2 searches × $0.01 = $0.026.
  const EXPECTED = 6_000_000 + 20_000_000;
  const messages = (stream: boolean) => JSON.stringify({ model: "claude-sonnet-4", max_tokens: 300, stream, messages: [{ role: "user", content: "search" }] });

  it.each([false, true])("bills input + output + $0.01 per web_search_request (stream: %s)", async (stream) => {
    suite.fake.reset({ usage: { input: 1000, output: 200, webSearches: 2 } });
    const s = await suite.open();
    const res = await fetch(`${s.server.proxyUrls.anthropic}/v1/messages`, { method: "POST", body: messages(stream), headers: { "content-type": "application/json", "x-api-key": KEY } });
    expect(res.status).toBe(200);
    await res.text();
    await until(() => s.decisions().length > 0);
    expect(s.decisions()[0]).toMatchObject({ action: "allow", tokens: { input: 1000, output: 200, web_search_requests: 2 }, cost_nanos: EXPECTED });
    expect(s.decisions()[0]?.estimated).toBeUndefined();
  });

  it("blocks with 402, before the upstream, a call whose web searches alone can exceed the per-call limit", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 200, webSearches: 1 } });
    const s = await suite.open({ perCallUsd: 0.05 });
    const send = (maxUses: number) =>
      fetch(`${s.server.proxyUrls.anthropic}/v1/messages`, {
        method: "POST",
        body: JSON.stringify({ model: "claude-sonnet-4", max_tokens: 10, tools: [{ type: "web_search_20250305", name: "web_search", max_uses: maxUses }], messages: [{ role: "user", content: "search" }] }),
        headers: { "content-type": "application/json", "x-api-key": KEY },
      });
    // 6 searches can cost $0.06: over $0.05 whatever the tokens.
    const blocked = await send(6);
    expect(blocked.status).toBe(402);
    expect(((await blocked.json()) as { error: { type: string; message: string } }).error).toMatchObject({ type: "billing_error", message: expect.stringMatching(/per-call limit/) as unknown });
    expect(suite.fake.requests).toHaveLength(0);
    // 2 searches ($0.02) plus the tokens fit: forwarded, and billed what it really used.
    const allowed = await send(2);
    expect(allowed.status).toBe(200);
    await allowed.text();
    await until(() => s.decisions().length > 1);
    expect(s.decisions().map((d) => [d.action, d.dimension])).toEqual([
      ["block", "per_call"],
      ["allow", ""],
    ]);
    expect(s.decisions()[1]).toMatchObject({ tokens: { web_search_requests: 1 }, cost_nanos: 6_000_000 + 10_000_000 });
  });

  // A custom id routed through the Anthropic endpoint, priced in the config as provider "other".
  const router = (webSearchPer1k?: number): ModelPrice => ({
    id: "my-router-model",
    provider: "other",
    input: 3,
    output: 15,
    ...(webSearchPer1k !== undefined ? { webSearchPer1k } : {}),
    source: "aegis.yaml",
    checked: "config",
    origin: "config",
  });
  const searchBody = (tools: boolean) =>
    JSON.stringify({ model: "my-router-model", max_tokens: 2000, ...(tools ? { tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }] } : {}), messages: [{ role: "user", content: "search" }] });
  const post = (s: ProxySession, body: string) => fetch(`${s.server.proxyUrls.anthropic}/v1/messages`, { method: "POST", body, headers: { "content-type": "application/json", "x-api-key": KEY } });

  it("refuses with 402, before the upstream, the web search tool on a config model with no search rate, naming the fix", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 200, webSearches: 2 } });
    const s = await suite.open({ pricing: [router()] });
    const res = await post(s, searchBody(true));
    expect(res.status).toBe(402);
    const message = ((await res.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/^aegis blocked this call: Web searches on "my-router-model" have no price/);
    expect(message).toContain("pricing.my-router-model.web_search_per_1k");
    expect(suite.fake.requests).toHaveLength(0);
    expect(s.decisions()[0]).toMatchObject({ action: "block", dimension: "unknown_model", cost_nanos: 0 });
  });

  it("bills a config model's web searches at its web_search_per_1k", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 200, webSearches: 2 } });
    const s = await suite.open({ pricing: [router(25)] });
    const res = await post(s, searchBody(true));
    expect(res.status).toBe(200);
    await res.text();
    await until(() => s.decisions().length > 0);
    // $0.006 of tokens + 2 × $0.025.
    expect(s.decisions()[0]).toMatchObject({ action: "allow", priced_as: "my-router-model", tokens: { web_search_requests: 2 }, cost_nanos: 6_000_000 + 50_000_000 });
  });

  it("an answer reporting searches the request did not offer, on a model with no search rate, bills the admitted estimate with a warning", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 200, webSearches: 2 } });
    const s = await suite.open({ pricing: [router()] });
    const res = await post(s, searchBody(false));
    expect(res.status).toBe(200);
    await res.text();
    await until(() => s.decisions().length > 0);
    const d = s.decisions()[0];
    expect(d).toMatchObject({ action: "warn", dimension: "unknown_model", tokens: { input: 1000, output: 200, web_search_requests: 2 } });
    // The admitted worst case (a few prompt tokens at $3/M + 2000 output tokens at $15/M = $0.03 and a
    // little), more than the $0.006 of tokens: never the searches at zero.
    expect(d?.cost_nanos).toBeGreaterThan(2000 * 15_000);
    expect(d?.cost_nanos).toBeLessThan(2000 * 15_000 + 1000 * 3_000);
    expect(d?.reason).toMatch(/Web searches on "my-router-model" have no price.*\(billed the admitted estimate\)$/s);
  });

  it("leaves web_search_requests off the ledger line when there were none", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 200 } });
    const s = await suite.open();
    const res = await fetch(`${s.server.proxyUrls.anthropic}/v1/messages`, { method: "POST", body: messages(false), headers: { "content-type": "application/json", "x-api-key": KEY } });
    await res.text();
    await until(() => s.decisions().length > 0);
    expect(s.decisions()[0]?.tokens).not.toHaveProperty("web_search_requests");
    expect(s.decisions()[0]?.cost_nanos).toBe(6_000_000);
  });
});

describe("Anthropic advisor iterations", () => {
  it("refuses with 402, before the upstream, an advisor tool naming a model aegis cannot price", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 100 } });
    const s = await suite.open();
    const res = await fetch(`${s.server.proxyUrls.anthropic}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 300, tools: [{ type: "advisor_20260301", name: "advisor", model: "claude-advisor-x" }], messages: [{ role: "user", content: "plan" }] }),
      headers: { "content-type": "application/json", "x-api-key": KEY },
    });
    expect(res.status).toBe(402);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Unknown model "claude-advisor-x"');
    expect(suite.fake.requests).toHaveLength(0);
  });

  // Executor Sonnet 4.6: 1000 × $3/M + 100 × $15/M = $0.0045. Advisor Opus 4.6: 10,000 × $5/M + 1,000 × $25/M = $0.075.
  const EXECUTOR = 4_500_000;
  const ADVISOR = 75_000_000;
  const messages = (stream: boolean) =>
    JSON.stringify({
      model: "claude-sonnet-4-6",
      max_tokens: 300,
      stream,
      tools: [{ type: "advisor_20260301", name: "advisor", model: "claude-opus-4-6" }],
      messages: [{ role: "user", content: "plan this" }],
    });
  const send = async (s: ProxySession, stream: boolean): Promise<void> => {
    const res = await fetch(`${s.server.proxyUrls.anthropic}/v1/messages`, { method: "POST", body: messages(stream), headers: { "content-type": "application/json", "x-api-key": KEY } });
    expect(res.status).toBe(200);
    await res.text();
    await until(() => s.decisions().length > 0);
  };

  it.each([false, true])("bills the executor at its rates and each advisor iteration at the advisor model's (stream: %s)", async (stream) => {
    suite.fake.reset({ usage: { input: 1000, output: 100, advisor: [{ model: "claude-opus-4-6", input: 10_000, output: 1_000 }] } });
    const s = await suite.open();
    await send(s, stream);
    const d = s.decisions()[0];
    expect(d).toMatchObject({ action: "allow", model: "claude-sonnet-4-6", tokens: { input: 1000, output: 100 }, cost_nanos: EXECUTOR + ADVISOR });
    expect(d?.sub_inferences).toEqual([
      { model: "claude-opus-4-6", priced_as: "claude-opus-4.6", tokens: { input: 10_000, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 1_000, reasoning: 0 }, cost_nanos: ADVISOR },
    ]);
    expect(d?.estimated).toBeUndefined();
  });

  it("an advisor iteration on a model aegis cannot price bills the call's worst-case estimate, with a warning", async () => {
    suite.fake.reset({ usage: { input: 1000, output: 100, advisor: [{ input: 10_000, output: 1_000 }] } });
    const s = await suite.open();
    await send(s, false);
    const d = s.decisions()[0];
    expect(d).toMatchObject({ action: "warn", dimension: "unknown_model", sub_inferences: [{ model: "", priced_as: null, cost_nanos: null }] });
    expect(d?.reason).toMatch(/ran a sub-inference \(an advisor\) on another model\. Unknown model \(none\)/);
    // Never the executor's cost alone (the advisor priced at zero): the admitted worst case.
    expect(d?.cost_nanos).toBeGreaterThan(EXECUTOR);
    expect(s.stderr.join("\n")).toContain("Unknown model (none)");
  });
});
