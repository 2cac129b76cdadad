// `aegis run [--config F] [--ledger F] [--agent ID] [--store URL] -- <command> [args…]`:
// runs the agent under governance (DESIGN §3–§8). Everything happens in src/run/session.ts;
// this adapter maps options and routes messages to stderr.
import type { Output } from "../output.js";
import { UsageError } from "../../errors.js";
import { runSession } from "../../run/session.js";
import { keepHeapHeadroom, limitHeapGrowth, releaseYoungGeneration } from "../../run/heap-growth.js";
import { createProxy } from "../../proxy/index.js";

// An option value commander gave us, if it is a string.
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `aegis run`: resolves to the exit code of DESIGN §8. */
export async function runCommand(command: string[], opts: Record<string, unknown>, out: Output): Promise<number> {
  const agent = str(opts.agent);
  if (agent !== undefined && agent.trim() === "") throw new UsageError(`--agent: expected an agent id, received an empty string`);
  limitHeapGrowth();
  return runSession({
    command,
    configPath: str(opts.config),
    ledgerPath: str(opts.ledger),
    agent,
    store: str(opts.store),
    cwd: process.cwd(),
    env: process.env,
    notify: (text) => out.message(text),
    // bin/aegis.js held the young generation for the start-up; under load it grows as V8 likes,
    // and the old generation gets its minimum headroom.
    onAgentStarted: () => {
      releaseYoungGeneration();
      keepHeapHeadroom();
    },
    mountProxy: (context) => createProxy(context),
  });
}
