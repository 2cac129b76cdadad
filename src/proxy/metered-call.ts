// One metered call: read the body → worst case → admit (reserve) → forward → relay the response
// while reading its usage → settle the reservation with the real usage, or release it when the
// upstream billed nothing. A blocked call gets a provider-shaped 402 and never reaches upstream.
import type { IncomingMessage, ServerResponse } from "node:http";
import { resolveModel } from "../core/pricing/resolve.js";
import type { Usage } from "../core/usage.js";
import type { CallKind, Framing, ProviderAdapter, RouteMatch } from "./providers/types.js";
import { objectAt, parseJson } from "./providers/fields.js";
import { agentFromHeaders, clientFingerprintFromHeaders, clientResponseHeaders, upstreamRequestHeaders } from "./headers.js";
import { ProxyBodyTooLargeError, bodyText, readRequestBytes } from "./request-body.js";
import { promptTokenBound } from "./estimate.js";
import { requestFingerprint } from "./fingerprint.js";
import { blockMessage, leastUsage, worstCaseUsage } from "./admission.js";
import { endWithStreamError, relayBody, responseFraming } from "./relay.js";
import { sendProviderJson } from "./answer.js";
import { OVERHEAD_HEADER, startOverheadClock, type OverheadClock } from "./overhead-clock.js";
import type { ProxyDeps } from "./deps.js";
import { whenAnsweredBy } from "../server/answered.js";
import { UpstreamCut, UpstreamRequestError, type UpstreamClient } from "./client.js";

/** Where and how a metered call is forwarded. */
export interface MeteredTarget {
  adapter: ProviderAdapter;
  route: Extract<RouteMatch, { action: "meter" }>;
  method: string;
  origin: string;
  /** Upstream path and query. */
  path: string;
  drainMs: number;
  bodyLimit: number | undefined;
}

// What survives admission: small facts only, so the parsed prompt can be collected while the
// response streams (only the bytes to forward are kept, until they are sent).
interface Admitted {
  reservationId: string;
  model: string;
  estimate: Usage;
  framing: Framing;
  hideUsageOnlyChunk: boolean;
  payload: Uint8Array;
}

/** Handles one metered call end to end. */
export async function meteredCall(deps: ProxyDeps, client: UpstreamClient, t: MeteredTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const clock = startOverheadClock();
  const admitted = await admit(deps, t, req, res);
  if (admitted !== undefined) await forward(deps, client, t, req, res, admitted, clock);
}

// Reads and prices the request, and admits it; answers the client itself when it does not pass.
async function admit(deps: ProxyDeps, t: MeteredTarget, req: IncomingMessage, res: ServerResponse): Promise<Admitted | undefined> {
  const { adapter } = t;
  let raw: Buffer;
  try {
    raw = await readRequestBytes(req, t.bodyLimit);
  } catch (error) {
    if (!(error instanceof ProxyBodyTooLargeError)) throw error;
    req.resume();
    sendProviderJson(res, adapter, 413, "invalid_request", error.message);
    return undefined;
  }
  const body = objectAt(parseJson(bodyText(raw)));
  if (body === undefined) {
    sendProviderJson(res, adapter, 400, "invalid_request", "aegis: the request body is not a JSON object, so the call cannot be metered");
    return undefined;
  }
  const facts = adapter.inspect(t.route, body, raw);
  if (facts.refusal !== undefined) {
    sendProviderJson(res, adapter, 403, "refused", facts.refusal);
    return undefined;
  }
  const model = facts.model;
  if (model === undefined) {
    sendProviderJson(res, adapter, 400, "invalid_request", "aegis: the request names no model, so the call cannot be priced");
    return undefined;
  }
  const promptBound = promptTokenBound(raw.length, body);
  const estimate = worstCaseUsage(model, resolveModel(deps.pricing, model), promptBound, {
    requested: facts.maxOutputTokens,
    choices: facts.choices,
    billsOutput: facts.billsOutput,
    cacheWrites: facts.cacheWrites,
    webSearches: facts.webSearches,
    subInferences: facts.subInferences,
  });
  const clientFingerprint = clientFingerprintFromHeaders(req.headers);
  const admission = await deps.service.admit({
    usage: estimate,
    minimumUsage: leastUsage(model, promptBound),
    agentId: agentFromHeaders(req.headers),
    fingerprint: requestFingerprint(adapter.provider, model, facts.fingerprintInput),
    ...(clientFingerprint !== undefined ? { clientFingerprint } : {}),
    source: "proxy",
    // The settlement's decision too: it is made for this call, whose answer this response is.
    whenAnswered: whenAnsweredBy(res),
  });
  if (admission.reservationId === undefined) {
    sendProviderJson(res, adapter, 402, "budget", blockMessage(admission.decision));
    return undefined;
  }
  return {
    reservationId: admission.reservationId,
    model,
    estimate,
    framing: facts.framing,
    hideUsageOnlyChunk: facts.hideUsageOnlyChunk === true,
    payload: facts.forwardBody ?? raw,
  };
}

