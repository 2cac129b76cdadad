// The config module: aegis.yaml discovery, loading, validation, JSON Schema and converters to the
// core contracts.
export { configSchema, DEFAULT_LOOP_DETECTION, DEFAULT_STORE_URL, type AegisConfig, type AegisConfigInput } from "./schema.js";
export { validateConfigText, type ValidationResult } from "./validate.js";
export { formatProblem, type ConfigProblem } from "./problem.js";
export { findConfig, CONFIG_FILE_NAMES } from "./discover.js";
export { loadConfig, readConfigFile, displayName, type LoadConfigOptions, type LoadedConfig } from "./load.js";
export { canonicalJson, configDigest } from "./digest.js";
export { toLimits, toAgentSpecs, toPricingOverrides, inferProvider } from "./convert.js";
export { DEFAULT_UPSTREAMS } from "./upstreams.js";
