// One `aegis run`: config → pricing → governor → ledger → metering server → agent, then the
// end-of-run report. Returns the exit code of DESIGN §8; an AegisError thrown from here carries
// its own (125 for a bad config or a server that cannot listen, 126/127 for the agent command).
import { relative, resolve, isAbsolute } from "node:path";
import { AegisError, EXIT } from "../errors.js";
import { nanosToUsd } from "../core/money.js";
import { loadConfig, toAgentSpecs, toLimits, toPricingOverrides } from "../config/index.js";
import { buildPricingTable } from "../core/pricing/resolve.js";
import { createGovernor, defaultAgentOf } from "../core/policy/index.js";
import { standbyStore } from "../core/policy/standby-store.js";
import type { PricingTable } from "../core/pricing/types.js";
import { LEDGER_VERSION } from "../ledger/entry.js";
import { openLedger, type LedgerWriter } from "../ledger/writer.js";
import { newSessionToken, startMeteringServer, type MeteringServer, type MeteringService, type ProxyHandler } from "../server/index.js";
import { agentEnvironment, resolveUpstreams, type Upstreams } from "./agent-env.js";
import { createSessionMeter, type KillOn } from "./meter.js";
import { newSessionId } from "./session-id.js";
import { sessionStartLine } from "./start-line.js";
import { startAgent, type AgentExit } from "./supervisor.js";
import { formatRunSummary } from "./summary.js";
import { openBudgetStore, resolveStoreUrl } from "../store/open-store.js";
import { readStoreTotals } from "../store/totals.js";
import { startLeaseRenewal } from "./lease-renewal.js";

/** What the provider proxy gets when it is mounted on the session's server (issue 4). */
export interface ProxyContext {
  sessionId: string;
  /** Meter every proxied call through this: it writes the ledger and applies the kill rule. */
  service: MeteringService;
  /** Where to forward each provider (config, else the parent's base-URL variable, else the official API). */
  upstreams: Upstreams;
  /** Agent of calls without an `x-aegis-agent` header (`--agent`, else the tree's root). */
  defaultAgent: string;
  pricing: PricingTable;
  /** One line to stderr. */
  notify: (line: string) => void;
}

/**
 * The mounted proxy: its route handler, plus (optionally) a way to wait for proxied calls still
 * settling — a stream cut by the agent's exit is read to its usage before the session ends — and
 * to close its upstream connections.
 */
export type MountedProxyHandler = ProxyHandler & { drain?: () => Promise<void>; close?: () => Promise<void> };

/** Options of a run. */
export interface RunSessionOptions {
  /** The agent command and its arguments. */
  command: readonly string[];
  configPath?: string;
  ledgerPath?: string;
  agent?: string;
  /** `--store`: the budget store (a SQLite path or a redis:// URL), overriding the config's `store`. */
  store?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** One message line to stderr. */
  notify: (text: string) => void;
  /** Called once the agent has been started (start-up is over; the session now serves it). */
  onAgentStarted?: () => void;
  /** Mounts the provider proxy; without it the proxy routes answer 501. */
  mountProxy?: (context: ProxyContext) => MountedProxyHandler;
  clock?: () => number;
}

