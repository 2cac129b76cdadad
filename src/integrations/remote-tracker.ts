// The tracker of a process running under `aegis run`: every check and record goes to the
// session's metering API (DESIGN §4), so the session's config, ledger and agent tree govern.
import { promptTokensOf, type Usage } from "../core/usage.js";
import type { SessionReport } from "../core/report/types.js";
import { createMeter, type MeterOptions, type MeterSubInference, type MeterUsage } from "../client/index.js";
import type { CallOptions, Tracker } from "./tracker.js";

// A usage's token counts in the metering API's prompt-inclusive fields (zero counts left out).
function meterCounts(usage: Usage): MeterSubInference {
  const body: MeterSubInference = { model: usage.model, input_tokens: promptTokensOf(usage), output_tokens: usage.outputTokens };
  if (usage.cacheReadTokens > 0) body.cached_tokens = usage.cacheReadTokens;
  if (usage.cacheWrite5mTokens > 0) body.cache_write_tokens = usage.cacheWrite5mTokens;
  if (usage.cacheWrite1hTokens > 0) body.cache_write_1h_tokens = usage.cacheWrite1hTokens;
  if (usage.reasoningTokens > 0) body.reasoning_tokens = usage.reasoningTokens;
  return body;
}

/**
 * The metering API's prompt-inclusive body for a normalised usage: 5-minute and 1-hour cache
 * writes go in their own fields, so each is priced at its own rate; web searches in theirs;
 * sub-inferences (advisor iterations) in `sub_inferences`, each billed at its own model's rates.
 */
export function toMeterUsage(usage: Usage, options: CallOptions = {}): MeterUsage {
  const body: MeterUsage = meterCounts(usage);
  if ((usage.webSearchRequests ?? 0) > 0) body.web_search_requests = usage.webSearchRequests;
  const subs = usage.subInferences ?? [];
  if (subs.length > 0) body.sub_inferences = subs.map(meterCounts);
  if (options.agentId !== undefined) body.agent_id = options.agentId;
  if (options.actionType !== undefined) body.action_type = options.actionType;
  if (options.fingerprint !== undefined) body.fingerprint = options.fingerprint;
  return body;
}

/** Creates a tracker backed by the metering API; throws NotUnderAegisError outside `aegis run`. */
export function createRemoteTracker(options: MeterOptions = {}): Tracker {
  const meter = createMeter(options);
  return {
    mode: "remote",
    check: (usage, o) => meter.check(toMeterUsage(usage, o)),
    record: (usage, o) => meter.record(toMeterUsage(usage, o)),
    // The metering API answers the same versioned report object the local engine builds.
    report: async () => (await meter.report()) as unknown as SessionReport,
  };
}
