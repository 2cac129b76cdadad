// The built-in price table: list prices in USD per million tokens, each entry with the source it
// was read from (the keys of docs/wire-formats.md §0; "GPR openai.yml:416" = pydantic/genai-prices
// @47df840, line 416) and the date it was checked. Users override or extend it with `pricing:` in
// aegis.yaml. Where today's list price differs from the reference library's March-2026 table, the
// current price is used and the `source` says what changed. Ids are the names aegis shows; real
// provider ids resolve to them by prefix (src/core/pricing/resolve.ts) or through `aliases`.
import type { ModelPrice } from "./types.js";

/** The date the built-in prices were last checked against their sources. */
export const BUILTIN_PRICES_AS_OF = "2026-08-21";

const GPR = BUILTIN_PRICES_AS_OF; // pydantic/genai-prices @47df840 is dated 2026-08-21
const builtin = "builtin" as const;

const openai: ModelPrice[] = [
  // GPT-5 family: 400k context, 128k output.
  { id: "gpt-5", provider: "openai", input: 1.25, cacheRead: 0.125, output: 10, maxOutputTokens: 128_000, source: "GPR openai.yml:564 (also gpt-5-chat-latest, gpt-5-codex)", checked: GPR, origin: builtin },
  { id: "gpt-5-mini", provider: "openai", input: 0.25, cacheRead: 0.025, output: 2, maxOutputTokens: 128_000, source: "GPR openai.yml:599", checked: GPR, origin: builtin },
  { id: "gpt-5-nano", provider: "openai", input: 0.05, cacheRead: 0.005, output: 0.4, maxOutputTokens: 128_000, source: "GPR openai.yml:614", checked: GPR, origin: builtin },
  { id: "gpt-5-pro", provider: "openai", input: 15, output: 120, source: "GPR openai.yml:630 (no cached rate)", checked: GPR, origin: builtin },
  { id: "gpt-5.1", provider: "openai", input: 1.25, cacheRead: 0.125, output: 10, maxOutputTokens: 128_000, source: "GPR openai.yml:641 (also -codex, -chat)", checked: GPR, origin: builtin },
  { id: "gpt-5.2", provider: "openai", input: 1.75, cacheRead: 0.175, output: 14, source: "GPR openai.yml:684 (also -codex, -chat)", checked: GPR, origin: builtin },
  { id: "gpt-5.2-pro", provider: "openai", input: 21, output: 168, source: "GPR openai.yml:684", checked: GPR, origin: builtin },
  {
    id: "gpt-5.4", provider: "openai", input: 2.5, cacheRead: 0.25, output: 15,
    longContext: { aboveTokens: 272_000, input: 5, cacheRead: 0.5, output: 22.5 },
    source: "GPR openai.yml:754; LL gpt-5.4 agrees", checked: GPR, origin: builtin,
  },
  { id: "gpt-5.4-mini", provider: "openai", input: 0.75, cacheRead: 0.075, output: 4.5, source: "GPR openai.yml:798", checked: GPR, origin: builtin },
  { id: "gpt-5.4-nano", provider: "openai", input: 0.2, cacheRead: 0.02, output: 1.25, source: "GPR openai.yml:815", checked: GPR, origin: builtin },
  {
    id: "gpt-5.5", provider: "openai", input: 5, cacheRead: 0.5, output: 30,
    longContext: { aboveTokens: 272_000, input: 10, cacheRead: 1, output: 45 },
    source: "GPR openai.yml:855 (flat); >272k tier from LL gpt-5.5-2026-04-23 — sources disagree, the dearer reading is kept", checked: GPR, origin: builtin,
  },
  {
    id: "gpt-5.6-sol", provider: "openai", input: 5, cacheRead: 0.5, cacheWrite5m: 6.25, output: 30,
    longContext: { aboveTokens: 272_000, input: 10, cacheRead: 1, cacheWrite5m: 12.5, output: 45 },
    source: "GPR openai.yml:958, cache write 1.25x input :906-909 (>272k write 12.50 inferred as 1.25x)", checked: GPR, origin: builtin,
  },
  { id: "gpt-4.1", provider: "openai", input: 2, cacheRead: 0.5, output: 8, maxOutputTokens: 32_768, source: "GPR openai.yml:351", checked: GPR, origin: builtin },
  { id: "gpt-4.1-mini", provider: "openai", input: 0.4, cacheRead: 0.1, output: 1.6, maxOutputTokens: 32_768, source: "GPR openai.yml:351-400", checked: GPR, origin: builtin },
  { id: "gpt-4.1-nano", provider: "openai", input: 0.1, cacheRead: 0.025, output: 0.4, maxOutputTokens: 32_768, source: "GPR openai.yml:351-400", checked: GPR, origin: builtin },
  { id: "gpt-4o", provider: "openai", input: 2.5, cacheRead: 1.25, output: 10, maxOutputTokens: 16_384, source: "GPR openai.yml:416", checked: GPR, origin: builtin },
  { id: "gpt-4o-2024-05-13", provider: "openai", input: 5, output: 15, maxOutputTokens: 4_096, source: "OpenAI pricing page: the first gpt-4o snapshot keeps its launch price (no cached rate); listed so it never resolves to gpt-4o", checked: GPR, origin: builtin },
  { id: "gpt-4o-mini", provider: "openai", input: 0.15, cacheRead: 0.075, output: 0.6, maxOutputTokens: 16_384, source: "GPR openai.yml:448", checked: GPR, origin: builtin },
  { id: "gpt-4-turbo", provider: "openai", input: 10, cacheRead: 5, output: 30, maxOutputTokens: 4_096, source: "reference table (March 2026); OpenAI list price 10/30", checked: GPR, origin: builtin },
  { id: "o1", provider: "openai", input: 15, cacheRead: 7.5, output: 60, maxOutputTokens: 100_000, source: "GPR openai.yml:1284 (incl. o1-preview)", checked: GPR, origin: builtin },
  { id: "o1-pro", provider: "openai", input: 150, output: 600, maxOutputTokens: 100_000, source: "GPR openai.yml:1284", checked: GPR, origin: builtin },
  { id: "o1-mini", provider: "openai", input: 1.1, cacheRead: 0.55, output: 4.4, maxOutputTokens: 65_536, source: "GPR openai.yml:1300", checked: GPR, origin: builtin },
  { id: "o3", provider: "openai", input: 2, cacheRead: 0.5, output: 8, maxOutputTokens: 100_000, source: "GPR openai.yml:1328; cut 2025-06-10 (the reference still had 10/2.50/40)", checked: GPR, origin: builtin },
  { id: "o3-mini", provider: "openai", input: 1.1, cacheRead: 0.55, output: 4.4, maxOutputTokens: 100_000, source: "GPR openai.yml:1363", checked: GPR, origin: builtin },
  { id: "o3-pro", provider: "openai", input: 20, output: 80, maxOutputTokens: 100_000, source: "GPR openai.yml:1379", checked: GPR, origin: builtin },
  { id: "o4-mini", provider: "openai", input: 1.1, cacheRead: 0.275, output: 4.4, maxOutputTokens: 100_000, source: "GPR openai.yml:1392 (the reference had cached 0.55)", checked: GPR, origin: builtin },
  { id: "text-embedding-3-small", provider: "openai", input: 0.02, output: 0, source: "GPR openai.yml:1431-1462 (embeddings have no output)", checked: GPR, origin: builtin },
  { id: "text-embedding-3-large", provider: "openai", input: 0.13, output: 0, source: "GPR openai.yml:1431-1462 (embeddings have no output)", checked: GPR, origin: builtin },
  { id: "text-embedding-ada-002", provider: "openai", input: 0.1, output: 0, source: "GPR openai.yml:1431-1462 (embeddings have no output)", checked: GPR, origin: builtin },
];

