// Fixtures for the policy and report unit tests: the reference prices (reference-semantics §3),
// usage and limits builders, and a hand-driven clock. Kept out of the tests so each file reads as
// its table of cases.

import { usdToNanos } from "../money.js";
import type { Usage } from "../usage.js";
import type { ModelPrice, PricingTable } from "../pricing/types.js";
import type { Limits } from "./types.js";

function price(id: string, provider: ModelPrice["provider"], input: number, cacheRead: number, output: number): ModelPrice {
  return { id, provider, input, cacheRead, output, source: "reference-semantics §3", checked: "2026-03-01", origin: "builtin" };
}

/** gpt-4o 2.50/1.25/10, gpt-4o-mini 0.15/0.075/0.60, claude-sonnet-4 3/0.30/15 (USD per million tokens). */
export const REFERENCE_PRICES: PricingTable = new Map([
  ["gpt-4o", price("gpt-4o", "openai", 2.5, 1.25, 10)],
  ["gpt-4o-mini", price("gpt-4o-mini", "openai", 0.15, 0.075, 0.6)],
  ["claude-sonnet-4", price("claude-sonnet-4", "anthropic", 3, 0.3, 15)],
]);

/** A usage of fresh input and output tokens. */
export function usage(model: string, input: number, output: number): Usage {
  return { model, inputTokens: input, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: output, reasoningTokens: 0 };
}

/** Limits with the config defaults (alert 0.8, block, loop 5 in 60 s) and `over` applied; USD amounts. */
export function limits(over: {
  budget?: number;
  perCall?: number;
  perSession?: number;
  daily?: number;
  perMinuteTokens?: number;
  alertThreshold?: number;
  onExceed?: Limits["onExceed"];
  loop?: Limits["loop"];
} = {}): Limits {
  const out: Limits = {
    alertThreshold: over.alertThreshold ?? 0.8,
    onExceed: over.onExceed ?? "block",
    loop: over.loop ?? { windowSeconds: 60, threshold: 5 },
  };
  if (over.budget !== undefined) out.budget = usdToNanos(over.budget);
  if (over.perCall !== undefined) out.perCall = usdToNanos(over.perCall);
  if (over.perSession !== undefined) out.perSession = usdToNanos(over.perSession);
  if (over.daily !== undefined) out.daily = usdToNanos(over.daily);
  if (over.perMinuteTokens !== undefined) out.perMinuteTokens = over.perMinuteTokens;
  return out;
}

/** A clock the test moves by hand. */
export interface ManualClock {
  now: () => number;
  set: (ms: number) => void;
  advance: (ms: number) => void;
}

/** A manual clock starting at `start` (default 2026-03-14T12:00:00Z). */
export function manualClock(start = Date.UTC(2026, 2, 14, 12, 0, 0)): ManualClock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}
