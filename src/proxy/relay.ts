// Relays an upstream response to the client as it arrives and reads its usage on the side.
// Each chunk is written to the client first and parsed after (streams keep their time to first
// token); only when aegis must hide the usage chunk it asked for are events re-emitted one by one.
// If the client goes away the upstream is still read (the caller bounds how long) so the call's
// final usage is known and billed. A compressed body (an upstream that ignored aegis's
// `accept-encoding: identity`) is relayed unchanged and a decoded copy is parsed (./decoded-body.ts).
import type { ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Usage } from "../core/usage.js";
import { JsonArraySplitter } from "./json-array-stream.js";
import { SseParser, type SseEvent } from "./sse.js";
import { parseJson } from "./providers/fields.js";
import { BodyDecoder, bodyCoding } from "./decoded-body.js";
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
  /** Why the usage could not be read, when aegis knows (an undecodable or oversized body). */
  why?: string;
}

/** What the relay needs to know about the call. */
export interface RelayCall {
  adapter: ProviderAdapter;
  kind: CallKind;
  model: string;
  /** The client did not ask for OpenAI's usage-only chunk: withhold it (uncompressed bodies only). */
  hideUsageOnlyChunk: boolean;
  /** The upstream response's content-encoding header, if any. */
  contentEncoding?: string | string[] | undefined;
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
  const coding = bodyCoding(call.contentEncoding);
  const tracker = framing === "json" ? undefined : adapter.streamTracker(kind, model);
  // Hiding rewrites the stream: a compressed one is sent decoded (clientResponseHeaders dropped its
  // content-encoding); one aegis cannot decode passes unchanged, usage chunk included.
  const hide = framing === "sse" && call.hideUsageOnlyChunk && coding.kind !== "unsupported" ? tracker?.hide : undefined;
  const sse = framing === "sse" ? new SseParser() : undefined;
  const splitter = framing === "json-array" ? new JsonArraySplitter() : undefined;
  const copy: Buffer[] = [];
  let copied = 0;
  let clientGone = false;

  const onEvent = (e: SseEvent): void => tracker?.onEvent(e);
  const onElement = (data: string): void => tracker?.onEvent({ event: undefined, data, raw: data });
  // Re-emits each parsed event but the usage-only chunk the client did not ask for.
  const reemit = (feed: (onEvent: (e: SseEvent) => void) => void): void => {
    let out = "";
    feed((e) => {
      onEvent(e);
      if (hide?.(e) !== true) out += e.raw;
    });
    if (out !== "") send(out);
  };
  // Reads the body's (decoded) bytes for usage.
  const read = (chunk: Buffer): void => {
    if (hide !== undefined && sse !== undefined) reemit((on) => sse.pushBytes(chunk, on));
    else if (sse !== undefined) sse.pushBytes(chunk, onEvent);
    else if (splitter !== undefined) splitter.pushBytes(chunk, onElement);
    else if ((copied += chunk.length) <= MAX_JSON_COPY) copy.push(chunk);
  };
  // A stream sent decoded ends, with the provider's error frame, where decoding fails.
  const onFailure = (): void => {
    if (hide !== undefined && !clientGone) endWithStreamError(res, adapter, framing, `aegis: the ${adapter.provider} upstream's compressed stream could not be decoded`);
  };
  const decoder = coding.kind === "decode" ? new BodyDecoder(coding.codings, read, { ...(framing === "json" ? { maxOutput: MAX_JSON_COPY } : {}), onFailure }) : undefined;

  // The body is paused while the client or the decoder asks to wait.
  let clientFull = false;
  let decoderFull = false;
  const flow = (): void => {
    if (clientFull || decoderFull) body.pause();
    else body.resume();
  };

  // The client left: stop writing but keep reading (the caller bounds how long) for the usage.
  const leave = (): void => {
    if (clientGone) return;
    clientGone = true;
    clientFull = false;
    flow();
  };
  if (res.destroyed) leave();
  else {
    res.once("close", () => {
      if (!res.writableFinished) leave();
    });
  }

  function send(data: Buffer | string): void {
    if (clientGone) return;
    if (!res.write(data)) {
      clientFull = true;
      flow();
      res.once("drain", () => {
        clientFull = false;
        flow();
      });
    }
  }

  return new Promise<RelayOutcome>((resolve) => {
    let settled = false;
    let ended = false;
    const finish = (complete: boolean): void => {
      if (settled) return;
      settled = true;
      if (!complete) decoder?.destroy();
      if (sse !== undefined) sse.end(onEvent);
      splitter?.end(onElement);
      let usage = tracker?.usage();
      if (framing === "json" && copied <= MAX_JSON_COPY && copy.length > 0) {
        usage = adapter.usageFromBody(kind, parseJson(Buffer.concat(copy).toString("utf8")), model);
      }
      let why = decoder?.failure;
      if (coding.kind === "unsupported") why = `its content-encoding "${coding.coding}" cannot be decoded by aegis`;
      else if (framing === "json" && copied > MAX_JSON_COPY) why = `its body exceeds ${MAX_JSON_COPY} bytes`;
      // Usage read from part of a body is not the call's usage.
      if (why !== undefined) usage = undefined;
      resolve({ usage, complete, clientGone, ...(why !== undefined ? { why } : {}) });
    };

    body.on("data", (chunk: Buffer) => {
      if (hide === undefined) send(chunk); // the client first: decoding and parsing come after
      if (decoder === undefined) {
        if (coding.kind === "identity") read(chunk);
      } else if (!decoder.write(chunk)) {
        decoderFull = true;
        flow();
        decoder.onDrain(() => {
          decoderFull = false;
          flow();
        });
      }
    });
    body.once("end", () => {
      ended = true;
      // Unless events are re-emitted, the client already has every byte.
      if (hide === undefined && !clientGone) res.end();
      const decoded = decoder?.end() ?? Promise.resolve();
      void decoded.then(() => {
        if (hide !== undefined && sse !== undefined && decoder?.failure === undefined) {
          reemit((on) => sse.end(on)); // a final event without its blank line is flushed by end()
          if (!clientGone) res.end();
        }
        finish(true);
      });
    });
    // After "end" the body is complete (its close, or a late error, changes nothing).
    const cut = (): void => {
      if (!ended) finish(false);
    };
    body.once("error", cut);
    body.once("close", cut);
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
