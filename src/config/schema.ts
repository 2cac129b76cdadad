// The zod schema of aegis.yaml (DESIGN §2), the single source of truth for validation, defaults,
// the AegisConfig type and the published JSON Schema (schema/aegis.schema.json).
import * as z from "zod/mini";
import {
  httpUrl,
  integerAtLeast,
  mapping,
  nonEmptyString,
  oneOf,
  positiveNumber,
  positiveUsd,
  price,
  searchPrice,
  described,
  fraction,
  storeUrl,
  timeZone,
} from "./fields.js";

/** Loop detection when the config does not mention it. */
export const DEFAULT_LOOP_DETECTION = { window_seconds: 60, threshold: 5 } as const;

/** The keys of `cost.loop_detection`. */
export const loopDetectionShape = {
  window_seconds: described(z._default(positiveNumber(), DEFAULT_LOOP_DETECTION.window_seconds), "the window in seconds"),
  threshold: described(z._default(integerAtLeast(2), DEFAULT_LOOP_DETECTION.threshold), "the Nth identical call within the window is blocked"),
};

/** The keys of `cost`. */
export const costShape = {
  budget_usd: described(z.optional(positiveUsd()), "hard ceiling across all sessions (persistent), USD"),
  per_call_limit_usd: described(z.optional(positiveUsd()), "max cost of one LLM call, USD"),
  per_session_limit_usd: described(z.optional(positiveUsd()), "max cost of one `aegis run`, USD"),
  daily_budget_usd: described(z.optional(positiveUsd()), "daily budget, reset at midnight in daily_reset_timezone, USD"),
  daily_reset_timezone: described(z._default(timeZone(), "UTC"), "IANA time zone whose midnight resets the daily budget"),
  per_minute_tokens: described(z.optional(integerAtLeast(1)), "max tokens in a rolling 60 s window"),
  alert_threshold: described(z._default(fraction(), 0.8), "warn when utilisation of a budget reaches this fraction"),
  on_exceed: described(z._default(oneOf(["block", "warn", "log"]), "block"), "what a violated limit does"),
  loop_detection: described(
    z._default(
      z.union([z.literal(false), mapping(loopDetectionShape, "a mapping { window_seconds, threshold }")], {
        error: "false (to disable) or a mapping { window_seconds, threshold }",
      }),
      { ...DEFAULT_LOOP_DETECTION },
    ),
    "block the Nth identical call within the window; false disables",
  ),
};

/** The keys of one `agents` entry. */
export const agentShape = {
  parent: described(z.optional(nonEmptyString("the id of another agent in `agents`")), "the agent this one delegates for"),
  budget_usd: described(z.optional(positiveUsd()), "this agent's own budget (its subtree's spend), USD"),
};

/** The keys of a long-context price tier. */
export const longContextShape = {
  above_tokens: described(integerAtLeast(1), "prompt size (tokens) above which the whole request bills at these rates"),
  input: price(),
  output: price(),
  cached: z.optional(price()),
  cache_write: z.optional(price()),
  cache_write_1h: z.optional(price()),
};

/** The keys of one `pricing` entry (USD per million tokens). */
export const priceShape = {
  input: described(price(), "USD per million input tokens"),
  output: described(price(), "USD per million output tokens"),
  cached: described(z.optional(price()), "USD per million cache-read tokens (default: the input rate)"),
  cache_write: described(z.optional(price()), "USD per million cache-write tokens (default: the input rate)"),
  cache_write_1h: described(z.optional(price()), "USD per million 1-hour cache-write tokens (default: cache_write)"),
  web_search_per_1k: described(z.optional(searchPrice()), "USD per 1,000 server-side web searches (default: 10 when provider is anthropic, else none: searches are then refused)"),
  provider: described(z.optional(oneOf(["openai", "anthropic", "gemini", "other"])), "billing conventions to apply"),
  max_output_tokens: described(z.optional(integerAtLeast(1)), "worst-case output bound when a request sets none"),
  long_context: z.optional(mapping(longContextShape, "a mapping { above_tokens, input, output, … }")),
};

