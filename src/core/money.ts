// Money is held as integer nano-dollars (1 USD = 1e9 nanos). Every per-call cost is rounded once
// to the nano-dollar (far below anything a provider bills); from then on sums, budgets and
// reservations are integer arithmetic, so $0.10 + $0.20 is exactly $0.30 and a budget of exactly
// the spend is never overshot by float drift. Integers stay exact up to ~$9,000,000.

/** An amount of money in integer nano-USD. */
export type Nanos = number;

/** Nano-dollars per US dollar. */
export const NANOS_PER_USD = 1_000_000_000;

/** Converts a USD amount (config, API input) to nanos, rounding to the nearest nano. */
export function usdToNanos(usd: number): Nanos {
  return Math.round(usd * NANOS_PER_USD);
}

/** Converts nanos to a USD number for JSON output. */
export function nanosToUsd(nanos: Nanos): number {
  return nanos / NANOS_PER_USD;
}

/**
 * Formats nanos as "$1.2345" with `decimals` places, rounding exact ties half-to-even as Python's
 * `%.4f` does (the reference's report strings), computed on the integer so no float tie is misread.
 */
export function formatUsd(nanos: Nanos, decimals = 4): string {
  return `$${formatFixedHalfEven(nanos, 9, decimals)}`;
}

/** Formats a ratio (0.8) as a whole percentage ("80%"), ties half-to-even like Python's `:.0%`. */
export function formatPercent(ratio: number): string {
  const scaled = ratio * 100;
  const floor = Math.floor(scaled);
  const frac = scaled - floor;
  let rounded = frac > 0.5 ? floor + 1 : frac < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  if (Object.is(rounded, -0)) rounded = 0;
  return `${rounded}%`;
}

// Rounds an integer with `scale` implied decimals to `decimals` places, half-to-even, as a string.
function formatFixedHalfEven(value: number, scale: number, decimals: number): string {
  const negative = value < 0;
  let big = BigInt(Math.abs(Math.round(value)));
  const drop = scale - decimals;
  if (drop > 0) {
    const div = 10n ** BigInt(drop);
    const q = big / div;
    const r = big % div;
    const twice = r * 2n;
    big = twice > div || (twice === div && q % 2n === 1n) ? q + 1n : q;
  } else if (drop < 0) {
    big *= 10n ** BigInt(-drop);
  }
  const digits = big.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  const text = decimals > 0 ? `${whole}.${frac}` : whole;
  return negative && big !== 0n ? `-${text}` : text;
}
