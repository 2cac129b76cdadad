// The Vercel AI SDK middleware with the real `ai` and `@ai-sdk/openai` against the fake upstream:
// usage from the generate result and from the stream's finish part, and a block thrown in
// wrapGenerate / wrapStream before the upstream is called.
import { describe, expect, it } from "vitest";
import { generateText, streamText, wrapLanguageModel } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { AegisBlockedError, createTracker } from "./tracker.js";
import { localTracker, useFakeLlm } from "./testing.js";
import { aegisMiddleware, usageFromV3 } from "./ai-sdk.js";
import { requestFingerprint } from "../proxy/fingerprint.js";

const fakeLlm = useFakeLlm();
const local = localTracker;
const provider = () => createOpenAI({ apiKey: "test", baseURL: `${fakeLlm().url}/v1` });

describe("aegisMiddleware", () => {
  it("records generateText (chat): $0.006 for 1200 in + 300 out of gpt-4o", async () => {
    const tracker = local();
    const model = wrapLanguageModel({ model: provider().chat("gpt-4o"), middleware: aegisMiddleware(tracker, { agentId: "main" }) });
    const result = await generateText({ model, prompt: "hello", maxRetries: 0 });
    expect(result.text).toBe("Hello from the fake.");
    const report = await tracker.report();
    expect(report.spent).toBe(0.006);
    expect(report.tokens).toEqual({ input: 1200, cache_read: 0, cache_write: 0, output: 300, reasoning: 0 });
    expect(report.by_model).toEqual({ "gpt-4o-2024-08-06": 0.006 });
  });

  it("records cached and cache-write tokens through the Responses API model", async () => {
    const tracker = local();
    const model = wrapLanguageModel({ model: provider().responses("gpt-4o"), middleware: aegisMiddleware(tracker) });
    await generateText({ model, prompt: "#cached", maxRetries: 0 });
    const report = await tracker.report();
    expect(report.spent).toBe(0.004125);
    expect(report.tokens).toEqual({ input: 300, cache_read: 1500, cache_write: 200, output: 100, reasoning: 0 });
  });

  it("records streamText from the finish part, reasoning inside the output", async () => {
    const tracker = local();
    const model = wrapLanguageModel({ model: provider().chat("o4-mini"), middleware: aegisMiddleware(tracker) });
    const result = streamText({ model, prompt: "#reasoning", maxRetries: 0 });
    expect(await result.text).toBe("Hello from the fake.");
    const report = await tracker.report();
    expect(report.spent).toBe(0.00451);
    expect(report.tokens).toEqual({ input: 500, cache_read: 0, cache_write: 0, output: 900, reasoning: 700 });
  });

  it("attributes a call to providerOptions.aegis.agentId", async () => {
    const tracker = local({ config: { agents: { lead: {}, critic: { parent: "lead" } } } });
    const model = wrapLanguageModel({ model: provider().chat("gpt-4o"), middleware: aegisMiddleware(tracker, { agentId: "lead" }) });
    await generateText({ model, prompt: "review", maxRetries: 0, providerOptions: { aegis: { agentId: "critic" } } });
    expect((await tracker.report()).by_agent).toEqual({ critic: 0.006 });
  });

  it("blocks generateText and streamText before the call; the upstream sees nothing", async () => {
    const tracker = local({ config: { cost: { per_call_limit_usd: 0.01 } } });
    const model = wrapLanguageModel({ model: provider().chat("gpt-4o"), middleware: aegisMiddleware(tracker) });
    const before = fakeLlm().total();
    const error = await generateText({ model, prompt: "essay", maxOutputTokens: 2000, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AegisBlockedError);
    let streamError: unknown;
    const stream = streamText({ model, prompt: "essay", maxOutputTokens: 2000, maxRetries: 0, onError: ({ error: e }) => void (streamError = e) });
    await stream.consumeStream();
    expect(streamError).toBeInstanceOf(AegisBlockedError);
    expect(fakeLlm().total()).toBe(before);
  });

  it("five different prompts are not a loop; the fifth identical one is blocked", async () => {
    const tracker = local();
    const model = wrapLanguageModel({ model: provider().chat("gpt-4o-mini"), middleware: aegisMiddleware(tracker) });
    for (let i = 0; i < 5; i++) await generateText({ model, prompt: `question ${i}`, maxRetries: 0 });
    for (let i = 0; i < 4; i++) await generateText({ model, prompt: "same", maxRetries: 0 });
    const before = fakeLlm().total();
    await expect(generateText({ model, prompt: "same", maxRetries: 0 })).rejects.toMatchObject({ dimension: "loop" });
    expect(fakeLlm().total()).toBe(before);
  });

  it("reads Anthropic's raw usage so 1-hour cache writes are told from 5-minute ones", () => {
    const usage = usageFromV3(
      {
        inputTokens: { total: 4300, noCache: 100, cacheRead: 3000, cacheWrite: 1200 },
        outputTokens: { total: 150, text: 150, reasoning: undefined },
        raw: { input_tokens: 100, cache_read_input_tokens: 3000, cache_creation_input_tokens: 1200, cache_creation: { ephemeral_5m_input_tokens: 800, ephemeral_1h_input_tokens: 400 }, output_tokens: 150 },
      },
      "claude-sonnet-4",
      "anthropic.messages",
    );
    expect(usage).toMatchObject({ inputTokens: 100, cacheReadTokens: 3000, cacheWrite5mTokens: 800, cacheWrite1hTokens: 400, outputTokens: 150 });
    expect(usageFromV3({ inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: undefined, text: undefined, reasoning: undefined } }, "m")).toBeUndefined();
  });

  it("reads Anthropic advisor iterations from the raw usage as sub-inferences", () => {
    const usage = usageFromV3(
      {
        inputTokens: { total: 1000, noCache: 1000, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 100, text: 100, reasoning: undefined },
        raw: {
          input_tokens: 1000,
          output_tokens: 100,
          iterations: [
            { type: "message", input_tokens: 1000, output_tokens: 100 },
            { type: "advisor_message", model: "claude-opus-4-6", input_tokens: 10_000, output_tokens: 1_000 },
          ],
        },
      },
      "claude-sonnet-4-6",
      "anthropic.messages",
    );
    expect(usage?.subInferences).toEqual([{ model: "claude-opus-4-6", inputTokens: 10_000, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 1_000, reasoningTokens: 0 }]);
  });
});

