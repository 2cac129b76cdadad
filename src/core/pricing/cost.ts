// The cost of one call: normalised usage × a model's rates, rounded once to the nano-dollar.
// Rates are decimals in USD per million tokens (0.075, 1.25); adding float products would drift
// (0.1 + 0.2), so each rate is scaled to an integer number of nano-dollars per million tokens and
// the sum is formed in BigInt: Σ tokens × rate (nano-USD per 1M tokens) / 1e6, rounded half-up.
import type { Nanos } from "../money.js";
import { promptTokensOf, type Usage } from "../usage.js";
import type { ModelPrice, Rates } from "./types.js";

interface ScaledRates {
  input: bigint;
  cacheRead: bigint;
  cacheWrite5m: bigint;
  cacheWrite1h: bigint;
  output: bigint;
}

const scaledCache = new WeakMap<Rates, ScaledRates>();
const MILLION = 1_000_000n;
const HALF_MILLION = 500_000n;

// USD per 1M tokens → integer nano-USD per 1M tokens (exact for rates with up to 9 decimals).
function scale(usdPerMillion: number): bigint {
  return BigInt(Math.round(usdPerMillion * 1e9));
}

// The effective rates of one band: cache reads and 5m writes default to input, 1h writes to 5m writes.
function scaledRatesOf(r: Rates): ScaledRates {
  let s = scaledCache.get(r);
  if (s === undefined) {
    const input = scale(r.input);
    const cacheWrite5m = r.cacheWrite5m === undefined ? input : scale(r.cacheWrite5m);
    s = {
      input,
      cacheRead: r.cacheRead === undefined ? input : scale(r.cacheRead),
      cacheWrite5m,
      cacheWrite1h: r.cacheWrite1h === undefined ? cacheWrite5m : scale(r.cacheWrite1h),
      output: scale(r.output),
    };
    scaledCache.set(r, s);
  }
  return s;
}

function tokens(field: string, n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`usage.${field} must be a non-negative integer token count, got ${String(n)}`);
  }
  return BigInt(n);
}

const webSearchScaled = new WeakMap<ModelPrice, bigint>();

// USD per 1,000 searches → integer nano-USD per 1M searches, so searches join the token sum in
// the same unit and the call is still rounded once ($10/1k = 10,000,000 nanos per search). A model
// without a rate adds nothing here: callCostOf reports its searches as unpriced, and the governor
// refuses or bills them at the estimate — never at zero.
function webSearchRate(price: ModelPrice): bigint {
  const usdPer1k = price.webSearchPer1k;
  if (usdPer1k === undefined) return 0n;
  let s = webSearchScaled.get(price);
  if (s === undefined) {
    s = BigInt(Math.round(usdPer1k * 1e12));
    webSearchScaled.set(price, s);
  }
  return s;
}

/** The rates a call is billed at: the long-context tier when its whole prompt exceeds the threshold. */
export function ratesFor(usage: Usage, price: ModelPrice): Rates {
  const tier = price.longContext;
  return tier !== undefined && promptTokensOf(usage) > tier.aboveTokens ? tier : price;
}

/**
 * The exact cost of one call in nano-USD: fresh input, cache reads, 5-minute and 1-hour cache
 * writes and output, each at its rate; past a long-context threshold every token bills at the
 * tier's rates (a cliff, as providers bill it). Server-side web searches add their per-request
 * price when the model has one (the built-in Anthropic entries do); on a model without one they
 * add nothing, so price calls with callCostOf, which reports them as unpriced.
 */
export function costOf(usage: Usage, price: ModelPrice): Nanos {
  const r = scaledRatesOf(ratesFor(usage, price));
  const total =
    tokens("inputTokens", usage.inputTokens) * r.input +
    tokens("cacheReadTokens", usage.cacheReadTokens) * r.cacheRead +
    tokens("cacheWrite5mTokens", usage.cacheWrite5mTokens) * r.cacheWrite5m +
    tokens("cacheWrite1hTokens", usage.cacheWrite1hTokens) * r.cacheWrite1h +
    tokens("outputTokens", usage.outputTokens) * r.output +
    tokens("webSearchRequests", usage.webSearchRequests ?? 0) * webSearchRate(price);
  return Number((total + HALF_MILLION) / MILLION);
}

/** The message for a model aegis has no price for: why it is blocked and how to price it. */
export function describeUnknownModel(model: string): string {
  const shown = model === "" ? "(none)" : JSON.stringify(model);
  const key = /^[a-z0-9][a-z0-9._-]*$/i.test(model) ? model : JSON.stringify(model === "" ? "my-model" : model);
  return [
    `Unknown model ${shown}: aegis has no price for it, so the call is blocked rather than priced as zero or as another model.`,
    `Price it in aegis.yaml (USD per million tokens; "cached" is optional):`,
    `  pricing:`,
    `    ${key}: { input: 1.0, output: 4.0, cached: 0.1 }`,
    `Run "aegis pricing list" to see the models aegis knows.`,
  ].join("\n");
}

/**
 * The message for web searches on a model whose pricing entry has no search rate: why the call is
 * blocked and the two ways to price them (a rate on the entry, or Anthropic's $10 per 1,000).
 */
export function describeUnpricedWebSearch(model: string, price: ModelPrice): string {
  const key = /^[a-z0-9][a-z0-9._-]*$/i.test(price.id) ? price.id : JSON.stringify(price.id);
  const named = model.toLowerCase() === price.id ? JSON.stringify(model) : `${JSON.stringify(model)} (priced as ${JSON.stringify(price.id)})`;
  return [
    `Web searches on ${named} have no price: its pricing entry has no web_search_per_1k, so the call is blocked rather than billing its searches as zero.`,
    `Set pricing.${key}.web_search_per_1k in aegis.yaml (USD per 1,000 searches), or provider: anthropic if Anthropic bills it ($10 per 1,000):`,
    `  pricing:`,
    `    ${key}: { input: ${price.input}, output: ${price.output}, web_search_per_1k: 10 }`,
  ].join("\n");
}
