// Answers that aegis itself gives on a proxy route, in the provider's own error shape so that its
// SDK raises an error carrying the message. Refusals and blocks say `x-should-retry: false`
// (retrying cannot help); an unreachable upstream leaves the SDK's retry policy alone.
import type { ServerResponse } from "node:http";
import type { ErrorKind, ProviderAdapter } from "./providers/types.js";

/** Sends `adapter`'s error body with `status`. */
export function sendProviderJson(res: ServerResponse, adapter: ProviderAdapter, status: number, kind: ErrorKind, message: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(adapter.errorBody(status, message, kind));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...(kind === "unavailable" ? {} : { "x-should-retry": "false" }),
  });
  res.end(text);
}