describe("aegisMiddleware under aegis run", () => {
  const params = { prompt: [{ role: "user" as const, content: [{ type: "text" as const, text: "Suggest a title." }] }], headers: { "x-user": "kept" } };
  const model = createOpenAI({ apiKey: "test", baseURL: "http://127.0.0.1:9/v1" }).chat("gpt-4o");

  it("sends the agent and its fingerprint as headers for the proxy (remote tracker)", async () => {
    const remote = createTracker({ mode: "remote", url: "http://127.0.0.1:9", token: "t" });
    const out = await aegisMiddleware(remote, { agentId: "lead" }).transformParams?.({ type: "generate", params, model });
    expect(out?.headers).toEqual({ "x-user": "kept", "x-aegis-agent": "lead", "x-aegis-fingerprint": requestFingerprint("ai-sdk:openai.chat", "gpt-4o", params.prompt) });
    const perCall = await aegisMiddleware(remote, { agentId: "lead" }).transformParams?.({ type: "generate", params: { ...params, providerOptions: { aegis: { agentId: "critic" } } }, model });
    expect(perCall?.headers?.["x-aegis-agent"]).toBe("critic");
  });

  it("leaves the request alone in local mode (no aegis proxy to read the headers)", async () => {
    const out = await aegisMiddleware(local(), { agentId: "lead" }).transformParams?.({ type: "generate", params, model });
    expect(out).toBe(params);
  });
});
