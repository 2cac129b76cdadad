// Where each provider's calls go. The upstream comes only from the session (config, else the
// parent's base-URL variable, else the official API) — never from the request, so the proxy is
// not an open relay: a request picks a path under that base, never a host. Paths with dot
// segments are refused so that they cannot climb out of the configured base path.
import type { ProviderName } from "./providers/types.js";

/** A parsed upstream base: the origin connections go to, and the path prefix calls go under. */
export interface UpstreamBase {
  origin: string;
  /** Base path without a trailing slash ("" for the origin's root). */
  basePath: string;
}

/** Parses an upstream base URL (http or https; query and fragment are not allowed). */
export function parseUpstream(url: string): UpstreamBase {
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`upstream ${u.protocol}// is not http(s)`);
  return { origin: u.origin, basePath: u.pathname.replace(/\/+$/, "") };
}

/** Whether a request path is safe to append to a base: no dot segments (plain or percent-encoded), no backslashes. */
export function isSafePath(path: string): boolean {
  if (!path.startsWith("/") || path.includes("\\")) return false;
  for (const segment of path.split("/")) {
    const s = segment.replace(/%2e/gi, ".");
    if (s === "." || s === "..") return false;
    if (/%2f|%5c/i.test(segment)) return false;
  }
  return true;
}

/**
 * The upstream path for a proxy route path. OpenAI bases include `/v1` and clients append to it;
 * Anthropic bases do not (the SDKs send `/v1/messages`, @ai-sdk/anthropic `/messages`); Gemini
 * paths carry their API version.
 */
export function upstreamPath(provider: ProviderName, base: UpstreamBase, path: string): string {
  if (provider === "openai") {
    const rel = path === "/v1" || path.startsWith("/v1/") ? path.slice(3) : path;
    return base.basePath + rel;
  }
  if (provider === "anthropic") {
    const canonical = path === "/v1" || path.startsWith("/v1/") ? path : `/v1${path}`;
    return base.basePath.endsWith("/v1") ? base.basePath + canonical.slice(3) : base.basePath + canonical;
  }
  return base.basePath + path;
}
