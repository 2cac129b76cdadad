// Anthropic's cache-exclusive counts → the normalised Usage (wire-formats.md §2.1, §7).
import type { Usage } from "../../core/usage.js";

/** Anthropic usage counters as read from a response (absent fields read as zero). */
export interface AnthropicCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** `cache_creation_input_tokens`: all cache writes. */
  cacheCreationTokens: number;
  /** The TTL split from `cache_creation`, when the response gives one. */
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  thinkingTokens: number;
}

/**
 * Normalises Anthropic counts: `input_tokens` already excludes the cache; writes without a TTL
 * split (or beyond it) bill as 5-minute writes; thinking is informational, inside the output.
 */
export function usageFromAnthropic(model: string, c: Partial<AnthropicCounts>): Usage {
  const w1h = c.cacheWrite1hTokens ?? 0;
  const split5m = c.cacheWrite5mTokens ?? 0;
  const total = Math.max(c.cacheCreationTokens ?? 0, split5m + w1h);
  const output = c.outputTokens ?? 0;
  return {
    model,
    inputTokens: c.inputTokens ?? 0,
    cacheReadTokens: c.cacheReadTokens ?? 0,
    cacheWrite5mTokens: total - w1h,
    cacheWrite1hTokens: w1h,
    outputTokens: output,
    reasoningTokens: Math.min(c.thinkingTokens ?? 0, output),
  };
}
