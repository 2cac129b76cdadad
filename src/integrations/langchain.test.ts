// The LangChain.js handler with the real @langchain/core and @langchain/openai against the fake
// upstream: usage from usage_metadata (plain, cached, reasoning, streamed), attribution per call,
// and a pre-flight block thrown from handleChatModelStart that stops the call before the upstream.
import { describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import type { LLMResult } from "@langchain/core/outputs";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { requestFingerprint } from "../proxy/fingerprint.js";
import { AegisBlockedError, type Tracker } from "./tracker.js";
import { localTracker, useFakeLlm } from "./testing.js";
import { AegisCallbackHandler, usageFromLLMResult } from "./langchain.js";

const fakeLlm = useFakeLlm();
const local = localTracker;
const chat = (tracker: Tracker, fields: { model?: string; maxTokens?: number } = {}, agentId?: string): ChatOpenAI =>
  new ChatOpenAI({
    model: fields.model ?? "gpt-4o",
    apiKey: "test",
    maxRetries: 0,
    configuration: { baseURL: `${fakeLlm().url}/v1` },
    ...(fields.maxTokens !== undefined ? { maxTokens: fields.maxTokens } : {}),
    callbacks: [new AegisCallbackHandler(tracker, agentId !== undefined ? { agentId } : {})],
  });

describe("AegisCallbackHandler", () => {
  it("records a plain invoke from usage_metadata: $0.006", async () => {
    const tracker = local();
    await chat(tracker).invoke("hello");
    const report = await tracker.report();
    expect(report.spent).toBe(0.006);
    expect(report.tokens).toEqual({ input: 1200, cache_read: 0, cache_write: 0, output: 300, reasoning: 0 });
    expect(report.by_model).toEqual({ "gpt-4o-2024-08-06": 0.006 });
  });

  it("reads cache reads from input_token_details and cache writes from the raw usage ChatOpenAI keeps", async () => {
    const tracker = local();
    await chat(tracker).invoke("#cached");
    const report = await tracker.report();
    expect(report.spent).toBe(0.004125);
    expect(report.tokens).toEqual({ input: 300, cache_read: 1500, cache_write: 200, output: 100, reasoning: 0 });
  });

  it("records a streamed call (ChatOpenAI asks for include_usage) with its reasoning tokens", async () => {
    const tracker = local();
    let text = "";
    for await (const chunk of await chat(tracker, { model: "o4-mini" }).stream("#reasoning")) text += String(chunk.content);
    expect(text).toBe("Hello from the fake.");
    const report = await tracker.report();
    expect(report.spent).toBe(0.00451);
    expect(report.tokens).toMatchObject({ input: 500, output: 900, reasoning: 700 });
  });

  it("charges the handler's agent, or the call's metadata.aegis_agent_id, in the tree", async () => {
    const tracker = local({ config: { agents: { orchestrator: {}, researcher: { parent: "orchestrator" }, writer: { parent: "orchestrator" } } } });
    const researcher = chat(tracker, {}, "researcher");
    await researcher.invoke("find sources");
    await researcher.invoke("draft it", { metadata: { aegis_agent_id: "writer" } });
    const report = await tracker.report();
    expect(report.by_agent).toEqual({ researcher: 0.006, writer: 0.006 });
    const root = report.agents[0];
    expect(root?.agent_id).toBe("orchestrator");
    expect(root?.delegated).toBe(0.012);
  });

  it("blocks in handleChatModelStart: invoke rejects with AegisBlockedError and the upstream sees nothing", async () => {
    const tracker = local({ config: { cost: { per_call_limit_usd: 0.01 } } });
    const before = fakeLlm().total();
    const error = await chat(tracker, { maxTokens: 2000 }).invoke("write an essay").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AegisBlockedError);
    expect((error as AegisBlockedError).dimension).toBe("per_call");
    expect(fakeLlm().total()).toBe(before);
  });

  it("five different prompts are not a loop; the fifth identical prompt is blocked before the call", async () => {
    const tracker = local();
    const model = chat(tracker, { model: "gpt-4o-mini" });
    for (let i = 0; i < 5; i++) await model.invoke(`question ${i}`);
    for (let i = 0; i < 4; i++) await model.invoke("same question");
    const before = fakeLlm().total();
    await expect(model.invoke("same question")).rejects.toMatchObject({ name: "AegisBlockedError", dimension: "loop" });
    expect(fakeLlm().total()).toBe(before);
  });

  it("falls back to llmOutput.tokenUsage and its model_name when no message carries usage_metadata", () => {
    const result: LLMResult = { generations: [[{ text: "hi" }]], llmOutput: { model_name: "gpt-4o", tokenUsage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } } };
    expect(usageFromLLMResult(result)).toEqual({ model: "gpt-4o", inputTokens: 10, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 5, reasoningTokens: 0 });
    expect(usageFromLLMResult({ generations: [[{ text: "hi" }]] })).toBeUndefined();
  });
});

describe("AegisCallbackHandler fingerprints under aegis run", () => {
  // A remote-mode tracker that only remembers what it was asked.
  const spy = () => {
    const calls: { kind: "check" | "record"; fingerprint: string | undefined }[] = [];
    const decision = { action: "allow" as const, reason: "", dimension: "", cost_usd: 0, cumulative_usd: 0, fatal: false, alerts: [] };
    const tracker: Tracker = {
      mode: "remote",
      check: async (_u, o) => (calls.push({ kind: "check", fingerprint: o?.fingerprint }), decision),
      record: async (_u, o) => (calls.push({ kind: "record", fingerprint: o?.fingerprint }), decision),
      report: () => Promise.reject(new Error("unused")),
    };
    return { tracker, calls };
  };

  it("ChatOpenAI on Chat Completions: the proxy's fingerprint of the wire messages, on the check and the record", async () => {
    const { tracker, calls } = spy();
    await chat(tracker).invoke([new SystemMessage("Be brief."), new HumanMessage("Plan a review.")]);
    const wire = requestFingerprint("openai", "gpt-4o", [{ role: "system", content: "Be brief." }, { role: "user", content: "Plan a review." }]);
    expect(calls).toEqual([{ kind: "check", fingerprint: wire }, { kind: "record", fingerprint: wire }]);
  });

  it("ChatOpenAI on the Responses API (wire body not reproduced): the record goes without a fingerprint", async () => {
    const { tracker, calls } = spy();
    const model = new ChatOpenAI({ model: "gpt-4o", apiKey: "test", maxRetries: 0, useResponsesApi: true, configuration: { baseURL: `${fakeLlm().url}/v1` }, callbacks: [new AegisCallbackHandler(tracker)] });
    await model.invoke("Plan a review.");
    expect(calls.map((c) => c.kind)).toEqual(["check", "record"]);
    expect(calls[0]?.fingerprint).toMatch(/^[\w-]{27}$/);
    expect(calls[0]?.fingerprint).not.toBe(requestFingerprint("openai", "gpt-4o", [{ role: "user", content: "Plan a review." }]));
    expect(calls[1]?.fingerprint).toBeUndefined();
  });
});
