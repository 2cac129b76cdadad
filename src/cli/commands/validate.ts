// `aegis validate [file]`: checks a config and prints every problem (stdout: they are the
// command's data), one per line as `file:line:column path: expected …, received …`.
import { resolve } from "node:path";
import type { Output } from "../output.js";
import { ConfigError, EXIT } from "../../errors.js";
import { displayName, findConfig, formatProblem, readConfigFile, validateConfigText, type AegisConfig } from "../../config/index.js";

/** `aegis validate`: 0 and a one-line summary when valid; 1 and every problem otherwise. */
export async function validateCommand(file: string | undefined, out: Output): Promise<number> {
  const cwd = process.cwd();
  const path = file === undefined ? findConfig(cwd) : resolve(cwd, file);
  if (path === null) {
    throw new ConfigError(`no aegis.yaml or aegis.yml in ${cwd} or any parent directory (name a file: aegis validate FILE)`, []);
  }
  const name = displayName(path, cwd);
  const { config, problems } = validateConfigText(await readConfigFile(path, { cwd }), name);
  if (config !== undefined) {
    out.data(`${name} is valid: ${summary(config)}`);
    return EXIT.ok;
  }
  for (const problem of problems) out.data(formatProblem(problem, name));
  out.message(`${count(problems.length, "problem")} in ${name}`);
  return EXIT.checkFailed;
}

// "5 limits, 4 agents, 1 custom price".
function summary(config: AegisConfig): string {
  const { budget_usd, per_call_limit_usd, per_session_limit_usd, daily_budget_usd, per_minute_tokens } = config.cost;
  const limits = [budget_usd, per_call_limit_usd, per_session_limit_usd, daily_budget_usd, per_minute_tokens].filter((v) => v !== undefined);
  return [
    count(limits.length, "limit"),
    count(Object.keys(config.agents).length, "agent"),
    count(Object.keys(config.pricing).length, "custom price"),
  ].join(", ");
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
