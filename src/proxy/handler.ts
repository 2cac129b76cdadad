// The zero-code proxy (DESIGN §5), mounted on the session's server under /proxy/<token>/<provider>.
// Routes are classified by the provider's adapter: metered calls go through admission and
// settlement (./metered-call.ts), calls that cannot spend pass straight through, and calls that
// could spend but cannot be metered are refused — no silent side door.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ProxyRoute } from "../server/index.js";
import { ADAPTERS } from "./providers/index.js";
import type { ProviderAdapter, ProviderName } from "./providers/types.js";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers.js";
import { isSafePath, parseUpstream, upstreamPath, type UpstreamBase } from "./upstream.js";
import { createUpstreamClient, type UpstreamClient } from "./client.js";
import { sendProviderJson } from "./answer.js";
import { meteredCall } from "./metered-call.js";
import type { ProxyDeps } from "./deps.js";

export type { ProxyDeps } from "./deps.js";

/** Options of the proxy. */
export interface ProxyOptions {
  /** How long to keep reading an upstream response after the client left, for its usage (default 30 s). */
  drainMs?: number;
  /** Largest metered request body in bytes (default 64 MiB). */
  bodyLimit?: number;
}

/** The mounted proxy: the route handler, plus a way to wait for the calls still settling. */
export interface MountedProxy {
  (req: IncomingMessage, res: ServerResponse, route: ProxyRoute): Promise<void>;
  /** Resolves when every call in flight has settled or released its reservation. */
  drain(): Promise<void>;
  /** Closes the upstream connection pools. */
  close(): Promise<void>;
}

// The query of a request without one (adapters only read it).
const NO_QUERY = new URLSearchParams();

/** Creates the proxy for one session. */
export function createProxy(deps: ProxyDeps, options: ProxyOptions = {}): MountedProxy {
  const drainMs = options.drainMs ?? 30_000;
  const client: UpstreamClient = createUpstreamClient();
  // Calls in flight, and what drain() waits on: a count, not a set of promises (two promises and a
  // set entry a call, held for its whole life).
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const ended = (): void => {
    if (--inFlight > 0) return;
    const waiting = drained;
    drained = [];
    for (const wake of waiting) wake();
  };
  const bases = new Map<ProviderName, UpstreamBase | Error>();
  for (const provider of Object.keys(ADAPTERS) as ProviderName[]) {
    try {
      bases.set(provider, parseUpstream(deps.upstreams[provider].url));
    } catch (error) {
      bases.set(provider, error instanceof Error ? error : new Error(String(error)));
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse, route: ProxyRoute): Promise<void> => {
    const adapter = ADAPTERS[route.provider];
    const method = req.method ?? "GET";
    const base = bases.get(route.provider);
    // Only origin-form targets under the configured base: never an absolute URL, never `..`.
    if (!(req.url ?? "").startsWith("/") || !isSafePath(route.path)) {
      req.resume();
      return sendProviderJson(res, adapter, 400, "invalid_request", "aegis: this request target is not allowed through the proxy (absolute URL or dot segments)");
    }
    if (base === undefined || base instanceof Error) {
      req.resume();
      return sendProviderJson(res, adapter, 502, "unavailable", `aegis: the ${route.provider} upstream is not a valid http(s) URL; set proxy.${route.provider}.upstream in aegis.yaml`);
    }
    const matched = adapter.match(method, route.path, route.search === "" ? NO_QUERY : new URLSearchParams(route.search));
    const path = upstreamPath(route.provider, base, route.path) + route.search;
    if (matched.action === "refuse") {
      req.resume();
      return sendProviderJson(res, adapter, 403, "refused", matched.message);
    }
    if (matched.action === "pass") return passThrough(client, req, res, adapter, base.origin, method, path);
    return meteredCall(deps, client, { adapter, route: matched, method, origin: base.origin, path, drainMs, bodyLimit: options.bodyLimit }, req, res);
  };

  const proxy = ((req, res, route) => {
    inFlight++;
    const p = handle(req, res, route);
    p.then(ended, ended);
    return p;
  }) as MountedProxy;
  proxy.drain = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve)));
  proxy.close = () => client.close();
  return proxy;
}

// Calls that cannot spend go straight through, bodies streamed both ways, headers as sent.
async function passThrough(client: UpstreamClient, req: IncomingMessage, res: ServerResponse, adapter: ProviderAdapter, origin: string, method: string, path: string): Promise<void> {
  const hasBody = method !== "GET" && method !== "HEAD";
  const declared = Number(req.headers["content-length"]);
  let upstream;
  try {
    upstream = await client.request(origin, {
      method,
      path,
      headers: upstreamRequestHeaders(req.headers, hasBody && Number.isFinite(declared) ? declared : undefined, false),
      ...(hasBody ? { body: req } : {}),
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return sendProviderJson(res, adapter, 502, "unavailable", `aegis: cannot reach the ${adapter.provider} upstream ${origin}${typeof code === "string" ? ` (${code})` : ""}`);
  }
  res.writeHead(upstream.status, clientResponseHeaders(upstream.headers, false));
  const body = upstream.body;
  body.pipe(res);
  await new Promise<void>((resolve) => {
    body.once("close", resolve);
    res.once("close", () => {
      body.destroy();
      resolve();
    });
  });
}
