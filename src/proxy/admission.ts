// The worst case a call is admitted and reserved at (DESIGN §5), and the message a blocked call
// gets back. The prompt bound is priced in the dearest input bucket the call can reach: cache
// writes bill above the input rate, so where the request allows them, the prompt is assumed written.
import { formatUsd } from "../core/money.js";
import type { Decision, Dimension } from "../core/policy/types.js";
import type { ModelPrice } from "../core/pricing/types.js";
import type { Usage } from "../core/usage.js";
import { outputTokenBound } from "./estimate.js";
import type { SubInferenceBound } from "./providers/types.js";

/**
 * The worst-case usage of a call: `promptTokens` in the dearest input bucket, output at its bound,
 * the most server-side web searches it can bill, and the sub-inferences (advisor runs) it allows
 * (`webSearches`, `subInferences`: from the adapter's facts).
 */
export function worstCaseUsage(
  model: string,
  price: ModelPrice | undefined,
  promptTokens: number,
  call: {
    requested: number | undefined;
    choices: number;
    billsOutput: boolean;
    cacheWrites: "none" | "5m" | "1h";
    webSearches?: number | undefined;
    subInferences?: readonly SubInferenceBound[] | undefined;
  },
): Usage {
  const usage: Usage = {
    model,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: call.billsOutput ? outputTokenBound(call.requested, price?.maxOutputTokens, call.choices) : 0,
    reasoningTokens: 0,
  };
  // Rates as the pricing bills them: writes without their own rate bill at the input rate.
  const input = price?.input ?? 0;
  const w5m = call.cacheWrites === "none" ? input : (price?.cacheWrite5m ?? input);
  const w1h = call.cacheWrites === "1h" ? (price?.cacheWrite1h ?? w5m) : input;
  if (w1h > input && w1h >= w5m) usage.cacheWrite1hTokens = promptTokens;
  else if (w5m > input) usage.cacheWrite5mTokens = promptTokens;
  else usage.inputTokens = promptTokens;
  // costOf prices them at the model's per-search rate (webSearchPer1k; every Anthropic entry has one).
  if ((call.webSearches ?? 0) > 0) usage.webSearchRequests = call.webSearches;
  const subs = (call.subInferences ?? []).filter((b) => b.uses > 0).map((b) => subInferenceWorstCase(b, promptTokens + usage.outputTokens));
  if (subs.length > 0) usage.subInferences = subs;
  return usage;
}

/**
 * A clamp on an advisor tool's runs, so an absurd `max_uses` cannot overflow the token counts: 100×
 * the server-tool loop's default of 10 iterations, after which Anthropic pauses the turn.
 */
export const MAX_SUB_INFERENCE_USES = 1_000;

/**
 * The worst case of one advisor tool, as one usage on the advisor's model. Each run reads the whole
 * transcript so far — at most the prompt and the executor's output (`transcript`) plus the earlier
 * runs' output — and writes up to its own cap (the tool's max_tokens, else the largest model
 * output). Run k of n reads transcript + k × cap, so n runs read n × transcript + cap × n(n−1)/2.
 * Its input sits in the write bucket when the tool caches its prompt: Anthropic write rates are
 * never below the input rate. Summing the runs into one usage can only raise a long-context tier.
 */
function subInferenceWorstCase(b: SubInferenceBound, transcript: number): Usage {
  const n = Math.min(b.uses, MAX_SUB_INFERENCE_USES);
  const cap = outputTokenBound(b.maxOutputTokens, undefined);
  const input = n * transcript + (cap * n * (n - 1)) / 2;
  return {
    model: b.model,
    inputTokens: b.cacheWrites === "none" ? input : 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: b.cacheWrites === "5m" ? input : 0,
    cacheWrite1hTokens: b.cacheWrites === "1h" ? input : 0,
    outputTokens: n * cap,
    reasoningTokens: 0,
  };
}

/**
 * The least a call is likely to cost: its prompt at a typical 4 bytes per token and no output.
 * Not a bound: it only decides whether a budget block means the run cannot go on (the remaining
 * budget cannot pay even for this) or just that this call's worst case does not fit.
 */
export function leastUsage(model: string, promptTokenBound: number): Usage {
  return {
    model,
    inputTokens: Math.ceil(promptTokenBound / 4),
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  };
}

// What the user can change, by the dimension that blocked.
const HINTS: Partial<Record<Dimension, string>> = {
  per_call:
    "Raise cost.per_call_limit_usd in aegis.yaml, or lower the request's output limit (max_tokens), its prompt, or its web search or advisor tool's max_uses (and the advisor's max_tokens): the proxy checks a call's worst case (prompt bytes, output limit, searches, advisor runs) before sending it.",
  per_session: "Raise cost.per_session_limit_usd in aegis.yaml to let one run spend more.",
  daily: "Raise cost.daily_budget_usd in aegis.yaml, or wait for the daily reset.",
  per_minute_tokens: "Wait for the rolling minute to pass, or raise cost.per_minute_tokens in aegis.yaml.",
  budget: "Raise cost.budget_usd in aegis.yaml.",
  agent_budget: "Raise the agent's budget_usd (or its parent's) under agents: in aegis.yaml.",
  loop: "The agent repeated the same request; change the prompt, or adjust cost.loop_detection in aegis.yaml.",
};

// Budgets the proxy checks against the call's worst case, not its real cost: a block can come from
// the reservation alone (nothing spent yet), so the message says so and names the lever.
const RESERVED_DIMENSIONS = new Set<Dimension>(["per_session", "daily", "budget", "agent_budget"]);

/** The error message of a blocked call: what blocked it (limit and spend) and what to change. */
export function blockMessage(decision: Decision): string {
  const hint = HINTS[decision.dimension];
  // Reasons that are already sentences (the unknown-model text) keep their own full stop.
  const reason = /[.!?]$/.test(decision.reason) ? decision.reason : `${decision.reason}.`;
  const reserved = RESERVED_DIMENSIONS.has(decision.dimension)
    ? ` The proxy counts this call at its worst case, ${formatUsd(decision.cost)} (the prompt's size and the output limit: max_tokens, else the model's maximum); a lower max_tokens reserves less.`
    : "";
  return `aegis blocked this call: ${reason}${reserved}${hint !== undefined ? ` ${hint}` : ""}`;
}
