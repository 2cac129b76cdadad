import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "./anthropic.js";
import { advisorBounds, DEFAULT_ADVISOR_USES_PER_REQUEST, DEFAULT_WEB_SEARCHES_PER_REQUEST, webSearchBound } from "./anthropic-tools.js";

const facts = (body: Record<string, unknown>) => anthropicAdapter.inspect({ action: "meter", kind: "messages" }, body, Buffer.from(JSON.stringify(body)));
const base = { model: "claude-sonnet-4", max_tokens: 100, messages: [{ role: "user", content: "news?" }] };

describe("web search bound of an Anthropic request", () => {
  it("is the tool's max_uses when it sets one, for every web_search_* version", () => {
    expect(facts({ ...base, tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }] }).webSearches).toBe(3);
    expect(facts({ ...base, tools: [{ type: "web_search_20260209", name: "web_search", max_uses: 7 }] }).webSearches).toBe(7);
    expect(facts({ ...base, tools: [{ type: "web_search_20270101", name: "web_search", max_uses: 2 }] }).webSearches).toBe(2);
    expect(webSearchBound([{ type: "web_search_20250305", name: "web_search", max_uses: 0 }])).toBe(0);
  });

  it("is the documented default (10) when max_uses is absent or unusable", () => {
    expect(DEFAULT_WEB_SEARCHES_PER_REQUEST).toBe(10);
    expect(facts({ ...base, tools: [{ type: "web_search_20250305", name: "web_search" }] }).webSearches).toBe(10);
    expect(webSearchBound([{ type: "web_search_20260209", name: "web_search", max_uses: null }])).toBe(10);
    expect(webSearchBound([{ type: "web_search_20260209", name: "web_search", max_uses: "5" }])).toBe(10);
    expect(webSearchBound([{ type: "web_search_20260209", name: "web_search", max_uses: -1 }])).toBe(10);
  });

  it("adds up several web search tools and ignores every other tool", () => {
    const tools = [
      { name: "get_weather", input_schema: { type: "object" } },
      { type: "web_fetch_20250910", name: "web_fetch", max_uses: 50 },
      { type: "code_execution_20250825", name: "code_execution" },
      { type: "web_search_20250305", name: "web_search", max_uses: 4 },
      { type: "web_search_20260209", name: "web_search_2" },
    ];
    expect(webSearchBound(tools)).toBe(14);
  });

  it("is 0 without tools, with malformed tools, or with client tools only", () => {
    expect(facts(base).webSearches).toBe(0);
    expect(webSearchBound("web_search_20250305")).toBe(0);
    expect(webSearchBound([null, 3, "web_search", { type: 5 }, { name: "web_search" }])).toBe(0);
  });
});

describe("advisor tools of an Anthropic request", () => {
  it("reads the advisor model, max_uses (default 10), max_tokens and the cache writes its caching asks for", () => {
    const tools = [
      { type: "advisor_20260301", name: "advisor", model: "claude-opus-4-6", max_uses: 2, max_tokens: 2000, caching: { type: "ephemeral", ttl: "1h" } },
      { type: "web_search_20250305", name: "web_search" },
      { name: "client_tool", input_schema: {} },
    ];
    expect(facts({ ...base, tools }).subInferences).toEqual([{ model: "claude-opus-4-6", uses: 2, maxOutputTokens: 2000, cacheWrites: "1h" }]);
    expect(DEFAULT_ADVISOR_USES_PER_REQUEST).toBe(10);
    expect(advisorBounds([{ type: "advisor_20260301", name: "advisor", model: "claude-opus-4-8", caching: { type: "ephemeral" } }])).toEqual([{ model: "claude-opus-4-8", uses: 10, maxOutputTokens: undefined, cacheWrites: "5m" }]);
    expect(advisorBounds([{ type: "advisor_20260301", name: "advisor", model: "claude-opus-4-6", caching: null, max_tokens: "big" }])).toEqual([{ model: "claude-opus-4-6", uses: 10, maxOutputTokens: undefined, cacheWrites: "none" }]);
  });

  it("names no model as \"\" (cannot be priced, so the call is refused as an unknown model) and finds none without advisor tools", () => {
    expect(advisorBounds([{ type: "advisor_20260301", name: "advisor" }])).toEqual([{ model: "", uses: 10, maxOutputTokens: undefined, cacheWrites: "none" }]);
    expect(facts(base).subInferences).toEqual([]);
    expect(advisorBounds({ type: "advisor_20260301" })).toEqual([]);
  });
});
