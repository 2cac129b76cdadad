// The metering server (DESIGN §4) on 127.0.0.1, an ephemeral port, node:http:
//   POST /v1/check   usage → decision (records nothing)
//   POST /v1/record  usage → decision (recorded unless blocked)
//   GET  /v1/report  → the session report
// Bearer-token auth, 64 KiB body limit, 400 naming the bad field, 404/405 for other routes.
//
// Extension hook for the provider proxy: paths under `/proxy/<token>/<provider>/…` are verified
// here (constant-time token check, provider one of openai|anthropic|gemini) and handed to the
// handler registered with `setProxyHandler(handler)`; until one is registered they answer 501 in
// the provider's error shape. Every call presented to the service carries the `whenAnswered` of
// its response, so a fatal block stops the agent only after that response is sent (./answered.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallSource, MeteringService, ProxyHandler, ProxyProvider } from "./types.js";
import { bearerToken, secretMatches } from "./auth.js";
import { BadRequestError, parseUsageBody } from "./validate.js";
import { decisionToJson } from "./decision-json.js";
import { BodyTooLargeError, METERING_BODY_LIMIT, readBody, sendError, sendJson } from "./http-io.js";
import { matchProxyPath, PROXY_PREFIX, proxyBaseUrls, sendProviderError } from "./proxy-routes.js";
import { whenAnsweredBy } from "./answered.js";

export type { MeteringService, MeteredCall, CallSource, ProxyHandler, ProxyProvider, ProxyRoute } from "./types.js";
export { whenAnsweredBy, rightAway, type WhenAnswered } from "./answered.js";
export { newSessionToken } from "./auth.js";
export { sendProviderError, PROXY_PREFIX } from "./proxy-routes.js";
export { decisionToJson, type DecisionJson } from "./decision-json.js";

/** A running metering server. */
export interface MeteringServer {
  /** `http://127.0.0.1:<port>` — the agent's AEGIS_URL. */
  readonly url: string;
  readonly port: number;
  /** Proxy base URLs per provider (carrying the token), for OPENAI_BASE_URL and friends. */
  readonly proxyUrls: Readonly<Record<ProxyProvider, string>>;
  /** Mounts the provider proxy (see the comment at the top of this file). */
  setProxyHandler(handler: ProxyHandler): void;
  /** Stops listening and drops every connection: the agent's endpoints vanish. */
  close(): Promise<void>;
}

/** Options of the metering server. */
export interface MeteringServerOptions {
  service: MeteringService;
  token: string;
  /** Body limit of the metering API in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Called with errors the server answered 500 for (aegis bugs), so the session can print them. */
  onInternalError?: (error: unknown) => void;
}

/**
 * How long an idle keep-alive connection of the agent stays open (65 s, announced to the client as
 * `Keep-Alive: timeout=65`). Node's default, 5 s, races the agent: a client that keeps idle sockets
 * without a timeout of its own (node:http's Agent ignores the server's hint unless given one) may
 * send its next call on a socket in the very moment aegis closes it, and the call fails with
 * "socket hang up" — twice in 300,000 calls of bench X1's soak. 65 s is past the usual client and
 * load-balancer idle timeouts (60 s), so those clients close first; a connection a leaky client
 * forgot is still reclaimed.
 */
export const KEEP_ALIVE_MS = 65_000;

type Route = { method: "POST" | "GET"; kind: "check" | "record" | "report" };
const ROUTES: Record<string, Route> = {
  "/v1/check": { method: "POST", kind: "check" },
  "/v1/record": { method: "POST", kind: "record" },
  "/v1/report": { method: "GET", kind: "report" },
};

/** Starts the server on 127.0.0.1 with an ephemeral port. */
export async function startMeteringServer(options: MeteringServerOptions): Promise<MeteringServer> {
  const { service, token } = options;
  const limit = options.bodyLimit ?? METERING_BODY_LIMIT;
  let proxyHandler: ProxyHandler | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const search = q === -1 ? "" : rawUrl.slice(q);

    if (pathname.startsWith(PROXY_PREFIX)) {
      const match = matchProxyPath(pathname, search, token);
      if (match.kind === "unauthorized") return sendError(res, 401, "aegis: this proxy path does not carry the session's token");
      if (match.kind === "not_found") return sendError(res, 404, "aegis: unknown proxy provider (expected openai, anthropic or gemini)");
      if (proxyHandler === undefined) {
        return sendProviderError(res, match.route.provider, 501, `aegis: the ${match.route.provider} proxy is not available in this version of aegis; meter calls through the metering API at AEGIS_URL instead`);
      }
      return proxyHandler(req, res, match.route);
    }

    const route = ROUTES[pathname];
    if (route === undefined) return sendError(res, 404, `no route ${pathname.slice(0, 100)}: the metering API serves POST /v1/check, POST /v1/record and GET /v1/report`);
    if (req.method !== route.method) {
      return sendError(res, 405, `${pathname} accepts ${route.method}, received ${String(req.method)}`, { allow: route.method });
    }
    if (!secretMatches(bearerToken(req.headers.authorization), token)) {
      return sendError(res, 401, "missing or wrong token: send the header Authorization: Bearer $AEGIS_TOKEN", { "www-authenticate": "Bearer" });
    }
    if (route.kind === "report") return sendJson(res, 200, await service.report());

    let text: string;
    try {
      text = await readBody(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuseBody(req, res, error.message);
      throw error;
    }
    let call;
    try {
      call = parseUsageBody(text);
    } catch (error) {
      if (error instanceof BadRequestError) return sendError(res, 400, error.message);
      throw error;
    }
    const source: CallSource = req.headers["x-aegis-source"] === "client" ? "client" : "api";
    const metered = { ...call, source, whenAnswered: whenAnsweredBy(res) };
    const decision = route.kind === "check" ? await service.check(metered) : await service.record(metered);
    sendJson(res, 200, decisionToJson(decision));
  };

  const server: Server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onInternalError?.(error);
      sendError(res, 500, "aegis internal error while handling this request (nothing was recorded)");
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // A malformed request line or headers must not take aegis down.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    proxyUrls: proxyBaseUrls(url, token),
    setProxyHandler(handler) {
      proxyHandler = handler;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// Answers 413 and closes the connection once the answer is out; the unread rest of the body is
// drained (bounded) so the client sees the status rather than a reset.
function refuseBody(req: IncomingMessage, res: ServerResponse, message: string): void {
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 64 * 1024 * 1024) req.destroy();
  });
  req.resume();
  sendError(res, 413, message, {}, true);
}
