import type { Provider } from "../usage.js";

/** Rates in USD per million tokens for one band of a model's prices. */
export interface Rates {
  input: number;
  output: number;
  /** Cache reads; when absent they bill at the input rate (never at zero). */
  cacheRead?: number;
  /** 5-minute (or only) cache writes; when absent they bill at the input rate. */
  cacheWrite5m?: number;
  /** 1-hour cache writes; when absent they bill at the 5-minute write rate. */
  cacheWrite1h?: number;
}

/** One priced model: base rates, an optional long-context cliff tier, and where the numbers came from. */
export interface ModelPrice extends Rates {
  /** Canonical id (lower case), e.g. "claude-sonnet-4". */
  id: string;
  provider: Provider;
  /**
   * Long-context tier: once the whole prompt (fresh + cache reads + cache writes) exceeds
   * `aboveTokens`, every token of the request bills at these rates (providers bill it as a cliff).
   */
  longContext?: Rates & { aboveTokens: number };
  /**
   * USD per 1,000 server-side web searches (Anthropic: 10, wire-formats.md §2.1, GPR
   * `web_searches_kcount: 10`). The built-in Anthropic entries carry it; it does not change with
   * the long-context tier. Absent: the model has no priced web search.
   */
  webSearchPer1k?: number;
  /** The model's maximum output tokens: the worst-case bound when a request sets none. */
  maxOutputTokens?: number;
  /**
   * Provider ids that mean this model but do not share its prefix (e.g. "claude-3-5-haiku-20241022",
   * "claude-sonnet-4-5"). They match exactly and, like ids, as a prefix before a separator
   * ("claude-sonnet-4-5" also covers "claude-sonnet-4-5-20250929"); see resolve.ts.
   */
  aliases?: string[];
  /** Where the prices come from (a source key or URL) and the date they were checked. */
  source: string;
  checked: string;
  /** "builtin" for the shipped table, "config" for `pricing:` entries. */
  origin: "builtin" | "config";
}

/** A resolved pricing table: lookups by canonical id. */
export type PricingTable = ReadonlyMap<string, ModelPrice>;
