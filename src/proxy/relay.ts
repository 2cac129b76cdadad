// Relays an upstream response to the client as it arrives and reads its usage on the side.
// Each chunk is written to the client first and parsed after (streams keep their time to first
// token); only when aegis must hide the usage chunk it asked for are events re-emitted one by one.
// If the client goes away the upstream is still read (the caller bounds how long) so the call's
// final usage is known and billed.
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Usage } from "../core/usage.js";
import { JsonArraySplitter } from "./json-array-stream.js";
import { SseParser, type SseEvent } from "./sse.js";
import { parseJson } from "./providers/fields.js";
import type { CallKind, Framing, ProviderAdapter } from "./providers/types.js";

/** Largest non-streamed response body copied for usage (bigger ones are billed at the estimate). */
const MAX_JSON_COPY = 64 * 1024 * 1024;

/** How a relay ended. */
export interface RelayOutcome {
  /** Usage read from the response, if any. */
  usage: Usage | undefined;
  /** The upstream body was read to its end (not cut by an error or the drain bound). */
  complete: boolean;
  /** The client went away before the response was fully sent. */
  clientGone: boolean;
}

/** What the relay needs to know about the call. */
export interface RelayCall {
  adapter: ProviderAdapter;
  kind: CallKind;
  model: string;
  /** The client did not ask for OpenAI's usage-only chunk: withhold it. */
  hideUsageOnlyChunk: boolean;
}

/** The framing of a response body from its status and content type. */
export function responseFraming(status: number, contentType: string | undefined, requested: Framing): Framing {
  if (status < 200 || status >= 300) return "json";
  if (contentType?.includes("text/event-stream") === true) return "sse";
  return requested === "json-array" ? "json-array" : "json";
}

/** Relays `body` to `res` (headers already sent) and resolves with the usage once it has ended. */
export function relayBody(body: Readable, res: ServerResponse, framing: Framing, call: RelayCall): Promise<RelayOutcome> {
  const { adapter, kind, model } = call;
  const tracker = framing === "json" ? undefined : adapter.streamTracker(kind, model);
  const hide = framing === "sse" && call.hideUsageOnlyChunk ? tracker?.hide : undefined;
  const sse = framing === "sse" ? new SseParser() : undefined;
  const splitter = framing === "json-array" ? new JsonArraySplitter() : undefined;
  const copy: Buffer[] = [];
  let copied = 0;
  let clientGone = false;

  const onEvent = (e: SseEvent): void => tracker?.onEvent(e);
  const onElement = (data: string): void => tracker?.onEvent({ event: undefined, data, raw: data });

  // The client left: stop writing but keep reading (the caller bounds how long) for the usage.
  const leave = (): void => {
    if (clientGone) return;
    clientGone = true;
    body.resume();
  };
  if (res.destroyed) leave();
  else {
    res.once("close", () => {
      if (!res.writableFinished) leave();
    });
  }

  const send = (data: Buffer | string): void => {
    if (clientGone) return;
    if (!res.write(data)) {
      body.pause();
      res.once("drain", () => body.resume());
    }
  };

  return new Promise<RelayOutcome>((resolve) => {
    let settled = false;
    const finish = (complete: boolean): void => {
      if (settled) return;
      settled = true;
      if (sse !== undefined) sse.end(onEvent);
      splitter?.end(onElement);
      let usage = tracker?.usage();
      if (framing === "json" && copied <= MAX_JSON_COPY && copy.length > 0) {
        usage = adapter.usageFromBody(kind, parseJson(Buffer.concat(copy).toString("utf8")), model);
      }
      resolve({ usage, complete, clientGone });
    };

    body.on("data", (chunk: Buffer) => {
      if (hide !== undefined && sse !== undefined) {
        // Re-emit event by event, leaving out the usage-only chunk the client did not ask for.
        let out = "";
        sse.pushBytes(chunk, (e) => {
          onEvent(e);
          if (!hide(e)) out += e.raw;
        });
        if (out !== "") send(out);
        return;
      }
      send(chunk);
      if (sse !== undefined) sse.pushBytes(chunk, onEvent);
      else if (splitter !== undefined) splitter.pushBytes(chunk, onElement);
      else if ((copied += chunk.length) <= MAX_JSON_COPY) copy.push(chunk);
    });
    body.once("end", () => {
      if (hide !== undefined && sse !== undefined) {
        // A final event without its blank line is flushed by end(): re-emit it too.
        let out = "";
        sse.end((e) => {
          onEvent(e);
          if (!hide(e)) out += e.raw;
        });
        if (out !== "") send(out);
      }
      if (!clientGone) res.end();
      finish(true);
    });
    body.once("error", () => finish(false));
    body.once("close", () => finish(false));
  });
}

/** Ends a client stream with the provider's error frame (the upstream failed mid-response). */
export function endWithStreamError(res: ServerResponse, adapter: ProviderAdapter, framing: Framing, message: string): void {
  if (res.destroyed || res.writableEnded) return;
  if (framing === "json") {
    res.destroy();
    return;
  }
  res.end(adapter.streamErrorFrame(message, "unavailable", framing) + (framing === "json-array" ? "]" : ""));
}