/**
 * Anthropic server-side web search, USD per 1,000 requests (wire-formats.md §2.1; GPR
 * `web_searches_kcount: 10`). Every Anthropic entry carries it: a search the API reports is billed
 * at this price, never at zero.
 */
export const ANTHROPIC_WEB_SEARCH_PER_1K = 10;

// Anthropic: cache read 0.1x, 5-minute write 1.25x, 1-hour write 2x the input rate ([DOC-A]);
// web search $10 per 1,000 requests.
const anthropic: ModelPrice[] = [
  { id: "claude-opus-4", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 15, cacheRead: 1.5, cacheWrite5m: 18.75, cacheWrite1h: 30, output: 75, maxOutputTokens: 32_000, aliases: ["claude-4-opus"], source: "GPR anthropic.yml:256", checked: GPR, origin: builtin },
  { id: "claude-opus-4.1", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 15, cacheRead: 1.5, cacheWrite5m: 18.75, cacheWrite1h: 30, output: 75, maxOutputTokens: 32_000, aliases: ["claude-opus-4-1"], source: "GPR anthropic.yml:278; LL claude-opus-4-1 agrees", checked: GPR, origin: builtin },
  { id: "claude-opus-4.5", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 5, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, output: 25, maxOutputTokens: 64_000, aliases: ["claude-opus-4-5"], source: "GPR anthropic.yml:299; LL agrees", checked: GPR, origin: builtin },
  { id: "claude-opus-4.6", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 5, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, output: 25, maxOutputTokens: 128_000, aliases: ["claude-opus-4-6"], source: "GPR anthropic.yml:321 (>200k tier removed 2026-03-13)", checked: GPR, origin: builtin },
  { id: "claude-opus-4.7", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 5, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, output: 25, aliases: ["claude-opus-4-7"], source: "GPR anthropic.yml:374-440 (1M context, flat)", checked: GPR, origin: builtin },
  { id: "claude-opus-4.8", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 5, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, output: 25, aliases: ["claude-opus-4-8"], source: "GPR anthropic.yml:374-440 (1M context, flat)", checked: GPR, origin: builtin },
  { id: "claude-opus-5", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 5, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, output: 25, source: "GPR anthropic.yml:374-440 (1M context, flat)", checked: GPR, origin: builtin },
  {
    id: "claude-sonnet-4", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 3, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, output: 15, maxOutputTokens: 64_000,
    longContext: { aboveTokens: 200_000, input: 6, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12, output: 22.5 },
    aliases: ["claude-4-sonnet"], source: "GPR anthropic.yml:444; >200k tier from LL claude-4-sonnet-20250514 and the pricing page (1h write 12 = 2x)", checked: GPR, origin: builtin,
  },
  {
    id: "claude-sonnet-4.5", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 3, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, output: 15, maxOutputTokens: 64_000,
    longContext: { aboveTokens: 200_000, input: 6, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12, output: 22.5 },
    aliases: ["claude-sonnet-4-5"], source: "GPR anthropic.yml:467; LL claude-sonnet-4-5-20250929 agrees", checked: GPR, origin: builtin,
  },
  { id: "claude-sonnet-4.6", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 3, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, output: 15, maxOutputTokens: 64_000, aliases: ["claude-sonnet-4-6"], source: "GPR anthropic.yml:507 (>200k tier removed 2026-03-13)", checked: GPR, origin: builtin },
  { id: "claude-sonnet-5", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 2, cacheRead: 0.2, cacheWrite5m: 2.5, cacheWrite1h: 4, output: 10, source: "GPR anthropic.yml:558; GPR expects 3/0.30/3.75/6/15 from 2026-09-01 — re-check", checked: GPR, origin: builtin },
  { id: "claude-haiku-4.5", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 1, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2, output: 5, maxOutputTokens: 64_000, aliases: ["claude-haiku-4-5"], source: "GPR anthropic.yml:216; LL agrees", checked: GPR, origin: builtin },
  {
    id: "claude-haiku-3.5", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 0.8, cacheRead: 0.08, cacheWrite5m: 1, cacheWrite1h: 1.6, output: 4, maxOutputTokens: 8_192,
    aliases: ["claude-3-5-haiku", "claude-3-5-haiku-20241022", "claude-3-5-haiku-latest", "claude-haiku-3-5"],
    source: "GPR anthropic.yml:77", checked: GPR, origin: builtin,
  },
  {
    id: "claude-haiku-3", provider: "anthropic", webSearchPer1k: ANTHROPIC_WEB_SEARCH_PER_1K, input: 0.25, cacheRead: 0.03, cacheWrite5m: 0.3, cacheWrite1h: 0.5, output: 1.25, maxOutputTokens: 4_096,
    aliases: ["claude-3-haiku", "claude-3-haiku-20240307"],
    source: "GPR anthropic.yml:142 (LL's 1h write of 6.00 is a known defect)", checked: GPR, origin: builtin,
  },
];

