// The normalised usage record: every billed token sits in exactly one bucket, whatever the
// provider's own convention (OpenAI and Gemini count cache reads inside the prompt count,
// Anthropic outside it). Converters from each convention live beside the provider code; the
// prompt-inclusive one below also serves the metering API.

/** Provider families whose billing conventions aegis knows. */
export type Provider = "openai" | "anthropic" | "gemini" | "other";

/** One call's billed tokens, each in exactly one bucket. */
export interface Usage {
  /** The model id as the provider or caller named it (resolved against the pricing table later). */
  model: string;
  /** Fresh input tokens billed at the input rate (no cache reads, no cache writes). */
  inputTokens: number;
  /** Input tokens served from the prompt cache. */
  cacheReadTokens: number;
  /** Input tokens written to the cache with the 5-minute TTL (or the provider's only kind of write). */
  cacheWrite5mTokens: number;
  /** Input tokens written to the cache with the 1-hour TTL (Anthropic). */
  cacheWrite1hTokens: number;
  /** All billed output tokens, reasoning/thinking included. */
  outputTokens: number;
  /** Reasoning/thinking tokens: informational, already inside outputTokens. */
  reasoningTokens: number;
  /**
   * Server-side web searches the provider ran for the call (Anthropic
   * `usage.server_tool_use.web_search_requests`), billed per request, not per token; absent = 0.
   */
  webSearchRequests?: number;
  /**
   * Inferences the provider ran inside this call on other models, each billed at its own model's
   * rates (Anthropic advisor iterations, `usage.iterations[].type === "advisor_message"`): not part
   * of the counts above. Absent = none.
   */
  subInferences?: Usage[];
}

/** Counts in the prompt-inclusive convention (OpenAI, Gemini, the metering API). */
export interface PromptInclusiveCounts {
  model: string;
  promptTokens: number;
  cachedTokens?: number;
  /** Cache writes at the 5-minute TTL (or the provider's only kind of write). */
  cacheWriteTokens?: number;
  /** Cache writes at the 1-hour TTL (Anthropic, billed 2× input), apart from cacheWriteTokens. */
  cacheWrite1hTokens?: number;
  completionTokens: number;
  reasoningTokens?: number;
  /** Server-side web searches (billed per request, not per token). */
  webSearchRequests?: number;
}

/** Why a set of counts cannot be a real usage (the field it names and what was wrong). */
export class UsageShapeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "UsageShapeError";
  }
}

/**
 * Normalises prompt-inclusive counts: cached and cache-write tokens are subsets of the prompt,
 * reasoning a subset of the completion. Counts that cannot be subsets are rejected rather than
 * priced (the reference charged 1000 cached tokens on a 100-token prompt).
 */
export function usageFromPromptInclusive(c: PromptInclusiveCounts): Usage {
  const cached = c.cachedTokens ?? 0;
  const writes = c.cacheWriteTokens ?? 0;
  const writes1h = c.cacheWrite1hTokens ?? 0;
  const reasoning = c.reasoningTokens ?? 0;
  if (cached + writes + writes1h > c.promptTokens) {
    const parts = writes1h > 0 ? `cached_tokens (${cached}), cache_write_tokens (${writes}) and cache_write_1h_tokens (${writes1h})` : `cached_tokens (${cached}) plus cache_write_tokens (${writes})`;
    throw new UsageShapeError(writes1h > 0 ? "cache_write_1h_tokens" : "cached_tokens", `${parts} cannot exceed input_tokens (${c.promptTokens}): they are part of the prompt`);
  }
  if (reasoning > c.completionTokens) {
    throw new UsageShapeError(
      "reasoning_tokens",
      `reasoning_tokens (${reasoning}) cannot exceed output_tokens (${c.completionTokens}): reasoning is part of the output`,
    );
  }
  const usage: Usage = {
    model: c.model,
    inputTokens: c.promptTokens - cached - writes - writes1h,
    cacheReadTokens: cached,
    cacheWrite5mTokens: writes,
    cacheWrite1hTokens: writes1h,
    outputTokens: c.completionTokens,
    reasoningTokens: reasoning,
  };
  const searches = c.webSearchRequests ?? 0;
  if (searches > 0) usage.webSearchRequests = searches;
  return usage;
}

/** The whole prompt size (fresh + cache reads + cache writes): what long-context tiers test. */
export function promptTokensOf(u: Usage): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWrite5mTokens + u.cacheWrite1hTokens;
}

/** Tokens that count against a per-minute token limit: the whole prompt plus the output, sub-inferences included. */
export function rateTokensOf(u: Usage): number {
  let tokens = promptTokensOf(u) + u.outputTokens;
  for (const sub of u.subInferences ?? []) tokens += rateTokensOf(sub);
  return tokens;
}
