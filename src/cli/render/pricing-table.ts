// Renders the pricing table in force: JSON rows for machines, a table for people (boxed and
// coloured on a terminal by cli-table3, loaded only then; aligned plain columns when piped;
// compact when narrow).
import type { Colors } from "../output.js";
import { plainColumns } from "./plain-columns.js";
import type { ModelPrice, Rates } from "../../core/pricing/types.js";

/** One band of effective rates (defaults applied), USD per million tokens. */
export interface RatesJson {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
}

/** One row of `aegis pricing list --json`. */
export interface PriceRowJson extends RatesJson {
  id: string;
  provider: string;
  longContext: (RatesJson & { aboveTokens: number }) | null;
  /** USD per 1,000 server-side web searches; null when the model has no search rate (searches are refused). */
  webSearchPer1k: number | null;
  maxOutputTokens: number | null;
  aliases: string[];
  source: string;
  checked: string;
  origin: "builtin" | "config";
}

/** Sorts by provider, then id (numeric-aware, so gpt-5.2 comes before gpt-5.10). */
export function sortPrices(prices: Iterable<ModelPrice>): ModelPrice[] {
  return [...prices].sort((a, b) => compareIds(a.provider, b.provider) || compareIds(a.id, b.id));
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Natural order: character by character, a run of digits against a run of digits by its value.
 * Not localeCompare / Intl.Collator: loading ICU's collation data costs ~6 ms, a sixth of the
 * start-up budget of `aegis pricing list` (performance.md C2). On ids of lowercase letters,
 * digits, "-", "." and "/" (every built-in id) it is localeCompare(b, "en", { numeric: true });
 * other punctuation sorts by its code point.
 */
export function compareIds(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      const fromA = i;
      const fromB = j;
      while (i < a.length && isDigit(a.charCodeAt(i))) i++;
      while (j < b.length && isDigit(b.charCodeAt(j))) j++;
      const diff = Number(a.slice(fromA, i)) - Number(b.slice(fromB, j));
      if (diff !== 0) return diff;
      continue;
    }
    if (x !== y) return x - y;
    i++;
    j++;
  }
  const rest = a.length - i - (b.length - j);
  // Equal up to leading zeros ("v01" and "v1"): any fixed order will do.
  return rest !== 0 ? rest : a < b ? -1 : a > b ? 1 : 0;
}

// The rates actually billed: reads and 5m writes default to input, 1h writes to 5m writes.
function effective(r: Rates): RatesJson {
  const cacheWrite5m = r.cacheWrite5m ?? r.input;
  return { input: r.input, cacheRead: r.cacheRead ?? r.input, cacheWrite5m, cacheWrite1h: r.cacheWrite1h ?? cacheWrite5m, output: r.output };
}

/** The JSON rows (numbers, effective rates) for `--json`. */
export function priceRowsJson(prices: ModelPrice[]): PriceRowJson[] {
  return prices.map((p) => ({
    id: p.id,
    provider: p.provider,
    ...effective(p),
    longContext: p.longContext ? { aboveTokens: p.longContext.aboveTokens, ...effective(p.longContext) } : null,
    webSearchPer1k: p.webSearchPer1k ?? null,
    maxOutputTokens: p.maxOutputTokens ?? null,
    aliases: p.aliases ?? [],
    source: p.source,
    checked: p.checked,
    origin: p.origin,
  }));
}

/** "$2.50", "$0.075", "$0.0028": two decimals at least, no float noise. */
export function formatRate(usd: number): string {
  const fixed = usd.toFixed(6).replace(/0+$/, "");
  const [whole = "0", frac = ""] = fixed.split(".");
  return `$${whole}.${frac.padEnd(2, "0")}`;
}

const DASH = "—";
const rate = (v: number | undefined): string => (v === undefined ? DASH : formatRate(v));
const tokensShort = (n: number): string => (n % 1000 === 0 ? `${n / 1000}k` : String(n));

function writes(p: Rates): string {
  return p.cacheWrite5m === undefined && p.cacheWrite1h === undefined ? DASH : `${rate(p.cacheWrite5m)} / ${rate(p.cacheWrite1h)}`;
}

// Blank when the model has no search rate (like a model without a long-context tier).
const searchRate = (p: ModelPrice): string => (p.webSearchPer1k === undefined ? "" : formatRate(p.webSearchPer1k));

function longContext(p: ModelPrice, compact: boolean): string {
  const t = p.longContext;
  if (t === undefined) return "";
  return compact ? `>${tokensShort(t.aboveTokens)}` : `>${tokensShort(t.aboveTokens)}: in ${formatRate(t.input)}, out ${formatRate(t.output)}`;
}

/** How the table is drawn. */
export interface TableStyle {
  color: Colors;
  /** Box-drawing borders (a terminal) or aligned columns only (piped). */
  borders: boolean;
  /** The narrow layout: model, input, cached, output, long-context threshold. */
  compact: boolean;
}

const NO_BORDERS = {
  top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
  left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  ",
};

/**
 * The human table (USD per million tokens). The full layout ends with the web-search rate (USD per
 * 1,000 searches, blank when none), after the columns it always had, so piped output keeps them in place.
 */
export async function renderPriceTable(prices: ModelPrice[], style: TableStyle): Promise<string> {
  const head = style.compact
    ? ["model", "input", "cached", "output", "long ctx"]
    : ["model", "provider", "input", "cached input", "cache write 5m / 1h", "output", "long context (whole request)", "checked", "web search / 1k"];
  const rows = prices.map((p) => {
    const id = p.origin === "config" ? `${p.id} ${style.color.yellow("(config)")}` : p.id;
    return style.compact
      ? [id, formatRate(p.input), rate(p.cacheRead), formatRate(p.output), longContext(p, true)]
      : [id, p.provider, formatRate(p.input), rate(p.cacheRead), writes(p), formatRate(p.output), longContext(p, false), p.checked, searchRate(p)];
  });
  const bold = head.map((h) => style.color.bold(h));
  const plain = style.borders ? undefined : plainColumns([bold, ...rows], NO_BORDERS.middle);
  if (plain !== undefined) return plain;
  const { default: Table } = await import("cli-table3");
  const table = new Table({
    head: bold,
    style: { head: [], border: [], compact: true, "padding-left": style.borders ? 1 : 0, "padding-right": style.borders ? 1 : 0 },
    ...(style.borders ? {} : { chars: NO_BORDERS }),
  });
  for (const row of rows) table.push(row);
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}