// Forwards an admitted call and settles or releases its reservation exactly once.
async function forward(deps: ProxyDeps, client: UpstreamClient, t: MeteredTarget, req: IncomingMessage, res: ServerResponse, a: Admitted, clock: OverheadClock): Promise<void> {
  const { adapter } = t;
  const provider = adapter.provider;
  let open = true;
  const close = async (how: () => Promise<unknown>): Promise<void> => {
    if (!open) return;
    open = false;
    await how();
  };
  const billEstimate = (model: string): Promise<unknown> => deps.service.settle(a.reservationId, { ...a.estimate, model }, { estimated: true });

  const cut = new UpstreamCut();
  // Once the client is gone the upstream gets `drainMs` more to deliver the usage, then is cut.
  let drainTimer: NodeJS.Timeout | undefined;
  const onClientGone = (): void => {
    if (res.writableFinished || drainTimer !== undefined) return;
    drainTimer = setTimeout(() => cut.abort(), t.drainMs);
    drainTimer.unref();
  };
  res.once("close", onClientGone);
  let responded = false;
  try {
    let payload: Uint8Array | undefined = a.payload;
    a.payload = new Uint8Array(0);
    let upstream;
    try {
      clock.upstreamAsked();
      upstream = await client.request(t.origin, {
        method: t.method,
        path: t.path,
        headers: upstreamRequestHeaders(req.headers, payload.length, true),
        body: payload,
        cut,
      });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const why = typeof code === "string" ? ` (${code})` : "";
      if (error instanceof UpstreamRequestError && error.requestSent) {
        // The upstream had the whole request and may have run (and billed) it before the
        // connection died: count the worst case rather than let the money go unrecorded.
        await close(() => billEstimate(a.model));
        deps.notify(`aegis: the ${provider} connection failed after the request for ${a.model} was sent${why}; billed its worst-case estimate, since the upstream may have run it`);
        sendProviderJson(res, adapter, 502, "unavailable", `aegis: the ${provider} upstream ${t.origin} dropped the connection without answering${why}`);
        return;
      }
      await close(() => deps.service.release(a.reservationId));
      sendProviderJson(res, adapter, 502, "unavailable", `aegis: cannot reach the ${provider} upstream ${t.origin}${why}`);
      return;
    }
    payload = undefined;
    responded = true;
    clock.upstreamAnswered();

    const contentType = upstream.headers["content-type"];
    const framing = responseFraming(upstream.status, Array.isArray(contentType) ? contentType[0] : contentType, a.framing);
    const hide = framing === "sse" && a.hideUsageOnlyChunk;
    if (!res.destroyed) {
      const headers = clientResponseHeaders(upstream.headers, hide);
      headers[OVERHEAD_HEADER] = clock.overheadMs();
      res.writeHead(upstream.status, headers);
      if (framing !== "json") res.flushHeaders();
    }
    const kind: CallKind = t.route.kind;
    const encoding = upstream.headers["content-encoding"];
    const outcome = await relayBody(upstream.body, res, framing, { adapter, kind, model: a.model, hideUsageOnlyChunk: hide, contentEncoding: encoding });
    if (!outcome.complete && !outcome.clientGone) endWithStreamError(res, adapter, framing, `aegis: the ${provider} upstream connection failed mid-response`);

    const usage = outcome.usage;
    if (usage !== undefined && outcome.complete) {
      await close(() => deps.service.settle(a.reservationId, usage));
    } else if (upstream.status >= 400 && usage === undefined) {
      await close(() => deps.service.release(a.reservationId));
    } else {
      // Money may have been spent but the response did not say how much: bill the worst case.
      if (outcome.complete) deps.notify(`aegis: the ${provider} response for ${a.model} carried no usage${outcome.why !== undefined ? ` (${outcome.why})` : ""}; billed its worst-case estimate`);
      await close(() => billEstimate(usage?.model ?? a.model));
    }
  } catch (error) {
    await close(() => (responded ? billEstimate(a.model) : deps.service.release(a.reservationId)));
    throw error;
  } finally {
    clearTimeout(drainTimer);
    res.off("close", onClientGone);
  }
}
