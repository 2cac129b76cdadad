import { describe, expect, it } from "vitest";
import { openaiAdapter as a } from "./openai.js";
import type { RouteMatch } from "./types.js";
import type { SseEvent } from "../sse.js";

const q = new URLSearchParams();
const meter = (kind: "chat" | "responses" | "embeddings") => ({ action: "meter", kind }) as Extract<RouteMatch, { action: "meter" }>;
const ev = (data: string, event?: string): SseEvent => ({ event, data, raw: `data: ${data}\n\n` });
const raw = (body: unknown) => Buffer.from(JSON.stringify(body));

describe("openai adapter: routes", () => {
  it("meters chat completions, responses and embeddings, with or without /v1", () => {
    expect(a.match("POST", "/v1/chat/completions", q)).toEqual({ action: "meter", kind: "chat" });
    expect(a.match("POST", "/responses", q)).toEqual({ action: "meter", kind: "responses" });
    expect(a.match("POST", "/v1/embeddings", q)).toEqual({ action: "meter", kind: "embeddings" });
  });

  it("passes reads and free POSTs, refuses POSTs that could spend", () => {
    expect(a.match("GET", "/v1/models", q)).toEqual({ action: "pass" });
    expect(a.match("POST", "/v1/responses/input_tokens", q)).toEqual({ action: "pass" });
    expect(a.match("POST", "/v1/responses/resp_1/cancel", q)).toEqual({ action: "pass" });
    for (const p of ["/v1/images/generations", "/v1/audio/speech", "/v1/batches", "/v1/completions", "/v1/responses/compact"]) {
      const m = a.match("POST", p, q);
      expect(m.action, p).toBe("refuse");
      if (m.action === "refuse") expect(m.message).toContain(p);
    }
  });
});

describe("openai adapter: requests", () => {
  it("reads model, output limit (max_completion_tokens first) and n", () => {
    const body = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], max_tokens: 50, max_completion_tokens: 70, n: 2 };
    const f = a.inspect(meter("chat"), body, raw(body));
    expect(f).toMatchObject({ model: "gpt-4o", framing: "json", maxOutputTokens: 70, choices: 2, billsOutput: true });
    expect(f.fingerprintInput).toEqual(body.messages);
    expect(f.forwardBody).toBeUndefined();
  });

  it("adds include_usage to a stream that did not ask, splicing the bytes, and marks the usage chunk hidden", () => {
    const body = { model: "gpt-4o", stream: true, messages: [{ role: "user", content: "hi" }] };
    const f = a.inspect(meter("chat"), body, Buffer.from(`${JSON.stringify(body)}\n`));
    expect(f.framing).toBe("sse");
    expect(f.hideUsageOnlyChunk).toBe(true);
    expect(JSON.parse(Buffer.from(f.forwardBody ?? []).toString())).toEqual({ ...body, stream_options: { include_usage: true } });
  });

  it("merges include_usage into existing stream_options, and leaves a request that asked alone", () => {
    const body = { model: "gpt-4o", stream: true, stream_options: { include_obfuscation: false }, messages: [] };
    const f = a.inspect(meter("chat"), body, raw(body));
    expect(JSON.parse(Buffer.from(f.forwardBody ?? []).toString()).stream_options).toEqual({ include_obfuscation: false, include_usage: true });
    const asked = { ...body, stream_options: { include_usage: true } };
    const g = a.inspect(meter("chat"), asked, raw(asked));
    expect(g.forwardBody).toBeUndefined();
    expect(g.hideUsageOnlyChunk).toBeUndefined();
  });

  it("reads Responses max_output_tokens and refuses background responses", () => {
    const body = { model: "o3", input: "x", max_output_tokens: 900, stream: true };
    expect(a.inspect(meter("responses"), body, raw(body))).toMatchObject({ maxOutputTokens: 900, framing: "sse" });
    const bg = { ...body, background: true };
    expect(a.inspect(meter("responses"), bg, raw(bg)).refusal).toContain("background");
  });

  it("embeddings bill no output", () => {
    const body = { model: "text-embedding-3-small", input: ["a", "b"] };
    expect(a.inspect(meter("embeddings"), body, raw(body))).toMatchObject({ billsOutput: false, framing: "json" });
  });
});