// Gemini Developer API, paid tier. Output includes thinking tokens; text/image/video input rates.
const gemini: ModelPrice[] = [
  { id: "gemini-2.0-flash", provider: "gemini", input: 0.1, cacheRead: 0.025, output: 0.4, maxOutputTokens: 8_192, source: "reference table (March 2026); GPR google.yml gemini-2.0-flash 0.10/0.40", checked: GPR, origin: builtin },
  { id: "gemini-2.0-flash-lite", provider: "gemini", input: 0.075, output: 0.3, maxOutputTokens: 8_192, source: "GPR google.yml gemini-2.0-flash-lite (no cached rate)", checked: GPR, origin: builtin },
  {
    id: "gemini-2.5-pro", provider: "gemini", input: 1.25, cacheRead: 0.125, output: 10, maxOutputTokens: 65_536,
    longContext: { aboveTokens: 200_000, input: 2.5, cacheRead: 0.25, output: 15 },
    source: "GPR google.yml:678 (the reference had cached 0.3125)", checked: GPR, origin: builtin,
  },
  { id: "gemini-2.5-flash", provider: "gemini", input: 0.3, cacheRead: 0.03, output: 2.5, maxOutputTokens: 65_536, source: "GPR google.yml:599 (the reference had 0.15/0.0375/0.60; LL caches at 0.075 — sources disagree; audio input 1.00 not modelled)", checked: GPR, origin: builtin },
  { id: "gemini-2.5-flash-lite", provider: "gemini", input: 0.1, cacheRead: 0.01, output: 0.4, maxOutputTokens: 65_536, source: "GPR google.yml:637; LL agrees", checked: GPR, origin: builtin },
  {
    id: "gemini-3-pro", provider: "gemini", input: 2, cacheRead: 0.2, output: 12, maxOutputTokens: 65_536,
    longContext: { aboveTokens: 200_000, input: 4, cacheRead: 0.4, output: 18 },
    source: "GPR google.yml:746 (gemini-3-pro-preview)", checked: GPR, origin: builtin,
  },
  {
    id: "gemini-3.1-pro", provider: "gemini", input: 2, cacheRead: 0.2, output: 12,
    longContext: { aboveTokens: 200_000, input: 4, cacheRead: 0.4, output: 18 },
    source: "GPR google.yml:840 (gemini-3.1-pro-preview)", checked: GPR, origin: builtin,
  },
  { id: "gemini-3-flash", provider: "gemini", input: 0.5, cacheRead: 0.05, output: 3, maxOutputTokens: 65_536, source: "GPR google.yml:707 (gemini-3-flash-preview; audio input 1.00 not modelled)", checked: GPR, origin: builtin },
  { id: "gemini-3.1-flash-lite", provider: "gemini", input: 0.25, cacheRead: 0.025, output: 1.5, source: "GPR google.yml:793", checked: GPR, origin: builtin },
  { id: "gemini-3.5-flash", provider: "gemini", input: 1.5, cacheRead: 0.15, output: 9, source: "GPR google.yml:864", checked: GPR, origin: builtin },
  { id: "gemini-3.5-flash-lite", provider: "gemini", input: 0.3, cacheRead: 0.03, output: 2.5, source: "GPR google.yml:884", checked: GPR, origin: builtin },
  { id: "gemini-3.6-flash", provider: "gemini", input: 0.75, cacheRead: 0.075, output: 3.75, source: "GPR google.yml:900; introductory until 2026-12-31, then 1.50/0.15/7.50 — re-check", checked: GPR, origin: builtin },
  { id: "gemini-3.7-flash", provider: "gemini", input: 0.75, cacheRead: 0.075, output: 3.75, source: "GPR google.yml:926; introductory until 2026-12-31, then 1.50/0.15/7.50 — re-check", checked: GPR, origin: builtin },
];

