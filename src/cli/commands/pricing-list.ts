// `aegis pricing list [--json] [--provider P] [--config F]`: the pricing table in force — the
// built-in prices plus the `pricing:` entries of the config (given, or discovered upwards).
import type { Output } from "../output.js";
import { EXIT, UsageError } from "../../errors.js";
import { BUILTIN_PRICES_AS_OF } from "../../core/pricing/builtin-prices.js";
import { buildPricingTable } from "../../core/pricing/resolve.js";
import type { ModelPrice } from "../../core/pricing/types.js";
import type { Provider } from "../../core/usage.js";
import { priceRowsJson, renderPriceTable, sortPrices } from "../render/pricing-table.js";

const PROVIDERS: readonly Provider[] = ["openai", "anthropic", "gemini", "other"];
// Below this terminal width the full table would wrap: use the compact layout.
const FULL_TABLE_COLUMNS = 140;

/** Reads the config's `pricing:` overrides (`--config`, else discovery; none when there is no config). */
export type LoadPricingOverrides = (configPath: string | undefined, cwd: string) => Promise<ModelPrice[]>;

/** The default loader: the config module is imported only when there is a config to read. */
export const loadPricingOverrides: LoadPricingOverrides = async (configPath, cwd) => {
  if (configPath === undefined) {
    const { findConfig } = await import("../../config/discover.js");
    if (findConfig(cwd) === null) return [];
  }
  const { loadConfig, toPricingOverrides } = await import("../../config/index.js");
  const loaded = await loadConfig(configPath === undefined ? { cwd } : { path: configPath, cwd });
  return toPricingOverrides(loaded.config);
};

function providerOption(value: unknown): Provider | undefined {
  if (value === undefined) return undefined;
  const wanted = String(value).toLowerCase();
  const found = PROVIDERS.find((p) => p === wanted);
  if (found === undefined) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(", ")}; received ${JSON.stringify(String(value))}`);
  }
  return found;
}

/** `aegis pricing list`: prints the table (or JSON); 0 on success, UsageError on a bad --provider. */
export async function pricingListCommand(
  opts: Record<string, unknown>,
  out: Output,
  loadOverrides: LoadPricingOverrides = loadPricingOverrides,
  cwd: string = process.cwd(),
): Promise<number> {
  const provider = providerOption(opts.provider);
  const configPath = typeof opts.config === "string" ? opts.config : undefined;
  const table = buildPricingTable(await loadOverrides(configPath, cwd));
  const prices = sortPrices([...table.values()].filter((p) => provider === undefined || p.provider === provider));

  if (opts.json === true) {
    out.data(JSON.stringify(priceRowsJson(prices), null, 2));
    return EXIT.ok;
  }
  const compact = out.columns !== undefined && out.columns < FULL_TABLE_COLUMNS;
  out.data(await renderPriceTable(prices, { color: out.color, borders: out.columns !== undefined, compact }));
  const configured = prices.filter((p) => p.origin === "config").length;
  const searches = !compact && prices.some((p) => p.webSearchPer1k !== undefined);
  out.message(
    `${prices.length} models · USD per 1M tokens · built-in prices as of ${BUILTIN_PRICES_AS_OF}` +
      (configured > 0 ? ` · ${configured} from the config` : "") +
      ` · ${"—"} = billed at the input rate (1h writes: at the 5m rate)` +
      (searches ? " · web search: USD per 1,000 searches (blank: none, such searches are refused)" : ""),
  );
  return EXIT.ok;
}
