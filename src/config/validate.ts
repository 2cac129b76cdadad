// validateConfigText: YAML text → a typed config with defaults, or every problem at once.
// Stages: YAML syntax → duplicate keys → schema (types, ranges, unknown keys) → cross-field rules.
import { configSchema, type AegisConfig } from "./schema.js";
import { parseYaml } from "./parse-yaml.js";
import { problemsFromIssues } from "./issues.js";
import { RULES } from "./rules.js";
import type { ConfigProblem } from "./problem.js";

/** The outcome of validating a config: the config when there are no problems. */
export interface ValidationResult {
  config?: AegisConfig;
  problems: ConfigProblem[];
}

/**
 * Validates the text of an aegis.yaml. `fileName` is not read; it names the file in nothing but
 * the caller's formatting (see formatProblem) and is accepted here so callers pass it once.
 */
export function validateConfigText(text: string, _fileName: string): ValidationResult {
  const yaml = parseYaml(text);
  if (yaml.data === undefined && yaml.problems.length > 0) return { problems: yaml.problems };
  // An empty file (or one holding only comments) is a config with every default.
  const data = yaml.data ?? {};
  const problems = [...yaml.problems];
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) problems.push(...problemsFromIssues(parsed.error.issues, data, yaml));
  const ctx = { data, yaml, problems };
  for (const rule of RULES) rule(ctx);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return parsed.success && problems.length === 0 ? { config: parsed.data, problems } : { problems };
}
