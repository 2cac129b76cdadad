// What an integration knows before a call: an estimate to check against the limits, and a
// fingerprint of the prompt for loop detection. A pre-flight check reserves nothing, so the
// estimate aims at the likely cost (tokenx's estimate of the prompt plus the output the request
// caps itself to, none if it sets no cap) rather than a worst case that would refuse ordinary calls
// near a limit; the real usage recorded after the call is what counts.
import { estimateTokenCount } from "tokenx";
import type { Usage } from "../core/usage.js";
import { requestFingerprint } from "../proxy/fingerprint.js";

/**
 * A short stable hash of the API, the model and the prompt content (the proxy's fingerprint).
 * Identical requests share it (the Nth repeat is a loop); five different prompts to one model do
 * not (reference-semantics §9.1). The prompt is taken as JSON would send it (undefined fields
 * dropped, dates as strings …), so that with the proxy's namespace ("openai", "anthropic",
 * "gemini") and the wire's prompt content it equals what the proxy computes on the request body:
 * that is how a call metered by both is recognised as one.
 */
export function promptFingerprint(api: string, model: string, prompt: unknown): string {
  return requestFingerprint(api, model, asJson(prompt));
}

// The value JSON.parse(JSON.stringify(value)) gives; the value itself if it cannot be serialised.
function asJson(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : (JSON.parse(text) as unknown);
  } catch {
    return value;
  }
}

/** The text of a prompt (strings as they are, anything else as JSON) for estimating its tokens. */
function textOf(prompt: unknown): string {
  return typeof prompt === "string" ? prompt : (JSON.stringify(prompt) ?? "");
}

/** The estimated usage of a call about to be made. */
export function estimatedUsage(model: string, prompt: unknown, maxOutputTokens?: number): Usage {
  return {
    model,
    inputTokens: estimateTokenCount(textOf(prompt)),
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: maxOutputTokens !== undefined && Number.isFinite(maxOutputTokens) && maxOutputTokens > 0 ? Math.ceil(maxOutputTokens) : 0,
    reasoningTokens: 0,
  };
}

/** Thrown when a response carries no usage, so the call it paid for cannot be metered. */
export class UsageMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageMissingError";
  }
}
