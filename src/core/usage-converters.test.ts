import { describe, expect, it } from "vitest";
import { advisorUsagesFromAnthropic, usageFromAnthropic, usageFromGemini } from "./usage-converters.js";
import { UsageShapeError } from "./usage.js";

describe("usageFromAnthropic", () => {
  it("counts server_tool_use.web_search_requests; absent, null or zero leaves the field out", () => {
    const base = { input_tokens: 5, output_tokens: 6 };
    expect(usageFromAnthropic("claude-sonnet-4", { ...base, server_tool_use: { web_search_requests: 3 } }).webSearchRequests).toBe(3);
    expect(usageFromAnthropic("claude-sonnet-4", base)).not.toHaveProperty("webSearchRequests");
    expect(usageFromAnthropic("claude-sonnet-4", { ...base, server_tool_use: null })).not.toHaveProperty("webSearchRequests");
    expect(usageFromAnthropic("claude-sonnet-4", { ...base, server_tool_use: { web_search_requests: null } })).not.toHaveProperty("webSearchRequests");
    expect(usageFromAnthropic("claude-sonnet-4", { ...base, server_tool_use: { web_search_requests: 0 } })).not.toHaveProperty("webSearchRequests");
  });

  it("refuses a malformed web_search_requests, naming the field", () => {
    expect(() => usageFromAnthropic("m", { input_tokens: 1, output_tokens: 1, server_tool_use: { web_search_requests: -1 } })).toThrow(
      expect.objectContaining({ field: "server_tool_use.web_search_requests" }),
    );
  });

  it("keeps input_tokens as fresh input and splits writes by TTL", () => {
    expect(
      usageFromAnthropic("claude-sonnet-4-5", {
        input_tokens: 10,
        output_tokens: 20,
        cache_read_input_tokens: 30,
        cache_creation_input_tokens: 70,
        cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 40 },
        output_tokens_details: { thinking_tokens: 5 },
      }),
    ).toEqual({ model: "claude-sonnet-4-5", inputTokens: 10, cacheReadTokens: 30, cacheWrite5mTokens: 30, cacheWrite1hTokens: 40, outputTokens: 20, reasoningTokens: 5 });
  });

  it("bills writes the split does not cover (or all, when cache_creation is null) as 5m", () => {
    expect(usageFromAnthropic("m", { input_tokens: 1, cache_creation_input_tokens: 50, cache_creation: null }).cacheWrite5mTokens).toBe(50);
    expect(usageFromAnthropic("m", { cache_creation_input_tokens: 50 }).cacheWrite5mTokens).toBe(50);
    const partial = usageFromAnthropic("m", { cache_creation_input_tokens: 50, cache_creation: { ephemeral_1h_input_tokens: 20 } });
    expect([partial.cacheWrite5mTokens, partial.cacheWrite1hTokens]).toEqual([30, 20]);
  });

  it("reads null and absent counts as zero", () => {
    expect(usageFromAnthropic("m", { input_tokens: null, output_tokens: 3, cache_read_input_tokens: null })).toMatchObject({ inputTokens: 0, cacheReadTokens: 0, outputTokens: 3 });
  });

  it("sums executor iterations (compaction is left out of the top level), not advisor ones", () => {
    const wire = {
      input_tokens: 100,
      output_tokens: 50,
      iterations: [
        { type: "compaction", input_tokens: 1000, output_tokens: 200 },
        { type: "message", input_tokens: 100, output_tokens: 50 },
        { type: "advisor_message", model: "claude-opus-4-8", input_tokens: 7, output_tokens: 9, cache_read_input_tokens: 2 },
      ],
    };
    expect(usageFromAnthropic("m", wire)).toMatchObject({ inputTokens: 1100, outputTokens: 250 });
    expect(advisorUsagesFromAnthropic(wire)).toEqual([
      { model: "claude-opus-4-8", inputTokens: 7, cacheReadTokens: 2, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 9, reasoningTokens: 0 },
    ]);
  });

  it("splits an advisor iteration's cache writes by TTL and names no model as \"\" (unpriceable)", () => {
    const wire = {
      input_tokens: 1,
      output_tokens: 1,
      iterations: [
        { type: "message", input_tokens: 1, output_tokens: 1 },
        {
          type: "advisor_message",
          model: "claude-opus-4-6",
          input_tokens: 50,
          output_tokens: 60,
          cache_read_input_tokens: 70,
          cache_creation_input_tokens: 300,
          cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
        },
        { type: "advisor_message", input_tokens: 5, output_tokens: 6, cache_creation_input_tokens: 40, cache_creation: null },
      ],
    };
    expect(advisorUsagesFromAnthropic(wire)).toEqual([
      { model: "claude-opus-4-6", inputTokens: 50, cacheReadTokens: 70, cacheWrite5mTokens: 100, cacheWrite1hTokens: 200, outputTokens: 60, reasoningTokens: 0 },
      { model: "", inputTokens: 5, cacheReadTokens: 0, cacheWrite5mTokens: 40, cacheWrite1hTokens: 0, outputTokens: 6, reasoningTokens: 0 },
    ]);
    expect(advisorUsagesFromAnthropic({ input_tokens: 1, output_tokens: 1 })).toEqual([]);
    expect(() => advisorUsagesFromAnthropic({ iterations: [{ type: "advisor_message", model: "m", input_tokens: -1 }] })).toThrow(expect.objectContaining({ field: "iterations[].input_tokens" }));
  });

  it("uses the top level when a fallback served the turn", () => {
    const wire = {
      input_tokens: 300,
      output_tokens: 40,
      iterations: [
        { type: "message", input_tokens: 300, output_tokens: 0 },
        { type: "fallback_message", model: "claude-sonnet-4-6", input_tokens: 300, output_tokens: 40 },
      ],
    };
    expect(usageFromAnthropic("m", wire)).toMatchObject({ inputTokens: 300, outputTokens: 40 });
  });

  it("refuses impossible counts, naming the field", () => {
    expect(() => usageFromAnthropic("m", { input_tokens: -3 })).toThrow(UsageShapeError);
    expect(() => usageFromAnthropic("m", { output_tokens: 1.5 })).toThrow(/output_tokens/);
  });
});

describe("usageFromGemini", () => {
  it("takes cached content out of the prompt, adds tool-use prompt to input and thoughts to output", () => {
    expect(
      usageFromGemini("gemini-2.5-pro", { promptTokenCount: 1000, cachedContentTokenCount: 400, candidatesTokenCount: 50, thoughtsTokenCount: 70, toolUsePromptTokenCount: 5 }),
    ).toEqual({ model: "gemini-2.5-pro", inputTokens: 605, cacheReadTokens: 400, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 120, reasoningTokens: 70 });
  });

  it("handles absent counts and refuses cached > prompt", () => {
    expect(usageFromGemini("g", { promptTokenCount: 10 })).toMatchObject({ inputTokens: 10, outputTokens: 0 });
    expect(() => usageFromGemini("g", { promptTokenCount: 10, cachedContentTokenCount: 11 })).toThrow(/cachedContentTokenCount/);
  });
});
