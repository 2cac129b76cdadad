// Reads a metered request's body into memory: admission needs the whole prompt before anything
// is sent upstream (a blocked call must never reach it). The bytes are dropped as soon as they
// have been forwarded.
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
