// The proxy's URL scheme (DESIGN §3, §5): `/proxy/<token>/<provider>/<rest>`. The session token
// sits in the path because SDKs configured only by a base-URL variable cannot add a header, and
// it keeps other local processes from spending through the proxy. The provider handlers
// themselves are mounted by the proxy module (see `MeteringServer.setProxyHandler`).
import type { ServerResponse } from "node:http";
import type { ProxyProvider, ProxyRoute } from "./types.js";
import { secretMatches } from "./auth.js";
import { sendJson } from "./http-io.js";

/** Path prefix of every proxy route. */
export const PROXY_PREFIX = "/proxy/";

const PROVIDERS: ReadonlySet<string> = new Set<ProxyProvider>(["openai", "anthropic", "gemini"]);

/** The base URLs handed to the agent: OpenAI's ends in /v1 (its SDKs append /chat/completions). */
export function proxyBaseUrls(origin: string, token: string): Record<ProxyProvider, string> {
  const base = `${origin}${PROXY_PREFIX}${token}`;
  return { openai: `${base}/openai/v1`, anthropic: `${base}/anthropic`, gemini: `${base}/gemini` };
}

/** Result of matching a path against the proxy scheme. */
export type ProxyMatch = { kind: "route"; route: ProxyRoute } | { kind: "unauthorized" } | { kind: "not_found" };

/** Matches `pathname` (starting with PROXY_PREFIX) and verifies its token in constant time. */
export function matchProxyPath(pathname: string, search: string, token: string): ProxyMatch {
  const rest = pathname.slice(PROXY_PREFIX.length);
  const slash = rest.indexOf("/");
  const presented = slash === -1 ? rest : rest.slice(0, slash);
  // The token is hex: it is compared as sent (no percent-decoding, which could throw).
  if (!secretMatches(presented, token)) return { kind: "unauthorized" };
  const afterToken = slash === -1 ? "" : rest.slice(slash + 1);
  const nextSlash = afterToken.indexOf("/");
  const provider = nextSlash === -1 ? afterToken : afterToken.slice(0, nextSlash);
  if (!PROVIDERS.has(provider)) return { kind: "not_found" };
  const path = nextSlash === -1 ? "/" : afterToken.slice(nextSlash);
  return { kind: "route", route: { provider: provider as ProxyProvider, path, search } };
}

/** Answers with an error in the provider's own JSON shape, so its SDK shows the message. */
export function sendProviderError(res: ServerResponse, provider: ProxyProvider, status: number, message: string, headers: Record<string, string> = {}): void {
  const body =
    provider === "anthropic"
      ? { type: "error", error: { type: status === 404 ? "not_found_error" : "api_error", message }, request_id: null }
      : provider === "gemini"
        ? { error: { code: status, message, status: status === 404 ? "NOT_FOUND" : status === 501 ? "UNIMPLEMENTED" : "FAILED_PRECONDITION" } }
        : { error: { message, type: "aegis_error", param: null, code: status === 404 ? "not_found" : "aegis_unavailable" } };
  sendJson(res, status, body, { "x-should-retry": "false", ...headers });
}
