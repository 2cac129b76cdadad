// Builds the commander program. Command modules are imported lazily inside each action so that
// `aegis --version` and `aegis --help` load almost nothing (start-up time is a benchmarked goal).
import { Command, Option } from "commander";
import type { Output } from "./output.js";
import { VERSION } from "../version.js";

/** Receives the exit code an action decided. */
export type SetExitCode = (code: number) => void;

/** Creates the `aegis` program; `setExit` receives each action's exit code. */
export function createProgram(out: Output, setExit: SetExitCode): Command {
  const program = new Command("aegis")
    .description("Keeps AI agents from burning through LLM budgets: meters every call, enforces cost limits, stops runaway agents.")
    .version(VERSION, "-V, --version", "print the aegis version")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.data(s.replace(/\n$/, "")),
      writeErr: (s) => out.message(s.replace(/\n$/, "")),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Exit codes of "aegis run": the agent's own code (128+N when it died of signal N); 124 aegis stopped
the agent because a limit blocked; 125 aegis failed (bad config, cannot listen); 126 the agent cannot
be executed; 127 the agent was not found. Other commands: 0 success, 1 a failed check, 2 usage error.`,
    );

  program
    .command("run")
    .description("run an agent under governance: meter its LLM calls, enforce limits, report who spent what")
    .usage("[options] -- <command> [args...]")
    .option("-c, --config <file>", "config file (default: aegis.yaml or aegis.yml here or in a parent directory)")
    .option("-l, --ledger <file>", "ledger file to append to (default: <ledger.dir>/<session-id>.jsonl)")
    .option("-a, --agent <id>", "agent that calls are attributed to when they name none")
    .option("--store <url>", "budget store shared across runs: a SQLite path or redis://host:port/db")
    .argument("<command...>", "the agent command and its arguments (after --)")
    .passThroughOptions()
    .exitOverride()
    .action(async (command: string[], opts: Record<string, unknown>) => {
      const { runCommand } = await import("./commands/run.js");
      setExit(await runCommand(command, opts, out));
    });

  program
    .command("report")
    .description("report spend and attribution from one or more ledgers (files or directories)")
    .argument("<ledgers...>", "ledger files (.jsonl) or directories of them")
    .addOption(new Option("--json", "one versioned JSON object (the shape of GET /v1/report)").conflicts(["csv", "markdown"]))
    .addOption(new Option("--csv", "CSV rows").conflicts(["json", "markdown"]))
    .addOption(new Option("--markdown", "a Markdown table").conflicts(["json", "csv"]))
    .addOption(new Option("--by <grouping>", "group rows by").choices(["agent", "model", "day", "session"]).default("agent"))
    .option("--since <date>", "only calls at or after this ISO date/time")
    .option("--until <date>", "only calls before this ISO date/time")
    .option("--tz <zone>", "IANA time zone for days (default UTC)")
    .option("--store <url>", "also show the shared budget store's totals (today: the day row of runs whose daily_reset_timezone is the --tz zone; all time): a SQLite path or redis://host:port/db")
    .exitOverride()
    .action(async (ledgers: string[], opts: Record<string, unknown>) => {
      const { reportCommand } = await import("./commands/report.js");
      setExit(await reportCommand(ledgers, opts, out));
    });

  const pricing = program.command("pricing").description("the pricing table in force").exitOverride();
  pricing
    .command("list")
    .description("list every priced model: built-in prices plus pricing: overrides from the config")
    .option("--json", "JSON for machines")
    .option("--provider <provider>", "only this provider (openai, anthropic, gemini, other)")
    .option("-c, --config <file>", "config file whose pricing: overrides apply")
    .exitOverride()
    .action(async (opts: Record<string, unknown>) => {
      const { pricingListCommand } = await import("./commands/pricing-list.js");
      setExit(await pricingListCommand(opts, out));
    });

  program
    .command("validate")
    .description("check a config file: every problem with its path, line:column, expectation and received value")
    .argument("[file]", "config file (default: aegis.yaml or aegis.yml here or in a parent directory)")
    .exitOverride()
    .action(async (file: string | undefined) => {
      const { validateCommand } = await import("./commands/validate.js");
      setExit(await validateCommand(file, out));
    });

  return program;
}