/** The keys of one `proxy` entry. */
export const upstreamShape = {
  upstream: described(z.optional(httpUrl()), "the provider API the proxy forwards to"),
};

/** The keys of `proxy`. */
export const proxyShape = {
  openai: z.optional(mapping(upstreamShape, "a mapping { upstream }")),
  anthropic: z.optional(mapping(upstreamShape, "a mapping { upstream }")),
  gemini: z.optional(mapping(upstreamShape, "a mapping { upstream }")),
};

/** The keys of `ledger`. */
export const ledgerShape = {
  dir: described(z._default(nonEmptyString("a directory path"), ".aegis/sessions"), "relative to the config file's directory"),
};

/** The keys of `run`. */
export const runShape = {
  kill_on: described(z._default(oneOf(["fatal", "always", "never"]), "fatal"), "which blocks stop the agent"),
  kill_grace_seconds: described(z._default(positiveNumber(), 5), "SIGTERM → SIGKILL grace, seconds"),
};

/** The store used when the config names none. */
export const DEFAULT_STORE_URL = ".aegis/budget.db";

/** The keys of `store` (the mapping form). */
export const storeShape = {
  url: described(z._default(storeUrl(), DEFAULT_STORE_URL), "SQLite file (relative to the config file) or redis://host:port/db"),
  fail_open: described(z._default(z.boolean({ error: "true or false" }), false), "admit calls (and warn) when the store is unreachable"),
  lease_seconds: described(z._default(positiveNumber(), 300), "reservations of a crashed run expire after this"),
};

const storeSchema = z.pipe(
  z.union([storeUrl(), mapping(storeShape, "a mapping { url, fail_open, lease_seconds }")], {
    error: "a SQLite path or redis:// URL, or a mapping { url, fail_open, lease_seconds }",
  }),
  z.transform((value) => (typeof value === "string" ? { url: value, fail_open: false, lease_seconds: 300 } : value)),
);

/** The top-level sections. */
export const configShape = {
  cost: described(z.prefault(mapping(costShape, "a mapping of cost limits"), {}), "cost limits; every limit is optional"),
  agents: described(
    z._default(
      z.record(
        z.string(),
        z.pipe(
          z.nullable(mapping(agentShape, "a mapping { parent?, budget_usd? } (or nothing)")),
          z.transform((agent) => agent ?? {}),
        ),
        { error: "a mapping of agent ids" },
      ),
      {},
    ),
    "the delegation tree: agent id → { parent?, budget_usd? }",
  ),
  pricing: described(
    z._default(
      z.record(z.string(), mapping(priceShape, "a mapping { input, output, … } of USD per million tokens"), {
        error: "a mapping of model ids to prices",
      }),
      {},
    ),
    "custom or overriding model prices, USD per million tokens",
  ),
  proxy: described(z.prefault(mapping(proxyShape, "a mapping { openai?, anthropic?, gemini? }"), {}), "upstreams of the zero-code proxy (default: the official APIs)"),
  ledger: described(z.prefault(mapping(ledgerShape, "a mapping { dir }"), {}), "where session ledgers are written"),
  run: described(z.prefault(mapping(runShape, "a mapping { kill_on, kill_grace_seconds }"), {}), "how `aegis run` stops an agent"),
  store: described(z.prefault(storeSchema, {}), "shared budgets; a string is shorthand for { url: … }"),
};

/** The whole aegis.yaml. */
export const configSchema = mapping(configShape, "a mapping of sections (cost, agents, pricing, proxy, ledger, run, store)");

/** A validated config with every default applied (keys as written in aegis.yaml). */
export type AegisConfig = z.output<typeof configSchema>;

/** The config as a user may write it (every section and most keys optional). */
export type AegisConfigInput = z.input<typeof configSchema>;