/** Runs the agent under governance and resolves to the exit code. */
export async function runSession(o: RunSessionOptions): Promise<number> {
  const [command, ...args] = o.command;
  if (command === undefined || command === "") throw new AegisError("no agent command given: aegis run [options] -- <command> [args…]", EXIT.usage);
  const clock = o.clock ?? Date.now;
  const loaded = await loadConfig({ path: o.configPath, cwd: o.cwd, exitCode: EXIT.aegisFailed });
  const { config } = loaded;
  const limits = toLimits(config);
  const agents = toAgentSpecs(config);
  const defaultAgent = o.agent ?? defaultAgentOf(agents);
  const pricing = buildPricingTable(toPricingOverrides(config, new Date(clock()).toISOString().slice(0, 10)));
  const sessionId = newSessionId(clock());
  const token = newSessionToken();
  // Total, daily and agent budgets live in the shared store; the per-session limit stays in this run.
  const store = await openBudgetStore({ url: o.store !== undefined ? resolveStoreUrl(o.store, o.cwd) : loaded.storeUrl, failOpen: config.store.fail_open, notify: o.notify, cwd: o.cwd });
  const leaseMs = config.store.lease_seconds * 1000;
  // The governor reserves through standbys: a proxied call is admitted against budget held for it
  // since the previous call settled, with no store transaction before it is forwarded.
  let standbys = 0;
  const budgetStore = standbyStore(store, () => `${sessionId}:standby:${++standbys}`);
  const governor = createGovernor({ sessionId, limits, agents, defaultAgent, pricing, clock, store: budgetStore, storeFailOpen: config.store.fail_open, reservationLeaseMs: leaseMs });
  // While this run lives, its calls in flight keep their reservations however long they take.
  const renewal = startLeaseRenewal({
    renew: () => governor.renewLeases(),
    leaseMs,
    onError: (error) => o.notify(`aegis: internal error while renewing reservation leases: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  const closeStore = async (): Promise<void> => {
    renewal.stop();
    await budgetStore.releaseAll();
    await store.close();
  };

  const ledgerPath = o.ledgerPath !== undefined ? resolve(o.cwd, o.ledgerPath) : resolve(loaded.ledgerDir, `${sessionId}.jsonl`);
  let ledger: LedgerWriter;
  try {
    ledger = openLedger(ledgerPath, { secrets: [token] });
  } catch (error) {
    await closeStore();
    throw new AegisError(`cannot write the ledger ${ledgerPath}: ${error instanceof Error ? error.message : String(error)}`, EXIT.aegisFailed);
  }
  const shownLedger = display(ledgerPath, o.cwd);
  const iso = (): string => new Date(clock()).toISOString();
  ledger.write(sessionStartLine({ ts: iso(), sessionId, command: o.command, configPath: loaded.path, digest: loaded.digest, limits, agents, defaultAgent }));

  const end = (exit: AgentExit, totals = meter.totals()): void => {
    ledger.write({
      v: LEDGER_VERSION,
      type: "session_end",
      ts: iso(),
      session_id: sessionId,
      exit_code: exit.exitCode,
      signal: exit.signal,
      stopped_reason: exit.stoppedReason,
      totals: { spent_usd: nanosToUsd(totals.spent), spent_nanos: totals.spent, calls: totals.calls, blocked: totals.blocked, warned: totals.warned },
    });
    ledger.close();
  };

  let stopAgent: (reason: string) => void = () => {};
  const meter = createSessionMeter({
    sessionId,
    governor,
    pricing,
    ledger,
    defaultAgent,
    killOn: config.run.kill_on satisfies KillOn,
    clock,
    notify: o.notify,
    stop: (reason) => stopAgent(reason),
  });

  let server: MeteringServer;
  try {
    server = await startMeteringServer({ service: meter, token, onInternalError: (error) => o.notify(`aegis: internal error while serving the agent: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) });
  } catch (error) {
    end({ exitCode: EXIT.aegisFailed, code: null, signal: null, stoppedReason: null });
    await closeStore();
    throw new AegisError(`cannot listen on 127.0.0.1: ${error instanceof Error ? error.message : String(error)}`, EXIT.aegisFailed);
  }
  const upstreams = resolveUpstreams(config, o.env);
  const proxy = o.mountProxy?.({ sessionId, service: meter, upstreams, defaultAgent, pricing, notify: o.notify });
  if (proxy !== undefined) server.setProxyHandler(proxy);
  // Proxied calls still settling (the proxy bounds how long) are billed before the ledger ends.
  const closeProxy = async (): Promise<void> => {
    await proxy?.drain?.();
    await proxy?.close?.();
  };

  const graceMs = config.run.kill_grace_seconds * 1000;
  let exit: AgentExit;
  try {
    const agent = await startAgent({
      command,
      args,
      env: agentEnvironment(o.env, { url: server.url, token, sessionId, proxyUrls: server.proxyUrls }),
      graceMs,
      envMarker: `AEGIS_SESSION_ID=${sessionId}`,
      onEscalate: (signal) => o.notify(`aegis: ${signal} received: stopping the agent and its processes`),
    });
    o.onAgentStarted?.();
    let stopping = false;
    stopAgent = (reason) => {
      if (stopping) return;
      stopping = true;
      o.notify(`aegis: stopping the agent (SIGTERM, SIGKILL after ${config.run.kill_grace_seconds}s): ${reason}`);
      agent.stop(reason);
    };
    exit = await agent.exited;
  } catch (error) {
    await server.close();
    await closeProxy();
    const code = error instanceof AegisError ? error.exitCode : EXIT.aegisFailed;
    end({ exitCode: code, code: null, signal: null, stoppedReason: null });
    await closeStore();
    throw error;
  }
  // The agent's tree is gone: its endpoints go too, then the report.
  await server.close();
  await closeProxy();
  const report = await governor.report();
  const totals = meter.totals();
  await budgetStore.releaseAll();
  const storeTotals = await readStoreTotals(store, store.url, limits.dailyResetTimezone ?? "UTC", clock());
  await closeStore();
  end(exit, totals);
  o.notify(formatRunSummary({ report, totals, budget: limits.budget, stoppedReason: exit.stoppedReason, ledgerPath: shownLedger, store: storeTotals }));
  return exit.exitCode;
}

// A path as the user should see it: relative to cwd when inside it.
function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
