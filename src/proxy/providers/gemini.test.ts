import { describe, expect, it } from "vitest";
import { geminiAdapter as a } from "./gemini.js";
import type { RouteMatch } from "./types.js";

const q = (s = "") => new URLSearchParams(s);

describe("gemini adapter", () => {
  it("meters generateContent and streamGenerateContent (SSE with alt=sse, JSON array without)", () => {
    expect(a.match("POST", "/v1beta/models/gemini-2.5-flash:generateContent", q())).toEqual({ action: "meter", kind: "generate", pathModel: "gemini-2.5-flash", pathFraming: "json" });
    expect(a.match("POST", "/v1beta/models/gemini-2.5-pro:streamGenerateContent", q("alt=sse"))).toMatchObject({ pathModel: "gemini-2.5-pro", pathFraming: "sse" });
    expect(a.match("POST", "/v1/models/gemini-2.5-pro:streamGenerateContent", q("key=secret"))).toMatchObject({ pathFraming: "json-array" });
  });

  it("passes countTokens and reads; refuses embedContent and other spending methods", () => {
    expect(a.match("POST", "/v1beta/models/gemini-2.5-flash:countTokens", q())).toEqual({ action: "pass" });
    expect(a.match("GET", "/v1beta/models", q())).toEqual({ action: "pass" });
    expect(a.match("POST", "/v1beta/models/text-embedding-004:embedContent", q()).action).toBe("refuse");
    expect(a.match("POST", "/v1beta/models/imagen-3:predict", q()).action).toBe("refuse");
    expect(a.match("POST", "/v1beta/cachedContents", q()).action).toBe("refuse");
  });

  it("reads maxOutputTokens and candidateCount; fingerprints systemInstruction + contents", () => {
    const route = a.match("POST", "/v1beta/models/gemini-2.5-flash:generateContent", q()) as Extract<RouteMatch, { action: "meter" }>;
    const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }], systemInstruction: { parts: [{ text: "s" }] }, generationConfig: { maxOutputTokens: 256, candidateCount: 2 } };
    const f = a.inspect(route, body, Buffer.from(JSON.stringify(body)));
    expect(f).toMatchObject({ model: "gemini-2.5-flash", framing: "json", maxOutputTokens: 256, choices: 2 });
    expect(f.fingerprintInput).toEqual([body.systemInstruction, body.contents]);
  });

  it("promptTokenCount includes cached content; output is candidates + thoughts; tool-use prompt bills as input", () => {
    const body = {
      modelVersion: "gemini-2.5-flash-001",
      usageMetadata: { promptTokenCount: 1000, cachedContentTokenCount: 400, candidatesTokenCount: 50, thoughtsTokenCount: 70, toolUsePromptTokenCount: 30, totalTokenCount: 1150 },
    };
    expect(a.usageFromBody("generate", body, "gemini-2.5-flash")).toEqual({
      model: "gemini-2.5-flash-001",
      inputTokens: 630,
      cacheReadTokens: 400,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 120,
      reasoningTokens: 70,
    });
  });

  it("streams keep the last usageMetadata (not a sum)", () => {
    const t = a.streamTracker("generate", "gemini-2.5-flash");
    t.onEvent({ event: undefined, raw: "", data: JSON.stringify({ candidates: [], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1 } }) });
    t.onEvent({ event: undefined, raw: "", data: JSON.stringify({ candidates: [] }) });
    t.onEvent({ event: undefined, raw: "", data: JSON.stringify({ candidates: [], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 9 }, modelVersion: "gemini-2.5-flash" }) });
    expect(t.usage()).toMatchObject({ inputTokens: 10, outputTokens: 9 });
  });

  it("a whole streamed array read as JSON gives the last usage", () => {
    const arr = [{ usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 } }, { usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 4 } }];
    expect(a.usageFromBody("generate", arr, "gemini-2.5-pro")).toMatchObject({ model: "gemini-2.5-pro", outputTokens: 4 });
  });

  it("block body and stream error frames are in Gemini's error shape", () => {
    expect(a.errorBody(402, "aegis: over", "budget")).toEqual({ error: { code: 402, message: "aegis: over", status: "RESOURCE_EXHAUSTED" } });
    const sse = a.streamErrorFrame("boom", "unavailable", "sse");
    expect(JSON.parse(sse.slice("data: ".length))).toEqual({ error: { code: 502, message: "boom", status: "UNAVAILABLE" } });
    expect(a.streamErrorFrame("boom", "unavailable", "json-array").startsWith(",")).toBe(true);
  });
});
