// The library entry point: the pure cost engine and its types, for embedding aegis in a process.
export * from "./core/money.js";
export * from "./core/usage.js";
export type * from "./core/pricing/types.js";
export { BUILTIN_PRICES, BUILTIN_PRICES_AS_OF } from "./core/pricing/builtin-prices.js";
export { buildPricingTable, resolveModel, normalizeModelName } from "./core/pricing/resolve.js";
export { costOf, ratesFor, describeUnknownModel } from "./core/pricing/cost.js";
export * from "./core/usage-converters.js";
export type * from "./core/policy/types.js";
export type * from "./core/policy/governor.js";
export type * from "./core/report/types.js";
