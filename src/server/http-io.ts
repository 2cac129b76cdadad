// Small HTTP primitives of the metering server: bounded body reading and JSON answers.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body the metering API accepts (a usage object is a few hundred bytes). */
export const METERING_BODY_LIMIT = 64 * 1024;

/** The body was larger than the limit: answered 413. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds the ${limit}-byte limit of the metering API`);
    this.name = "BodyTooLargeError";
  }
}

/** Reads the whole body as UTF-8, refusing (before reading, when Content-Length says so) past `limit`. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return (await readBodyBytes(req, limit, (l) => new BodyTooLargeError(l))).toString("utf8");
}

/**
 * Reads the whole body as bytes, rejecting with `tooLarge(limit)` as soon as it passes `limit`
 * (before reading anything when Content-Length already says so). Shared by the metering API and
 * the proxy, which only differ in their limit and error.
 */
export function readBodyBytes(req: IncomingMessage, limit: number, tooLarge: (limit: number) => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.once("error", (error) => {
      if (!failed) {
        failed = true;
        reject(error);
      }
    });
  });
}

/** Sends a JSON answer. `close` asks the client to drop the connection (after a refused body). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, close = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...(close ? { connection: "close" } : {}),
    ...headers,
  });
  res.end(text);
}

/** Sends the metering API's error shape `{ "error": { "message": … } }`. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, close = false): void {
  sendJson(res, status, { error: { message } }, headers, close);
}
