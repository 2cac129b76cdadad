// Turns zod issues into config problems in the house style: the expected text comes from the
// field (see fields.ts), the received text from the value in the file, the position from YAML.
import type * as z from "zod/mini";
import {
  agentShape,
  configShape,
  costShape,
  ledgerShape,
  longContextShape,
  loopDetectionShape,
  priceShape,
  proxyShape,
  runShape,
  storeShape,
  upstreamShape,
} from "./schema.js";
import { closestKey } from "./suggest.js";
import { describeValue, makeProblem, pathText, type ConfigProblem } from "./problem.js";
import type { ParsedYaml } from "./parse-yaml.js";

type Path = (string | number)[];

// The keys each mapping allows; agent ids and model ids (free-form keys) are written "*".
const ALLOWED_KEYS: Record<string, readonly string[]> = {
  "": Object.keys(configShape),
  cost: Object.keys(costShape),
  "cost.loop_detection": Object.keys(loopDetectionShape),
  "agents.*": Object.keys(agentShape),
  "pricing.*": Object.keys(priceShape),
  "pricing.*.long_context": Object.keys(longContextShape),
  proxy: Object.keys(proxyShape),
  "proxy.openai": Object.keys(upstreamShape),
  "proxy.anthropic": Object.keys(upstreamShape),
  "proxy.gemini": Object.keys(upstreamShape),
  ledger: Object.keys(ledgerShape),
  run: Object.keys(runShape),
  store: Object.keys(storeShape),
};

/** Converts the issues of a failed parse of `data` into problems positioned by `yaml`. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], data: unknown, yaml: ParsedYaml): ConfigProblem[] {
  return issues.flatMap((issue) => fromIssue(issue, [], data, yaml));
}

function fromIssue(issue: z.core.$ZodIssue, base: Path, data: unknown, yaml: ParsedYaml): ConfigProblem[] {
  const path: Path = [...base, ...issue.path.map((s) => (typeof s === "number" ? s : String(s)))];
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => unknownKey([...path, key], yaml));
  }
  if (issue.code === "invalid_union") {
    // A union such as `store: <path> | { url, … }`: report the problems of the branch whose type
    // the value has; when it has neither type, say what the union accepts.
    const branch = issue.errors.find((branchIssues) => !branchIssues.some(isTypeMismatchAtRoot));
    if (branch !== undefined) return branch.flatMap((inner) => fromIssue(inner, path, data, yaml));
  }
  return [
    makeProblem({
      path: pathText(path),
      ...yaml.locate(path),
      expected: issue.message,
      received: describeValue(valueAt(data, path)),
    }),
  ];
}

function unknownKey(path: Path, yaml: ParsedYaml): ConfigProblem {
  const key = String(path[path.length - 1]);
  const allowed = ALLOWED_KEYS[patternOf(path.slice(0, -1))] ?? [];
  const suggestion = closestKey(key, allowed);
  const where = pathText(path);
  const expected = `one of the keys ${allowed.join(", ")}`;
  return makeProblem({
    path: where,
    ...yaml.locate(path, "key"),
    expected,
    received: `the unknown key ${JSON.stringify(key)}`,
    message: suggestion === undefined ? `${where}: unknown key; expected ${expected}` : `${where}: unknown key`,
    ...(suggestion === undefined ? {} : { suggestion: `did you mean \`${suggestion}\`?` }),
  });
}

function isTypeMismatchAtRoot(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === "invalid_type" || issue.code === "invalid_value");
}

// "pricing.my-model.long_context" → "pricing.*.long_context".
function patternOf(path: Path): string {
  const parts = path.map(String);
  if ((parts[0] === "agents" || parts[0] === "pricing") && parts.length > 1) parts[1] = "*";
  return parts.join(".");
}

/** The value at `path` in plain data, or undefined. */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value == null || typeof value !== "object" || !Object.hasOwn(value, segment)) return undefined;
    value = Reflect.get(value, segment);
  }
  return value;
}
