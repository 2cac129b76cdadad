// Anthropic extractor (`aegis-governor/integrations/anthropic`): Messages and the final message of
// a stream (`stream.finalMessage()`), read with the core's converter (wire-formats.md §2):
// input_tokens excludes the cache; cache reads, 5-minute and 1-hour cache writes are billed
// apart (the reference priced writes as reads and subtracted the cache twice, §9.12); advisor
// iterations (`usage.iterations[]` advisor_message) are sub-inferences at the advisor model's rates.
import { callUsageFromAnthropic, type AnthropicUsageWire } from "../core/usage-converters.js";
import { webSearchBound } from "../proxy/providers/anthropic-tools.js";
import type { CallOptions, Tracker } from "./tracker.js";
import { createSdkMeter, type SdkMeter } from "./sdk-meter.js";

/** What is read from a messages request (the SDK's params satisfy it). */
export interface AnthropicRequest {
  model: string;
  messages: unknown;
  system?: unknown;
  max_tokens?: number;
  /** Server tools: a web search tool's `max_uses` bounds the searches the pre-flight check counts. */
  tools?: unknown;
}

/** A Message (or a stream's final message), as the SDK returns it. */
export interface AnthropicResult {
  model: string;
  usage?: AnthropicUsageWire | null;
}

/** The Anthropic meter. */
export type AnthropicMeter = SdkMeter<AnthropicRequest, AnthropicResult>;

/** Creates the Anthropic meter on a tracker. */
export function anthropicMeter(tracker: Tracker, defaults: CallOptions = {}): AnthropicMeter {
  return createSdkMeter<AnthropicRequest, AnthropicResult>(
    {
      api: "anthropic",
      label: "Anthropic message",
      model: (r) => r.model,
      prompt: (r) => [r.system ?? null, r.messages],
      maxOutputTokens: (r) => r.max_tokens,
      // The proxy's bound (max_uses, else 10 per tool), so a model with no search rate is refused before the call.
      webSearches: (r) => webSearchBound(r.tools),
      // The proxy adapter's converter: advisor iterations ride along as sub-inferences, billed at the advisor's rates.
      usage: (res, model) => (res.usage == null ? undefined : callUsageFromAnthropic(res.model !== "" ? res.model : model, res.usage)),
    },
    tracker,
    defaults,
  );
}
