// Cross-field rules: what the per-field schema cannot see. They read the raw data defensively
// (the shape may be wrong elsewhere) so that their problems are reported together with the
// schema's, all at once.
import { closestKey } from "./suggest.js";
import { makeProblem, pathText, type ConfigProblem } from "./problem.js";
import type { ParsedYaml } from "./parse-yaml.js";

/** What a rule sees and where it reports. */
export interface RuleContext {
  data: unknown;
  yaml: ParsedYaml;
  problems: ConfigProblem[];
}

/** A cross-field check. */
export type Rule = (ctx: RuleContext) => void;

/** Every agent's `parent` names an agent of the tree. */
export const parentsExist: Rule = ({ data, yaml, problems }) => {
  const agents = parentsOf(data);
  const ids = [...agents.keys()];
  for (const [id, parent] of agents) {
    if (parent === undefined || agents.has(parent)) continue;
    const path = ["agents", id, "parent"];
    const suggestion = closestKey(parent, ids.filter((other) => other !== id));
    problems.push(
      makeProblem({
        path: pathText(path),
        ...yaml.locate(path),
        expected: ids.length > 1 ? `the id of another agent in \`agents\` (${ids.filter((o) => o !== id).join(", ")})` : "the id of another agent in `agents`",
        received: `${JSON.stringify(parent)}, which is not an agent in \`agents\``,
        ...(suggestion === undefined ? {} : { suggestion: `did you mean \`${suggestion}\`?` }),
      }),
    );
  }
};

/** The delegation tree has no cycles (a → b → a, or an agent that is its own parent). */
export const noParentCycles: Rule = ({ data, yaml, problems }) => {
  const agents = parentsOf(data);
  const reported = new Set<string>();
  for (const start of agents.keys()) {
    const chain: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && agents.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = agents.get(current);
    }
    // A cycle through `start` itself; a chain that merely runs into another cycle is reported there.
    if (current !== start || reported.has(start)) continue;
    chain.forEach((id) => reported.add(id));
    const path = ["agents", start, "parent"];
    const loop = [...chain, start].join(" → ");
    problems.push(
      makeProblem({
        path: pathText(path),
        ...yaml.locate(path),
        expected: "a parent chain that ends at a root agent (one without a parent)",
        received: `the cycle ${loop}`,
      }),
    );
  }
};

/** Model ids are case-insensitive: two `pricing` keys that differ only in case are one model twice. */
export const pricingIdsDistinct: Rule = ({ data, yaml, problems }) => {
  const pricing = isRecord(data) ? data.pricing : undefined;
  if (!isRecord(pricing)) return;
  const seen = new Map<string, string>();
  for (const id of Object.keys(pricing)) {
    const first = seen.get(id.toLowerCase());
    if (first === undefined) {
      seen.set(id.toLowerCase(), id);
      continue;
    }
    const path = ["pricing", id];
    problems.push(
      makeProblem({
        path: pathText(path),
        ...yaml.locate(path, "key"),
        expected: "each model id once (ids are case-insensitive)",
        received: `a second entry for ${JSON.stringify(first)}`,
      }),
    );
  }
};

/** Every cross-field rule, in reporting order. */
export const RULES: readonly Rule[] = [parentsExist, noParentCycles, pricingIdsDistinct];

// agent id → its parent id (undefined for a root or a parent that is not a string).
function parentsOf(data: unknown): Map<string, string | undefined> {
  const result = new Map<string, string | undefined>();
  const agents = isRecord(data) ? data.agents : undefined;
  if (!isRecord(agents)) return result;
  for (const [id, spec] of Object.entries(agents)) {
    const parent = isRecord(spec) ? spec.parent : undefined;
    result.set(id, typeof parent === "string" && parent !== "" ? parent : undefined);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value != null && typeof value === "object" && !Array.isArray(value);
}
