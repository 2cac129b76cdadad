// The library entry point: the pure cost engine and its types, for embedding aegis in a process.
export * from "./core/money.js";
export * from "./core/usage.js";
export type * from "./core/pricing/types.js";
export type * from "./core/policy/types.js";
export type * from "./core/policy/governor.js";
export type * from "./core/report/types.js";
