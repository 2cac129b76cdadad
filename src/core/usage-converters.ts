// Converters from the providers' own usage objects (wire field names, docs/wire-formats.md §2.1,
// §3.2, §7) to the normalised Usage. The prompt-inclusive one (OpenAI, metering API) lives in
// usage.ts; Anthropic counts the cache outside `input_tokens`, Gemini inside `promptTokenCount`.
import { UsageShapeError, type Usage } from "./usage.js";

/** One entry of Anthropic's `usage.iterations[]` (compaction, advisor runs, fallbacks). */
export interface AnthropicIterationWire {
  type?: string;
  model?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The TTL split of `cache_creation_input_tokens` (advisor iterations carry it). */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
}

/** Anthropic Messages `usage` as it arrives on the wire (absent or null counts read as zero). */
export interface AnthropicUsageWire {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  iterations?: AnthropicIterationWire[] | null;
  /** Server-side tools the API ran; web searches bill per request (wire-formats.md §2.1). */
  server_tool_use?: { web_search_requests?: number | null } | null;
}

/** Gemini `usageMetadata` as it arrives on the wire. */
export interface GeminiUsageWire {
  promptTokenCount?: number | null;
  candidatesTokenCount?: number | null;
  cachedContentTokenCount?: number | null;
  thoughtsTokenCount?: number | null;
  toolUsePromptTokenCount?: number | null;
}

// A wire count: absent/null → 0; anything but a non-negative integer is refused, naming the field.
function count(field: string, v: number | null | undefined): number {
  if (v === undefined || v === null) return 0;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new UsageShapeError(field, `${field} must be a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

// Iterations billed at the call's own model: executor turns. Advisor turns bill at the advisor's rates.
const EXECUTOR_ITERATIONS = new Set(["message", "compaction"]);

/**
 * Normalises Anthropic usage. `input_tokens` excludes cache reads and writes; the write TTL split
 * comes from `cache_creation` (writes it does not account for, or all writes when it is null,
 * bill as 5-minute writes). When `iterations` is present the executor turns are summed for input
 * and output, because the top-level totals leave compaction out — except when a fallback served
 * the turn, where the top level already describes what was billed. Web searches
 * (`server_tool_use.web_search_requests`) are counted, and billed per request by costOf.
 */
export function usageFromAnthropic(model: string, u: AnthropicUsageWire): Usage {
  let input = count("input_tokens", u.input_tokens);
  let output = count("output_tokens", u.output_tokens);
  const iterations = u.iterations ?? [];
  const executor = iterations.filter((it) => EXECUTOR_ITERATIONS.has(it.type ?? "message"));
  if (executor.length > 0 && !iterations.some((it) => it.type === "fallback_message")) {
    input = 0;
    output = 0;
    for (const it of executor) {
      input += count("iterations[].input_tokens", it.input_tokens);
      output += count("iterations[].output_tokens", it.output_tokens);
    }
  }
  const writes = count("cache_creation_input_tokens", u.cache_creation_input_tokens);
  const w1h = count("cache_creation.ephemeral_1h_input_tokens", u.cache_creation?.ephemeral_1h_input_tokens);
  const w5m = Math.max(count("cache_creation.ephemeral_5m_input_tokens", u.cache_creation?.ephemeral_5m_input_tokens), writes - w1h);
  const thinking = count("output_tokens_details.thinking_tokens", u.output_tokens_details?.thinking_tokens);
  const searches = count("server_tool_use.web_search_requests", u.server_tool_use?.web_search_requests);
  const usage: Usage = {
    model,
    inputTokens: input,
    cacheReadTokens: count("cache_read_input_tokens", u.cache_read_input_tokens),
    cacheWrite5mTokens: w5m,
    cacheWrite1hTokens: w1h,
    outputTokens: output,
    reasoningTokens: Math.min(thinking, output),
  };
  // Only the count: costOf prices it from the model's entry (every built-in Anthropic one has it).
  if (searches > 0) usage.webSearchRequests = searches;
  return usage;
}

/**
 * Advisor sub-inferences in Anthropic's `iterations`: billed at the advisor model's rates, so they
 * are separate usages (model "" when the API did not name it: unpriceable, hence treated as an
 * unknown model, never priced as the executor). Cache writes split by TTL as at the top level (the
 * advisor tool's `caching` may ask for 1-hour writes). The wire gives no thinking count for them:
 * their thinking is inside output_tokens, billed as output, and reasoningTokens stays 0.
 */
export function advisorUsagesFromAnthropic(u: AnthropicUsageWire): Usage[] {
  return (u.iterations ?? [])
    .filter((it) => it.type === "advisor_message")
    .map((it) => {
      const writes = count("iterations[].cache_creation_input_tokens", it.cache_creation_input_tokens);
      const w1h = count("iterations[].cache_creation.ephemeral_1h_input_tokens", it.cache_creation?.ephemeral_1h_input_tokens);
      const w5m = Math.max(count("iterations[].cache_creation.ephemeral_5m_input_tokens", it.cache_creation?.ephemeral_5m_input_tokens), writes - w1h);
      return {
        model: typeof it.model === "string" ? it.model : "",
        inputTokens: count("iterations[].input_tokens", it.input_tokens),
        cacheReadTokens: count("iterations[].cache_read_input_tokens", it.cache_read_input_tokens),
        cacheWrite5mTokens: w5m,
        cacheWrite1hTokens: w1h,
        outputTokens: count("iterations[].output_tokens", it.output_tokens),
        reasoningTokens: 0,
      };
    });
}

/**
 * A whole Anthropic call: the executor's usage (usageFromAnthropic) with its advisor iterations as
 * sub-inferences (advisorUsagesFromAnthropic). The proxy's adapter and the in-process
 * integrations both read Anthropic usage through it, so they bill a call alike.
 */
export function callUsageFromAnthropic(model: string, u: AnthropicUsageWire): Usage {
  const usage = usageFromAnthropic(model, u);
  const advisors = advisorUsagesFromAnthropic(u);
  if (advisors.length > 0) usage.subInferences = advisors;
  return usage;
}

/**
 * Normalises Gemini `usageMetadata`: `promptTokenCount` includes cached content, tool-use prompt
 * tokens bill as input, and billed output is candidates plus thoughts (thinking bills as output).
 */
export function usageFromGemini(model: string, m: GeminiUsageWire): Usage {
  const prompt = count("promptTokenCount", m.promptTokenCount);
  const cached = count("cachedContentTokenCount", m.cachedContentTokenCount);
  if (cached > prompt) {
    throw new UsageShapeError(
      "cachedContentTokenCount",
      `cachedContentTokenCount (${cached}) cannot exceed promptTokenCount (${prompt}): cached content is part of the prompt`,
    );
  }
  const thoughts = count("thoughtsTokenCount", m.thoughtsTokenCount);
  return {
    model,
    inputTokens: prompt - cached + count("toolUsePromptTokenCount", m.toolUsePromptTokenCount),
    cacheReadTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: count("candidatesTokenCount", m.candidatesTokenCount) + thoughts,
    reasoningTokens: thoughts,
  };
}
