// Which headers cross the proxy. Requests keep everything the client sent — auth included, since
// the agent's keys belong to the upstream — except hop-by-hop headers (RFC 9110 §7.6.1), the
// client's Host and framing (recomputed for the new connection) and aegis's own attribution
// header. Responses keep everything but hop-by-hop headers and, when aegis changed the body,
// its length (and its content-encoding when aegis sends it decoded).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { bodyCoding } from "./decoded-body.js";

/** The header that attributes a call to an agent of the tree (never forwarded upstream). */
export const AGENT_HEADER = "x-aegis-agent";

/**
 * The fingerprint an in-process integration computed for the call (never forwarded upstream):
 * it ties the integration's pre-flight hint and record to this call when the integration cannot
 * compute the proxy's own fingerprint of the wire body (the AI SDK middleware sends it).
 */
export const FINGERPRINT_HEADER = "x-aegis-fingerprint";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

// Also dropped from requests: recomputed (host, length), unsupported by the client pool (expect),
// or aegis's own.
const REQUEST_DROP = new Set([...HOP_BY_HOP, "host", "content-length", "expect", AGENT_HEADER, FINGERPRINT_HEADER]);

// Headers named by the Connection header are hop-by-hop too. Nearly every request and answer
// carries the same value ("keep-alive"), so the last value's set is kept (read-only).
let lastConnection: string | undefined;
let lastTokens: ReadonlySet<string> = new Set();
function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  if (text !== lastConnection) {
    lastTokens = new Set(text.split(",").map((t) => t.trim().toLowerCase()).filter((t) => t !== ""));
    lastConnection = text;
  }
  return lastTokens;
}

/**
 * The request headers to send upstream. `identity` asks for an uncompressed response, so that
 * metered responses can be read for usage as they pass (one compressed anyway is decoded on the
 * side: ./decoded-body.ts).
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, bodyLength: number | undefined, identity: boolean): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined || REQUEST_DROP.has(key) || named.has(key)) continue;
    out[key] = value;
  }
  if (identity) out["accept-encoding"] = "identity";
  if (bodyLength !== undefined) out["content-length"] = String(bodyLength);
  return out;
}

/**
 * The response headers to send the client. The content-encoding passes (the client decodes the
 * body itself), but `bodyChanged` (aegis rewrites the stream) drops the upstream's content-length
 * and, when aegis can decode the body, its content-encoding: the relay then sends it decoded.
 */
export function clientResponseHeaders(headers: Record<string, string | string[] | undefined>, bodyChanged: boolean): OutgoingHttpHeaders {
  const named = connectionTokens(headers.connection);
  const decoded = bodyChanged && bodyCoding(headers["content-encoding"]).kind === "decode";
  const out: OutgoingHttpHeaders = {};
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined || HOP_BY_HOP.has(key) || named.has(key)) continue;
    if (bodyChanged && key === "content-length") continue;
    if (decoded && key === "content-encoding") continue;
    out[key] = value;
  }
  return out;
}

// The first value of a header, trimmed and bounded; undefined when absent or empty.
function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value !== undefined && value !== "" ? value.slice(0, 200) : undefined;
}

/** The agent a call is attributed to by its header, if it names one. */
export function agentFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, AGENT_HEADER);
}

/** The integration's fingerprint of the call (FINGERPRINT_HEADER), if it sent one. */
export function clientFingerprintFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, FINGERPRINT_HEADER);
}
