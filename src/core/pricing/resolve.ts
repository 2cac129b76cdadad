// Builds the pricing table in force and resolves the model names callers send to its entries.
// Resolution is deliberately narrow, because a budget gate must never price a model as another
// one: exact id, then explicit alias, then the longest known name followed by a separator
// ("gpt-4o-mini-2024-07-18" → gpt-4o-mini). A prefix match is refused when what follows names
// another version ("claude-opus-4-9" is not claude-opus-4) or another product tier ("-mini",
// "-pro", "-realtime", "-32k" …): those resolve to nothing and are blocked as unknown.
import { BUILTIN_PRICES } from "./builtin-prices.js";
import type { ModelPrice, PricingTable } from "./types.js";

/** Provider routing prefixes stripped before lookup ("openai/gpt-4o", Gemini's "models/gemini-2.5-pro"). */
export const PROVIDER_PREFIXES = ["openai/", "anthropic/", "google/", "gemini/", "models/", "xai/", "x-ai/", "mistral/", "mistralai/"] as const;

// Characters that end a model name's word: "gpt-4o" + "-2024-08-06", "claude-sonnet-4" + "@20250514".
// "." is not one: "gpt-4.1" is a different model from "gpt-4".
const SEPARATORS = new Set(["-", "_", ":", "@", "/"]);

// Words after a known name that mean a different, differently priced model.
const OTHER_PRODUCT_WORDS = new Set([
  "mini", "nano", "lite", "pro", "max", "turbo", "flash", "fast", "plus", "ultra",
  "realtime", "audio", "tts", "transcribe", "image", "vision", "search", "research", "deep", "live", "embedding",
]);

/**
 * The table in force: the built-in prices, then `overrides` (config `pricing:` entries). An
 * override with a built-in's id replaces its prices (and its long-context tier) but keeps the
 * built-in's aliases and output limit, so "claude-3-5-haiku-20241022" still finds the user's price.
 */
export function buildPricingTable(overrides: readonly ModelPrice[] = []): PricingTable {
  const table = new Map<string, ModelPrice>();
  for (const p of BUILTIN_PRICES) table.set(p.id, p);
  for (const o of overrides) {
    const id = o.id.toLowerCase();
    const base = table.get(id);
    const aliases = [...new Set([...(base?.aliases ?? []), ...(o.aliases ?? [])].map((a) => a.toLowerCase()))];
    const merged: ModelPrice = { ...o, id };
    if (aliases.length > 0) merged.aliases = aliases;
    else delete merged.aliases;
    if (merged.maxOutputTokens === undefined && base?.maxOutputTokens !== undefined) merged.maxOutputTokens = base.maxOutputTokens;
    table.set(id, merged);
  }
  return table;
}

interface Index {
  /** Every id and alias → its entry (ids win over aliases). */
  names: Map<string, ModelPrice>;
  /** Past answers, including misses (null); bounded so random names cannot grow it forever. */
  cache: Map<string, ModelPrice | null>;
}

const CACHE_LIMIT = 4096;
const indexes = new WeakMap<PricingTable, Index>();

function indexOf(table: PricingTable): Index {
  let index = indexes.get(table);
  if (index === undefined) {
    const names = new Map<string, ModelPrice>();
    for (const p of table.values()) for (const a of p.aliases ?? []) names.set(a.toLowerCase(), p);
    for (const p of table.values()) names.set(p.id.toLowerCase(), p);
    index = { names, cache: new Map() };
    indexes.set(table, index);
  }
  return index;
}

/** Lower-cases a model name and strips provider routing prefixes ("openai/GPT-4o" → "gpt-4o"). */
export function normalizeModelName(model: string): string {
  let name = model.trim().toLowerCase();
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const prefix of PROVIDER_PREFIXES) {
      if (name.startsWith(prefix) && name.length > prefix.length) {
        name = name.slice(prefix.length);
        stripped = true;
      }
    }
  }
  return name;
}

// Whether `rest` (the text after a known name, starting with its separator) is a snapshot or
// variant of that same model: a date, "latest", "preview", an effort level — not a minor version
// ("-1", "-5-20250929") and not another product word.
function isSameModelSuffix(rest: string): boolean {
  const words = rest.split(/[-_:@/.]+/).filter((w) => w !== "");
  if (words.length === 0) return true;
  if (/^\d{1,2}$/.test(words[0] ?? "")) return false;
  return !words.some((w) => OTHER_PRODUCT_WORDS.has(w) || /^\d+[km]$/.test(w));
}

function lookup(index: Index, name: string): ModelPrice | undefined {
  const exact = index.names.get(name);
  if (exact !== undefined) return exact;
  // Longest known name first: try every separator position from the right.
  for (let i = name.length - 1; i > 0; i--) {
    if (!SEPARATORS.has(name.charAt(i))) continue;
    const hit = index.names.get(name.slice(0, i));
    if (hit !== undefined) return isSameModelSuffix(name.slice(i)) ? hit : undefined;
  }
  return undefined;
}

/**
 * The price entry for a model name as a caller or provider sent it, or undefined when aegis does
 * not know it (never a fallback to another model). Case-insensitive; results are cached per table.
 */
export function resolveModel(table: PricingTable, model: string): ModelPrice | undefined {
  const index = indexOf(table);
  const cached = index.cache.get(model);
  if (cached !== undefined) return cached ?? undefined;
  const found = lookup(index, normalizeModelName(model));
  if (index.cache.size >= CACHE_LIMIT) index.cache.clear();
  index.cache.set(model, found ?? null);
  return found;
}
