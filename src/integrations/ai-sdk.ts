// Vercel AI SDK middleware (`aegis-governor/integrations/ai-sdk`) for `wrapLanguageModel` (ai@6,
// middleware spec v3). wrapGenerate / wrapStream check the prompt before the call and throw
// AegisBlockedError to stop it; they record the result's usage, or the stream's `finish` part's,
// tapped with a TransformStream as it passes. A call's `providerOptions.aegis.agentId` overrides
// the middleware's agent (providers ignore option namespaces that are not theirs).
// Under `aegis run` (a remote tracker) the provider's request also carries `x-aegis-agent` and
// `x-aegis-fingerprint` (set in transformParams): the AI SDK rewrites the prompt into each
// provider's wire format, so the middleware cannot compute the proxy's fingerprint of the body;
// with the headers, a call that goes through the aegis proxy is charged to the right agent there
// and this middleware's record of it is recognised as the same call (not charged twice). The
// proxy strips both headers; a provider reached directly ignores them.
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Middleware, LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { usageFromPromptInclusive, type Usage } from "../core/usage.js";
import { callUsageFromAnthropic, type AnthropicUsageWire } from "../core/usage-converters.js";
import type { CallOptions, Tracker } from "./tracker.js";
import { estimatedUsage, promptFingerprint } from "./preflight.js";
import { AGENT_HEADER, FINGERPRINT_HEADER } from "../proxy/headers.js";

/** Options of the middleware. */
export interface AegisMiddlewareOptions {
  /** Agent of the delegation tree the wrapped model's calls are charged to. */
  agentId?: string;
  actionType?: string;
}

const n = (v: number | undefined): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * The exact usage of a call from the SDK's normalised usage (prompt-inclusive: cache reads and
 * writes inside inputTokens.total, reasoning inside outputTokens.total), or undefined when the
 * provider reported none. For Anthropic the raw usage is read instead: only it tells 1-hour cache
 * writes (billed 2× input) from 5-minute ones, and advisor iterations (sub-inferences at the
 * advisor model's rates) from the executor's turns.
 */
export function usageFromV3(usage: LanguageModelV3Usage, model: string, provider = ""): Usage | undefined {
  if (provider.startsWith("anthropic") && usage.raw !== undefined) {
    // The raw object is Anthropic's own `usage`; the converter (the proxy adapter's) checks every count it reads.
    return callUsageFromAnthropic(model, usage.raw as AnthropicUsageWire);
  }
  const { inputTokens: i, outputTokens: o } = usage;
  if (i.total === undefined && i.noCache === undefined && o.total === undefined && o.text === undefined) return undefined;
  const prompt = i.total ?? n(i.noCache) + n(i.cacheRead) + n(i.cacheWrite);
  const completion = o.total ?? n(o.text) + n(o.reasoning);
  const cached = Math.min(n(i.cacheRead), prompt);
  return usageFromPromptInclusive({
    model,
    promptTokens: prompt,
    cachedTokens: cached,
    cacheWriteTokens: Math.min(n(i.cacheWrite), prompt - cached),
    completionTokens: completion,
    reasoningTokens: Math.min(n(o.reasoning), completion),
  });
}

/** Creates the middleware: `wrapLanguageModel({ model, middleware: aegisMiddleware(tracker) })`. */
export function aegisMiddleware(tracker: Tracker, defaults: AegisMiddlewareOptions = {}): LanguageModelV3Middleware {
  const callOptions = (model: LanguageModelV3, params: LanguageModelV3CallOptions): CallOptions => {
    const perCall = params.providerOptions?.aegis?.agentId;
    const agentId = typeof perCall === "string" && perCall !== "" ? perCall : defaults.agentId;
    return {
      ...(agentId !== undefined ? { agentId } : {}),
      ...(defaults.actionType !== undefined ? { actionType: defaults.actionType } : {}),
      fingerprint: promptFingerprint(`ai-sdk:${model.provider}`, model.modelId, params.prompt),
    };
  };

  const record = async (usage: LanguageModelV3Usage, modelId: string, model: LanguageModelV3, options: CallOptions): Promise<void> => {
    const exact = usageFromV3(usage, modelId, model.provider);
    if (exact === undefined) {
      process.emitWarning(`aegis: the ${model.provider} ${modelId} call reported no token usage, so its cost was not recorded`);
      return;
    }
    await tracker.record(exact, options);
  };

  return {
    specificationVersion: "v3",
    async transformParams({ params, model }) {
      if (tracker.mode !== "remote") return params;
      const options = callOptions(model, params);
      const headers: Record<string, string | undefined> = { ...params.headers, [FINGERPRINT_HEADER]: options.fingerprint };
      if (options.agentId !== undefined) headers[AGENT_HEADER] = options.agentId;
      return { ...params, headers };
    },
    async wrapGenerate({ doGenerate, params, model }) {
      const options = callOptions(model, params);
      await tracker.check(estimatedUsage(model.modelId, params.prompt, params.maxOutputTokens), options);
      const result = await doGenerate();
      await record(result.usage, result.response?.modelId ?? model.modelId, model, options);
      return result;
    },
    async wrapStream({ doStream, params, model }) {
      const options = callOptions(model, params);
      await tracker.check(estimatedUsage(model.modelId, params.prompt, params.maxOutputTokens), options);
      const result = await doStream();
      let modelId = model.modelId;
      const tap = new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        async transform(part, controller) {
          if (part.type === "response-metadata" && part.modelId !== undefined) modelId = part.modelId;
          if (part.type === "finish") {
            // Recorded before `finish` passes on, so a block surfaces as this stream's error.
            try {
              await record(part.usage, modelId, model, options);
            } catch (error) {
              controller.error(error);
              return;
            }
          }
          controller.enqueue(part);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(tap) };
    },
  };
}
