// Converters from a validated config to the core contracts (money in nanos, camelCase).
import { usdToNanos } from "../core/money.js";
import type { AgentSpec, Limits } from "../core/policy/types.js";
import type { ModelPrice, Rates } from "../core/pricing/types.js";
import { ANTHROPIC_WEB_SEARCH_PER_1K } from "../core/pricing/builtin-prices.js";
import type { Provider } from "../core/usage.js";
import type { AegisConfig } from "./schema.js";

/** The cost limits of a config; absent limits stay absent (not enforced). */
export function toLimits(config: AegisConfig): Limits {
  const cost = config.cost;
  const loop = cost.loop_detection;
  const limits: Limits = {
    alertThreshold: cost.alert_threshold,
    onExceed: cost.on_exceed,
    dailyResetTimezone: cost.daily_reset_timezone,
    // Disabled loop detection is a threshold no count reaches, so every governor honours it.
    loop:
      loop === false
        ? { windowSeconds: 60, threshold: Number.POSITIVE_INFINITY }
        : { windowSeconds: loop.window_seconds, threshold: loop.threshold },
  };
  if (cost.budget_usd !== undefined) limits.budget = usdToNanos(cost.budget_usd);
  if (cost.per_call_limit_usd !== undefined) limits.perCall = usdToNanos(cost.per_call_limit_usd);
  if (cost.per_session_limit_usd !== undefined) limits.perSession = usdToNanos(cost.per_session_limit_usd);
  if (cost.daily_budget_usd !== undefined) limits.daily = usdToNanos(cost.daily_budget_usd);
  if (cost.per_minute_tokens !== undefined) limits.perMinuteTokens = cost.per_minute_tokens;
  return limits;
}

/** The delegation tree, in the order the agents are written. */
export function toAgentSpecs(config: AegisConfig): AgentSpec[] {
  return Object.entries(config.agents).map(([id, agent]) => {
    const spec: AgentSpec = { id };
    if (agent.parent !== undefined) spec.parent = agent.parent;
    if (agent.budget_usd !== undefined) spec.budget = usdToNanos(agent.budget_usd);
    return spec;
  });
}

/**
 * The `pricing:` entries as model prices (origin "config", source "aegis.yaml"). `checked` is the
 * date to stamp them with; pure code cannot read the clock, so it defaults to "config".
 */
export function toPricingOverrides(config: AegisConfig, checked = "config"): ModelPrice[] {
  return Object.entries(config.pricing).map(([rawId, entry]) => {
    const id = rawId.toLowerCase();
    const price: ModelPrice = {
      id,
      provider: entry.provider ?? inferProvider(id),
      ...rates(entry),
      source: "aegis.yaml",
      checked,
      origin: "config",
    };
    // The entry's own search rate wins; otherwise Anthropic bills web searches per request whatever
    // the token rates, so an Anthropic entry keeps that price. Any other entry has none (refused).
    if (entry.web_search_per_1k !== undefined) price.webSearchPer1k = entry.web_search_per_1k;
    else if (price.provider === "anthropic") price.webSearchPer1k = ANTHROPIC_WEB_SEARCH_PER_1K;
    if (entry.max_output_tokens !== undefined) price.maxOutputTokens = entry.max_output_tokens;
    if (entry.long_context !== undefined) {
      price.longContext = { aboveTokens: entry.long_context.above_tokens, ...rates(entry.long_context) };
    }
    return price;
  });
}

/**
 * The provider family for a model id the config did not give one for, from the official id
 * prefixes; anything else is "other". Only billing conventions depend on it, never the rates.
 */
export function inferProvider(id: string): Provider {
  if (/^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage)/.test(id)) return "openai";
  if (id.startsWith("claude-")) return "anthropic";
  if (id.startsWith("gemini-") || id.startsWith("models/gemini-")) return "gemini";
  return "other";
}

// Config rate keys → core Rates (optional rates stay absent: the core defines their fallbacks).
function rates(entry: { input: number; output: number; cached?: number; cache_write?: number; cache_write_1h?: number }): Rates {
  const result: Rates = { input: entry.input, output: entry.output };
  if (entry.cached !== undefined) result.cacheRead = entry.cached;
  if (entry.cache_write !== undefined) result.cacheWrite5m = entry.cache_write;
  if (entry.cache_write_1h !== undefined) result.cacheWrite1h = entry.cache_write_1h;
  return result;
}
