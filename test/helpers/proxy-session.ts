// An in-process governed session for proxy tests: the real governor, session meter, ledger,
// metering server and proxy, forwarding to a fake upstream. (The end-to-end tests spawn
// `aegis run` instead; this harness makes the proxy's behaviour quick to probe.)
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { usdToNanos } from "../../src/core/money.js";
import { buildPricingTable } from "../../src/core/pricing/resolve.js";
import type { ModelPrice } from "../../src/core/pricing/types.js";
import { createGovernor } from "../../src/core/policy/index.js";
import type { AgentSpec, Limits } from "../../src/core/policy/types.js";
import type { DecisionLine, LedgerLine } from "../../src/ledger/entry.js";
import { openLedger } from "../../src/ledger/writer.js";
import { createSessionMeter } from "../../src/run/meter.js";
import { newSessionToken, startMeteringServer, type MeteringServer } from "../../src/server/index.js";
import { createProxy, type MountedProxy, type ProxyOptions } from "../../src/proxy/index.js";

/** A running session. */
export interface ProxySession {
  server: MeteringServer;
  proxy: MountedProxy;
  stderr: string[];
  stops: string[];
  ledgerPath: string;
  /** The ledger's decision lines so far. */
  decisions(): DecisionLine[];
  close(): Promise<void>;
}

/** Options: limits in USD, an agent tree, upstream base URL of the fake. */
export interface SessionOptions {
  upstream: string;
  budgetUsd?: number;
  perCallUsd?: number;
  perSessionUsd?: number;
  agents?: AgentSpec[];
  loopThreshold?: number;
  proxy?: ProxyOptions;
  /** Config-style price entries added to the built-in table. */
  pricing?: ModelPrice[];
}

/** Starts a session whose proxy forwards every provider to `upstream`. */
export async function startProxySession(o: SessionOptions): Promise<ProxySession> {
  const limits: Limits = {
    alertThreshold: 1,
    onExceed: "block",
    loop: { windowSeconds: 60, threshold: o.loopThreshold ?? Number.POSITIVE_INFINITY },
    ...(o.budgetUsd !== undefined ? { budget: usdToNanos(o.budgetUsd) } : {}),
    ...(o.perCallUsd !== undefined ? { perCall: usdToNanos(o.perCallUsd) } : {}),
    ...(o.perSessionUsd !== undefined ? { perSession: usdToNanos(o.perSessionUsd) } : {}),
  };
  const agents = o.agents ?? [];
  const pricing = buildPricingTable(o.pricing);
  const sessionId = "test-session";
  const defaultAgent = agents[0]?.id ?? "main";
  const governor = createGovernor({ sessionId, limits, agents, defaultAgent, pricing, clock: Date.now });
  const dir = mkdtempSync(join(tmpdir(), "aegis-proxy-"));
  const ledgerPath = join(dir, "ledger.jsonl");
  const token = newSessionToken();
  const ledger = openLedger(ledgerPath, { secrets: [token] });
  const stderr: string[] = [];
  const stops: string[] = [];
  const meter = createSessionMeter({
    sessionId,
    governor,
    pricing,
    ledger,
    defaultAgent,
    killOn: "fatal",
    clock: Date.now,
    notify: (line) => stderr.push(line),
    stop: (reason) => stops.push(reason),
  });
  const server = await startMeteringServer({ service: meter, token, onInternalError: (e) => stderr.push(String(e)) });
  const upstream = { url: o.upstream, from: "config" as const };
  const proxy = createProxy(
    { service: meter, upstreams: { openai: { ...upstream, url: `${o.upstream}/v1` }, anthropic: upstream, gemini: upstream }, pricing, notify: (line) => stderr.push(line) },
    o.proxy,
  );
  server.setProxyHandler(proxy);
  return {
    server,
    proxy,
    stderr,
    stops,
    ledgerPath,
    decisions: () =>
      readFileSync(ledgerPath, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as LedgerLine)
        .filter((l): l is DecisionLine => l.type === "decision"),
    async close() {
      await server.close();
      await proxy.drain();
      await proxy.close();
      ledger.close();
    },
  };
}
