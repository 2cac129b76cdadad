// The agent's environment (DESIGN §3) and the proxy's upstreams. The base-URL variables point at
// this session's proxy routes; whatever the parent environment had in them becomes the upstream
// for that provider unless the config names one, so `aegis run` composes with a gateway the user
// already uses (and with an outer `aegis run`).
import { DEFAULT_UPSTREAMS } from "../config/index.js";
import type { AegisConfig } from "../config/index.js";
import type { ProxyProvider } from "../server/index.js";

/** The base-URL variable each provider's SDKs read. */
export const BASE_URL_VARIABLES: Readonly<Record<ProxyProvider, string>> = {
  openai: "OPENAI_BASE_URL",
  anthropic: "ANTHROPIC_BASE_URL",
  gemini: "GOOGLE_GEMINI_BASE_URL",
};

/** Where the proxy forwards each provider's calls, and why. */
export type Upstreams = Readonly<Record<ProxyProvider, { url: string; from: "config" | "environment" | "default" }>>;

/** Resolves the upstreams: `proxy.<provider>.upstream`, else the parent's base-URL variable, else the official API. */
export function resolveUpstreams(config: AegisConfig, parentEnv: NodeJS.ProcessEnv): Upstreams {
  const one = (provider: ProxyProvider): Upstreams[ProxyProvider] => {
    const configured = config.proxy[provider]?.upstream;
    if (configured !== undefined) return { url: configured, from: "config" };
    const inherited = parentEnv[BASE_URL_VARIABLES[provider]];
    if (inherited !== undefined && inherited.trim() !== "") return { url: inherited.trim(), from: "environment" };
    return { url: DEFAULT_UPSTREAMS[provider], from: "default" };
  };
  return { openai: one("openai"), anthropic: one("anthropic"), gemini: one("gemini") };
}

/** The agent's environment: the parent's, plus the session's variables. */
export function agentEnvironment(
  parentEnv: NodeJS.ProcessEnv,
  session: { url: string; token: string; sessionId: string; proxyUrls: Readonly<Record<ProxyProvider, string>> },
): NodeJS.ProcessEnv {
  return {
    ...parentEnv,
    AEGIS_URL: session.url,
    AEGIS_TOKEN: session.token,
    AEGIS_SESSION_ID: session.sessionId,
    [BASE_URL_VARIABLES.openai]: session.proxyUrls.openai,
    [BASE_URL_VARIABLES.anthropic]: session.proxyUrls.anthropic,
    [BASE_URL_VARIABLES.gemini]: session.proxyUrls.gemini,
  };
}
