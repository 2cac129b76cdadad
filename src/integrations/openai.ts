// OpenAI extractor (`aegis-governor/integrations/openai`): chat completions, Responses and streamed
// chat chunks, read from the official SDK's objects by the wire rules (wire-formats.md
// §1): cached_tokens and cache_write_tokens are parts of the prompt, reasoning_tokens part of the
// output (counts that cannot be parts are refused with UsageShapeError, not priced). The reference read `usage.cache_read_input_tokens`, which OpenAI never sends (§9.11).
import { usageFromPromptInclusive, type Usage } from "../core/usage.js";
import type { MeterDecision } from "../client/index.js";
import type { CallOptions, Tracker } from "./tracker.js";
import { createSdkMeter, type SdkMeter } from "./sdk-meter.js";
import { UsageMissingError } from "./preflight.js";

/** What is read from a chat completions or Responses request (the SDK's params satisfy it). */
export interface OpenAIRequest {
  model: string;
  messages?: unknown;
  input?: unknown;
  instructions?: unknown;
  previous_response_id?: unknown;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  max_output_tokens?: number | null;
  stream_options?: { include_usage?: boolean | null } | null;
}

/** Chat completions `usage` (CompletionUsage) or Responses `usage` (ResponseUsage). */
export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** A ChatCompletion, a Response or a final chat chunk, as the SDK returns them. */
export interface OpenAIResult {
  object: string;
  model: string;
  usage?: OpenAIUsage | null;
}

/** The exact usage of a chat completion (chunk) or a Response, or undefined when it has none. */
export function usageFromOpenAI(result: OpenAIResult, requestModel = ""): Usage | undefined {
  const u = result.usage;
  if (u == null) return undefined;
  const model = result.model !== "" ? result.model : requestModel;
  if (result.object === "response") {
    return usageFromPromptInclusive({
      model,
      promptTokens: u.input_tokens ?? 0,
      cachedTokens: u.input_tokens_details?.cached_tokens ?? 0,
      cacheWriteTokens: u.input_tokens_details?.cache_write_tokens ?? 0,
      completionTokens: u.output_tokens ?? 0,
      reasoningTokens: u.output_tokens_details?.reasoning_tokens ?? 0,
    });
  }
  return usageFromPromptInclusive({
    model,
    promptTokens: u.prompt_tokens ?? 0,
    cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: u.prompt_tokens_details?.cache_write_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  });
}

/** The OpenAI meter: check a request, record a completion or response, or a streamed chat's chunks. */
export interface OpenAIMeter extends SdkMeter<OpenAIRequest, OpenAIResult> {
  /**
   * Records a streamed chat completion from its chunks (usage is on the last one). Throws
   * UsageMissingError saying why when the stream carried none: without
   * `stream_options: { include_usage: true }` OpenAI sends no usage at all.
   */
  recordStream(chunks: Iterable<OpenAIResult>, request?: OpenAIRequest, options?: CallOptions): Promise<MeterDecision>;
}

const positive = (n: number | null | undefined): number | undefined => (typeof n === "number" && n > 0 ? n : undefined);

/** Creates the OpenAI meter on a tracker. */
export function openaiMeter(tracker: Tracker, defaults: CallOptions = {}): OpenAIMeter {
  const meter = createSdkMeter<OpenAIRequest, OpenAIResult>(
    {
      api: "openai",
      label: "OpenAI response",
      model: (r) => r.model,
      prompt: (r) => (r.messages !== undefined ? r.messages : [r.instructions ?? null, r.input ?? null, r.previous_response_id ?? null]),
      maxOutputTokens: (r) => positive(r.max_completion_tokens) ?? positive(r.max_tokens) ?? positive(r.max_output_tokens),
      usage: usageFromOpenAI,
    },
    tracker,
    defaults,
  );
  return {
    ...meter,
    async recordStream(chunks, request, options) {
      let last: OpenAIResult | undefined;
      for (const chunk of chunks) if (chunk.usage != null) last = chunk;
      if (last === undefined) {
        const asked = request?.stream_options?.include_usage === true;
        throw new UsageMissingError(
          asked
            ? "aegis: the OpenAI stream ended without its usage chunk (was it interrupted?), so its cost cannot be recorded"
            : "aegis: the OpenAI stream carried no usage because include_usage was not requested: create it with stream_options: { include_usage: true } so its cost can be recorded",
        );
      }
      return meter.record(last, request, options);
    },
  };
}
