// The zod schema of aegis.yaml (DESIGN §2), the single source of truth for validation, defaults,
// the AegisConfig type and the published JSON Schema (schema/aegis.schema.json).
import * as z from "zod";
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
  storeUrl,
  timeZone,
} from "./fields.js";

/** Loop detection when the config does not mention it. */
export const DEFAULT_LOOP_DETECTION = { window_seconds: 60, threshold: 5 } as const;

/** The keys of `cost.loop_detection`. */
export const loopDetectionShape = {
  window_seconds: positiveNumber().default(DEFAULT_LOOP_DETECTION.window_seconds).describe("the window in seconds"),
  threshold: integerAtLeast(2).default(DEFAULT_LOOP_DETECTION.threshold).describe("the Nth identical call within the window is blocked"),
};

/** The keys of `cost`. */
export const costShape = {
  budget_usd: positiveUsd().optional().describe("hard ceiling across all sessions (persistent), USD"),
  per_call_limit_usd: positiveUsd().optional().describe("max cost of one LLM call, USD"),
  per_session_limit_usd: positiveUsd().optional().describe("max cost of one `aegis run`, USD"),
  daily_budget_usd: positiveUsd().optional().describe("daily budget, reset at midnight in daily_reset_timezone, USD"),
  daily_reset_timezone: timeZone().default("UTC").describe("IANA time zone whose midnight resets the daily budget"),
  per_minute_tokens: integerAtLeast(1).optional().describe("max tokens in a rolling 60 s window"),
  alert_threshold: z
    .number({ error: "a number greater than 0 and at most 1" })
    .gt(0, { error: "a number greater than 0 and at most 1" })
    .max(1, { error: "a number greater than 0 and at most 1" })
    .default(0.8)
    .describe("warn when utilisation of a budget reaches this fraction"),
  on_exceed: oneOf(["block", "warn", "log"]).default("block").describe("what a violated limit does"),
  loop_detection: z
    .union([z.literal(false), mapping(loopDetectionShape, "a mapping { window_seconds, threshold }")], {
      error: "false (to disable) or a mapping { window_seconds, threshold }",
    })
    .default({ ...DEFAULT_LOOP_DETECTION })
    .describe("block the Nth identical call within the window; false disables"),
};

/** The keys of one `agents` entry. */
export const agentShape = {
  parent: nonEmptyString("the id of another agent in `agents`").optional().describe("the agent this one delegates for"),
  budget_usd: positiveUsd().optional().describe("this agent's own budget (its subtree's spend), USD"),
};

/** The keys of a long-context price tier. */
export const longContextShape = {
  above_tokens: integerAtLeast(1).describe("prompt size (tokens) above which the whole request bills at these rates"),
  input: price(),
  output: price(),
  cached: price().optional(),
  cache_write: price().optional(),
  cache_write_1h: price().optional(),
};

/** The keys of one `pricing` entry (USD per million tokens). */
export const priceShape = {
  input: price().describe("USD per million input tokens"),
  output: price().describe("USD per million output tokens"),
  cached: price().optional().describe("USD per million cache-read tokens (default: the input rate)"),
  cache_write: price().optional().describe("USD per million cache-write tokens (default: the input rate)"),
  cache_write_1h: price().optional().describe("USD per million 1-hour cache-write tokens (default: cache_write)"),
  web_search_per_1k: searchPrice()
    .optional()
    .describe("USD per 1,000 server-side web searches (default: 10 when provider is anthropic, else none: searches are then refused)"),
  provider: oneOf(["openai", "anthropic", "gemini", "other"]).optional().describe("billing conventions to apply"),
  max_output_tokens: integerAtLeast(1).optional().describe("worst-case output bound when a request sets none"),
  long_context: mapping(longContextShape, "a mapping { above_tokens, input, output, … }").optional(),
};

/** The keys of one `proxy` entry. */
export const upstreamShape = {
  upstream: httpUrl().optional().describe("the provider API the proxy forwards to"),
};

/** The keys of `proxy`. */
export const proxyShape = {
  openai: mapping(upstreamShape, "a mapping { upstream }").optional(),
  anthropic: mapping(upstreamShape, "a mapping { upstream }").optional(),
  gemini: mapping(upstreamShape, "a mapping { upstream }").optional(),
};

/** The keys of `ledger`. */
export const ledgerShape = {
  dir: nonEmptyString("a directory path").default(".aegis/sessions").describe("relative to the config file's directory"),
};

/** The keys of `run`. */
export const runShape = {
  kill_on: oneOf(["fatal", "always", "never"]).default("fatal").describe("which blocks stop the agent"),
  kill_grace_seconds: positiveNumber().default(5).describe("SIGTERM → SIGKILL grace, seconds"),
};

/** The store used when the config names none. */
export const DEFAULT_STORE_URL = ".aegis/budget.db";

/** The keys of `store` (the mapping form). */
export const storeShape = {
  url: storeUrl().default(DEFAULT_STORE_URL).describe("SQLite file (relative to the config file) or redis://host:port/db"),
  fail_open: z.boolean({ error: "true or false" }).default(false).describe("admit calls (and warn) when the store is unreachable"),
  lease_seconds: positiveNumber().default(300).describe("reservations of a crashed run expire after this"),
};

const storeSchema = z
  .union([storeUrl(), mapping(storeShape, "a mapping { url, fail_open, lease_seconds }")], {
    error: "a SQLite path or redis:// URL, or a mapping { url, fail_open, lease_seconds }",
  })
  .transform((value) => (typeof value === "string" ? { url: value, fail_open: false, lease_seconds: 300 } : value));

/** The top-level sections. */
export const configShape = {
  cost: mapping(costShape, "a mapping of cost limits").prefault({}).describe("cost limits; every limit is optional"),
  agents: z
    .record(
      z.string(),
      mapping(agentShape, "a mapping { parent?, budget_usd? } (or nothing)")
        .nullable()
        .transform((agent) => agent ?? {}),
      { error: "a mapping of agent ids" },
    )
    .default({})
    .describe("the delegation tree: agent id → { parent?, budget_usd? }"),
  pricing: z
    .record(z.string(), mapping(priceShape, "a mapping { input, output, … } of USD per million tokens"), {
      error: "a mapping of model ids to prices",
    })
    .default({})
    .describe("custom or overriding model prices, USD per million tokens"),
  proxy: mapping(proxyShape, "a mapping { openai?, anthropic?, gemini? }").prefault({}).describe("upstreams of the zero-code proxy (default: the official APIs)"),
  ledger: mapping(ledgerShape, "a mapping { dir }").prefault({}).describe("where session ledgers are written"),
  run: mapping(runShape, "a mapping { kill_on, kill_grace_seconds }").prefault({}).describe("how `aegis run` stops an agent"),
  store: storeSchema.prefault({}).describe("shared budgets; a string is shorthand for { url: … }"),
};

/** The whole aegis.yaml. */
export const configSchema = mapping(configShape, "a mapping of sections (cost, agents, pricing, proxy, ledger, run, store)");

/** A validated config with every default applied (keys as written in aegis.yaml). */
export type AegisConfig = z.output<typeof configSchema>;

/** The config as a user may write it (every section and most keys optional). */
export type AegisConfigInput = z.input<typeof configSchema>;
