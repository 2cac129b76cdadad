import { describe, expect, it } from "vitest";
import { isSafePath, parseUpstream, upstreamPath } from "./upstream.js";
import { agentFromHeaders, clientResponseHeaders, upstreamRequestHeaders } from "./headers.js";

describe("upstream paths", () => {
  it("joins OpenAI paths under a base that ends in /v1", () => {
    const base = parseUpstream("https://api.openai.com/v1/");
    expect(base).toEqual({ origin: "https://api.openai.com", basePath: "/v1" });
    expect(upstreamPath("openai", base, "/v1/chat/completions")).toBe("/v1/chat/completions");
    expect(upstreamPath("openai", parseUpstream("https://gw.example.com/openai/v1"), "/v1/responses")).toBe("/openai/v1/responses");
  });

  it("maps Anthropic /messages and /v1/messages to the same upstream path, with or without /v1 in the base", () => {
    const root = parseUpstream("https://api.anthropic.com");
    expect(upstreamPath("anthropic", root, "/v1/messages")).toBe("/v1/messages");
    expect(upstreamPath("anthropic", root, "/messages")).toBe("/v1/messages");
    expect(upstreamPath("anthropic", parseUpstream("https://gw.example.com/anthropic/v1"), "/messages")).toBe("/anthropic/v1/messages");
  });

  it("keeps Gemini's versioned paths", () => {
    expect(upstreamPath("gemini", parseUpstream("https://generativelanguage.googleapis.com"), "/v1beta/models/gemini-2.5-flash:generateContent")).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
  });

  it("refuses dot segments (plain or encoded), encoded slashes and backslashes", () => {
    expect(isSafePath("/v1/chat/completions")).toBe(true);
    for (const p of ["/v1/../admin", "/v1/%2e%2e/admin", "/v1/%2E./x", "/./v1", "/v1\\..\\x", "/v1/a%2fb", "chat"]) expect(isSafePath(p), p).toBe(false);
  });

  it("rejects non-http upstreams", () => {
    expect(() => parseUpstream("ftp://x")).toThrow();
  });
});

describe("headers", () => {
  it("forwards auth but not hop-by-hop headers, Host, the client's length or x-aegis-agent", () => {
    const out = upstreamRequestHeaders(
      { host: "127.0.0.1:1", authorization: "Bearer sk-x", "x-api-key": "k", connection: "keep-alive, x-drop", "x-drop": "1", "keep-alive": "timeout=5", "content-length": "999", "x-aegis-agent": "researcher", "accept-encoding": "gzip", "transfer-encoding": "chunked" },
      12,
      true,
    );
    expect(out).toEqual({ authorization: "Bearer sk-x", "x-api-key": "k", "accept-encoding": "identity", "content-length": "12" });
  });

  it("passes response headers except hop-by-hop ones, dropping the length when aegis changed the body", () => {
    const h = { "content-type": "text/event-stream", "content-length": "10", connection: "close", "x-request-id": "r" };
    expect(clientResponseHeaders(h, false)).toEqual({ "content-type": "text/event-stream", "content-length": "10", "x-request-id": "r" });
    expect(clientResponseHeaders(h, true)).toEqual({ "content-type": "text/event-stream", "x-request-id": "r" });
  });

  it("reads the agent from x-aegis-agent", () => {
    expect(agentFromHeaders({ "x-aegis-agent": " researcher " })).toBe("researcher");
    expect(agentFromHeaders({ "x-aegis-agent": "" })).toBeUndefined();
    expect(agentFromHeaders({})).toBeUndefined();
  });
});
