// Reads a metered request's body into memory: admission needs the whole prompt before anything
// is sent upstream (a blocked call must never reach it). The bytes are dropped as soon as they
// have been forwarded.
import { isAscii } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { readBodyBytes } from "../server/http-io.js";

/** Largest request body the proxy meters (provider limits are lower: OpenAI 50 MB with images, Gemini 20 MB inline). */
export const PROXY_BODY_LIMIT = 64 * 1024 * 1024;

/** The request body exceeded the limit. */
export class ProxyBodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`aegis: the request body exceeds the proxy's ${limit / (1024 * 1024)} MiB limit`);
    this.name = "ProxyBodyTooLargeError";
  }
}

/** Reads the whole body as bytes, refusing past `limit` (before reading when Content-Length says so). */
export function readRequestBytes(req: IncomingMessage, limit = PROXY_BODY_LIMIT): Promise<Buffer> {
  return readBodyBytes(req, limit, (l) => new ProxyBodyTooLargeError(l));
}

/**
 * The body as text. ASCII bytes (most prompts: JSON escapes non-ASCII text only when the client
 * chose to) are decoded by Node's ASCII decoder, which for ASCII gives the same string as UTF-8:
 * per MB the UTF-8 decoder measured 0.83–0.94 ms here, latin1 0.43–0.47 ms and ASCII 0.15–0.17 ms
 * (plus 0.02 ms for the check).
 */
export function bodyText(raw: Buffer): string {
  return isAscii(raw) ? raw.toString("ascii") : raw.toString("utf8");
}