describe("openai adapter: usage", () => {
  it("chat: cached and cache-write tokens are subsets of the prompt, reasoning of the completion", () => {
    const body = {
      model: "gpt-4o-2024-08-06",
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 300,
        total_tokens: 1300,
        prompt_tokens_details: { cached_tokens: 600, cache_write_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 200 },
      },
    };
    expect(a.usageFromBody("chat", body, "gpt-4o")).toEqual({
      model: "gpt-4o-2024-08-06",
      inputTokens: 300,
      cacheReadTokens: 600,
      cacheWrite5mTokens: 100,
      cacheWrite1hTokens: 0,
      outputTokens: 300,
      reasoningTokens: 200,
    });
  });

  it("responses: usage of the response; embeddings: prompt only; the request model when the response names none", () => {
    const resp = { usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 10, cache_write_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 70 } };
    expect(a.usageFromBody("responses", resp, "o3")).toMatchObject({ model: "o3", inputTokens: 40, cacheReadTokens: 10, outputTokens: 20, reasoningTokens: 5 });
    const emb = { object: "list", data: [], model: "text-embedding-3-small", usage: { prompt_tokens: 8, total_tokens: 8 } };
    expect(a.usageFromBody("embeddings", emb, "x")).toMatchObject({ model: "text-embedding-3-small", inputTokens: 8, outputTokens: 0 });
    expect(a.usageFromBody("chat", { model: "gpt-4o" }, "gpt-4o")).toBeUndefined();
  });

  it("clamps impossible subsets instead of dropping the usage", () => {
    const body = { usage: { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 50 }, completion_tokens_details: { reasoning_tokens: 9 } } };
    expect(a.usageFromBody("chat", body, "gpt-4o")).toMatchObject({ inputTokens: 0, cacheReadTokens: 10, outputTokens: 2, reasoningTokens: 2 });
  });

  it("chat stream: reads the usage-only chunk and identifies it for hiding", () => {
    const t = a.streamTracker("chat", "gpt-4o");
    const content = ev('{"model":"gpt-4o-mini-x","choices":[{"delta":{"content":"hi"}}],"usage":null}');
    const usage = ev('{"model":"gpt-4o-mini-x","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":2}}}');
    for (const e of [content, usage, ev("[DONE]")]) t.onEvent(e);
    expect(t.usage()).toMatchObject({ model: "gpt-4o-mini-x", inputTokens: 10, cacheReadTokens: 2, outputTokens: 4 });
    expect(t.hide?.(content)).toBe(false);
    expect(t.hide?.(usage)).toBe(true);
  });

  it("responses stream: usage from response.completed, .incomplete or .failed only", () => {
    for (const type of ["response.completed", "response.incomplete", "response.failed"]) {
      const t = a.streamTracker("responses", "o3");
      t.onEvent(ev(JSON.stringify({ type: "response.created", response: { model: "o3", usage: null } }), "response.created"));
      t.onEvent(ev(JSON.stringify({ type: "response.output_text.delta", delta: "x" }), "response.output_text.delta"));
      expect(t.usage()).toBeUndefined();
      t.onEvent(ev(JSON.stringify({ type, response: { model: "o3-2025", usage: { input_tokens: 7, output_tokens: 3 } } }), type));
      expect(t.usage()).toMatchObject({ model: "o3-2025", inputTokens: 7, outputTokens: 3 });
    }
  });
});

describe("openai adapter: errors", () => {
  it("block body is the documented insufficient_quota shape", () => {
    expect(a.errorBody(402, "aegis: over budget", "budget")).toEqual({
      error: { message: "aegis: over budget", type: "insufficient_quota", param: null, code: "aegis_budget_exceeded" },
    });
  });

  it("stream error frame is an SSE event whose data carries `error`", () => {
    const frame = a.streamErrorFrame("boom", "unavailable", "sse");
    expect(frame.endsWith("\n\n")).toBe(true);
    expect(JSON.parse(frame.split("data: ")[1] ?? "").error.message).toBe("boom");
  });
});