// xAI and Mistral (volatile: wire-formats §6.5 says re-check before shipping). DeepSeek is left
// out on purpose: its sources disagree and are marked unverified.
const others: ModelPrice[] = [
  { id: "grok-4", provider: "other", input: 3, cacheRead: 0.75, output: 15, source: "GPR x_ai.yml (grok-4-0709)", checked: GPR, origin: builtin },
  { id: "grok-4-fast", provider: "other", input: 0.2, cacheRead: 0.05, output: 0.5, source: "GPR x_ai.yml (reasoning and non-reasoning)", checked: GPR, origin: builtin },
  { id: "grok-4.1-fast", provider: "other", input: 0.2, cacheRead: 0.05, output: 0.5, aliases: ["grok-4-1-fast"], source: "GPR x_ai.yml (reasoning and non-reasoning)", checked: GPR, origin: builtin },
  { id: "grok-code-fast-1", provider: "other", input: 0.2, cacheRead: 0.02, output: 1.5, source: "GPR x_ai.yml", checked: GPR, origin: builtin },
  { id: "grok-4.3", provider: "other", input: 1.25, cacheRead: 0.2, output: 2.5, source: "GPR x_ai.yml", checked: GPR, origin: builtin },
  { id: "grok-4.5", provider: "other", input: 2, cacheRead: 0.5, output: 6, source: "GPR x_ai.yml", checked: GPR, origin: builtin },
  { id: "mistral-large-2512", provider: "other", input: 0.5, cacheRead: 0.05, output: 1.5, source: "GPR mistral.yml", checked: GPR, origin: builtin },
  { id: "mistral-medium-3", provider: "other", input: 0.4, output: 2, aliases: ["mistral-medium-2505"], source: "GPR mistral.yml (no cached rate)", checked: GPR, origin: builtin },
  { id: "mistral-small-2603", provider: "other", input: 0.15, cacheRead: 0.015, output: 0.6, source: "GPR mistral.yml", checked: GPR, origin: builtin },
  { id: "codestral-2508", provider: "other", input: 0.3, cacheRead: 0.03, output: 0.9, source: "GPR mistral.yml", checked: GPR, origin: builtin },
  { id: "devstral-2512", provider: "other", input: 0.4, cacheRead: 0.04, output: 2, source: "GPR mistral.yml", checked: GPR, origin: builtin },
];

/** Every built-in model price, in no particular order. */
export const BUILTIN_PRICES: readonly ModelPrice[] = [...openai, ...anthropic, ...gemini, ...others];
