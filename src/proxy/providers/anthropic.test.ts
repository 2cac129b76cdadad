import { describe, expect, it } from "vitest";
import { anthropicAdapter as a } from "./anthropic.js";
import type { SseEvent } from "../sse.js";

const q = new URLSearchParams();
const ev = (event: string, data: unknown): SseEvent => ({ event, data: JSON.stringify(data), raw: "" });

describe("anthropic adapter", () => {
  it("meters /v1/messages and /messages; passes count_tokens and reads; refuses batches", () => {
    expect(a.match("POST", "/v1/messages", q)).toEqual({ action: "meter", kind: "messages" });
    expect(a.match("POST", "/messages", q)).toEqual({ action: "meter", kind: "messages" });
    expect(a.match("POST", "/v1/messages/count_tokens", q)).toEqual({ action: "pass" });
    expect(a.match("GET", "/v1/models", q)).toEqual({ action: "pass" });
    expect(a.match("POST", "/v1/messages/batches", q).action).toBe("refuse");
    expect(a.match("POST", "/v1/complete", q).action).toBe("refuse");
  });

  it("reads model, stream and max_tokens; fingerprints system + messages", () => {
    const body = { model: "claude-sonnet-4-5", max_tokens: 1024, stream: true, system: "be brief", messages: [{ role: "user", content: "hi" }] };
    const f = a.inspect({ action: "meter", kind: "messages" }, body, Buffer.from(JSON.stringify(body)));
    expect(f).toMatchObject({ model: "claude-sonnet-4-5", framing: "sse", maxOutputTokens: 1024, choices: 1 });
    expect(f.fingerprintInput).toEqual(["be brief", body.messages]);
  });

  it("input_tokens excludes the cache; 5m and 1h writes come from cache_creation", () => {
    const body = {
      model: "claude-sonnet-4-5-20250929",
      usage: {
        input_tokens: 100,
        output_tokens: 50,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 300,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
        output_tokens_details: { thinking_tokens: 20 },
      },
    };
    expect(a.usageFromBody("messages", body, "claude-sonnet-4-5")).toEqual({
      model: "claude-sonnet-4-5-20250929",
      inputTokens: 100,
      cacheReadTokens: 1000,
      cacheWrite5mTokens: 100,
      cacheWrite1hTokens: 200,
      outputTokens: 50,
      reasoningTokens: 20,
    });
  });

  it("cache writes without a TTL split bill as 5-minute writes", () => {
    const body = { usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 40, cache_read_input_tokens: null, cache_creation: null } };
    expect(a.usageFromBody("messages", body, "claude-haiku-4-5")).toMatchObject({ model: "claude-haiku-4-5", cacheWrite5mTokens: 40, cacheWrite1hTokens: 0, cacheReadTokens: 0 });
  });

  it("sums usage.iterations when present (input and output; the cache from the top level)", () => {
    const body = {
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: 30,
        iterations: [
          { type: "compaction", input_tokens: 1000, output_tokens: 200, cache_read_input_tokens: 0 },
          { type: "message", input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 30 },
        ],
      },
    };
    expect(a.usageFromBody("messages", body, "claude-opus-4-6")).toMatchObject({ inputTokens: 1010, outputTokens: 205, cacheReadTokens: 30 });
  });

  it("advisor iterations become sub-inferences at the advisor's model (JSON), on top of the executor's counts", () => {
    const body = {
      model: "claude-sonnet-4-6",
      usage: {
        input_tokens: 400,
        output_tokens: 90,
        iterations: [
          { type: "message", input_tokens: 150, output_tokens: 40 },
          { type: "advisor_message", model: "claude-opus-4-6", input_tokens: 900, output_tokens: 700, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 },
          { type: "message", input_tokens: 250, output_tokens: 50 },
        ],
      },
    };
    expect(a.usageFromBody("messages", body, "claude-sonnet-4-6")).toEqual({
      model: "claude-sonnet-4-6",
      inputTokens: 400,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 90,
      reasoningTokens: 0,
      subInferences: [{ model: "claude-opus-4-6", inputTokens: 900, cacheReadTokens: 100, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 700, reasoningTokens: 0 }],
    });
    // Without advisor iterations there are no sub-inferences at all.
    expect(a.usageFromBody("messages", { usage: { input_tokens: 1, output_tokens: 1 } }, "claude-sonnet-4-6")).not.toHaveProperty("subInferences");
  });

  it("stream: advisor iterations from the cumulative message_delta usage become sub-inferences", () => {
    const t = a.streamTracker("messages", "claude-haiku-4-5");
    t.onEvent(ev("message_start", { type: "message_start", message: { model: "claude-haiku-4-5-20251001", usage: { input_tokens: 30, output_tokens: 1 } } }));
    const iterations = [
      { type: "message", input_tokens: 30, output_tokens: 20 },
      { type: "advisor_message", model: "claude-opus-4-6", input_tokens: 500, output_tokens: 600 },
    ];
    t.onEvent(ev("message_delta", { type: "message_delta", delta: { stop_reason: null }, usage: { output_tokens: 10, iterations: iterations.slice(0, 1) } }));
    t.onEvent(ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 45, iterations: [...iterations, { type: "message", input_tokens: 40, output_tokens: 25 }] } }));
    const usage = t.usage();
    expect(usage).toMatchObject({ model: "claude-haiku-4-5-20251001", inputTokens: 70, outputTokens: 45 });
    // The last cumulative list replaces the earlier one: one advisor iteration, not two.
    expect(usage?.subInferences).toEqual([{ model: "claude-opus-4-6", inputTokens: 500, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 600, reasoningTokens: 0 }]);
  });

  it("stream: message_start usage, then cumulative message_delta usage overwrites (never adds)", () => {
    const t = a.streamTracker("messages", "claude-sonnet-4-5");
    t.onEvent(ev("message_start", { type: "message_start", message: { model: "claude-sonnet-4-5-20250929", usage: { input_tokens: 25, output_tokens: 1, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 } } }));
    t.onEvent(ev("content_block_delta", { type: "content_block_delta", delta: { type: "text_delta", text: "hi" } }));
    t.onEvent(ev("message_delta", { type: "message_delta", delta: { stop_reason: null }, usage: { output_tokens: 10 } }));
    t.onEvent(ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 15, input_tokens: null, cache_read_input_tokens: null } }));
    t.onEvent(ev("message_stop", { type: "message_stop" }));
    expect(t.usage()).toEqual({
      model: "claude-sonnet-4-5-20250929",
      inputTokens: 25,
      cacheReadTokens: 100,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 15,
      reasoningTokens: 0,
    });
  });

  it("reads server_tool_use.web_search_requests from a JSON body", () => {
    const body = { model: "claude-sonnet-4-20250514", usage: { input_tokens: 100, output_tokens: 50, server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 } } };
    expect(a.usageFromBody("messages", body, "claude-sonnet-4")).toMatchObject({ inputTokens: 100, outputTokens: 50, webSearchRequests: 2 });
  });

  it("stream: server_tool_use is cumulative — each delta overwrites, a null count keeps the last one", () => {
    const t = a.streamTracker("messages", "claude-sonnet-4");
    t.onEvent(ev("message_start", { type: "message_start", message: { model: "claude-sonnet-4", usage: { input_tokens: 10, output_tokens: 1, server_tool_use: { web_search_requests: 0 } } } }));
    t.onEvent(ev("message_delta", { type: "message_delta", delta: {}, usage: { output_tokens: 5, server_tool_use: { web_search_requests: 2 } } }));
    t.onEvent(ev("message_delta", { type: "message_delta", delta: {}, usage: { output_tokens: 9, server_tool_use: { web_search_requests: 3, web_fetch_requests: 1 } } }));
    t.onEvent(ev("message_delta", { type: "message_delta", delta: {}, usage: { output_tokens: 12, server_tool_use: { web_search_requests: null, web_fetch_requests: 1 } } }));
    expect(t.usage()).toMatchObject({ inputTokens: 10, outputTokens: 12, webSearchRequests: 3 });
  });

  it("a malformed usage reads as none (the call is then billed at its estimate)", () => {
    expect(a.usageFromBody("messages", { usage: { input_tokens: -3, output_tokens: 1 } }, "m")).toBeUndefined();
  });

  it("a stream with no usage events yields no usage", () => {
    const t = a.streamTracker("messages", "m");
    t.onEvent(ev("ping", { type: "ping" }));
    expect(t.usage()).toBeUndefined();
  });

  it("block body and stream error frame are in Anthropic's error shape", () => {
    expect(a.errorBody(402, "aegis: over", "budget")).toEqual({ type: "error", error: { type: "billing_error", message: "aegis: over" }, request_id: null });
    const frame = a.streamErrorFrame("boom", "unavailable", "sse");
    expect(frame.startsWith("event: error\n")).toBe(true);
    expect(JSON.parse(frame.split("data: ")[1] ?? "")).toEqual({ type: "error", error: { type: "api_error", message: "boom" }, request_id: null });
  });
});
