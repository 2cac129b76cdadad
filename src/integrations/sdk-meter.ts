// The shape shared by the OpenAI, Anthropic and Google extractors: check a request before sending
// it, record the SDK's response after. Each provider file says how to read its request (model,
// prompt, output cap) and its response (exact usage, per wire-formats.md).
import type { Usage } from "../core/usage.js";
import type { MeterDecision } from "../client/index.js";
import type { CallOptions, Tracker } from "./tracker.js";
import { estimatedUsage, promptFingerprint, UsageMissingError } from "./preflight.js";

/** How one provider's requests and responses are read. */
export interface SdkSpec<Req, Res> {
  /** Fingerprint namespace, e.g. "openai". */
  api: string;
  /** The SDK's name in messages, e.g. "OpenAI chat completion". */
  label: string;
  model(request: Req): string;
  /** The prompt content (messages, input, contents) to fingerprint and estimate. */
  prompt(request: Req): unknown;
  /** The output cap the request sets, if any. */
  maxOutputTokens(request: Req): number | undefined;
  /** The exact usage of a response, or undefined when it carries none. */
  usage(response: Res, requestModel: string): Usage | undefined;
  /**
   * The server-side web searches the request allows (its web search tool's bound), added to the
   * pre-flight estimate: a model with no search rate is then refused before the call.
   */
  webSearches?(request: Req): number;
}

/** Checks requests and records responses of one SDK through a tracker. */
export interface SdkMeter<Req, Res> {
  /** Pre-flight check of a request about to be sent. Throws AegisBlockedError on block. */
  check(request: Req, options?: CallOptions): Promise<MeterDecision>;
  /**
   * Records a response's exact usage. Pass the request too: its fingerprint ties the call to the
   * pre-flight check for loop detection. Throws UsageMissingError when the response has no usage.
   */
  record(response: Res, request?: Req, options?: CallOptions): Promise<MeterDecision>;
}

/** Builds the meter of one SDK. `defaults` (e.g. the agent id) apply to every call unless overridden. */
export function createSdkMeter<Req, Res>(spec: SdkSpec<Req, Res>, tracker: Tracker, defaults: CallOptions = {}): SdkMeter<Req, Res> {
  const optionsFor = (request: Req | undefined, model: string, options: CallOptions): CallOptions => {
    const merged: CallOptions = { ...defaults, ...options };
    if (merged.fingerprint === undefined && request !== undefined) merged.fingerprint = promptFingerprint(spec.api, model, spec.prompt(request));
    return merged;
  };
  return {
    async check(request, options = {}) {
      const model = spec.model(request);
      const estimate = estimatedUsage(model, spec.prompt(request), spec.maxOutputTokens(request));
      const searches = spec.webSearches?.(request) ?? 0;
      if (searches > 0) estimate.webSearchRequests = searches;
      return tracker.check(estimate, optionsFor(request, model, options));
    },
    async record(response, request, options = {}) {
      const requestModel = request === undefined ? "" : spec.model(request);
      const usage = spec.usage(response, requestModel);
      if (usage === undefined) throw new UsageMissingError(`aegis: the ${spec.label} carries no usage, so its cost cannot be recorded`);
      // The fingerprint is the request's (as checked), whatever model snapshot the response names.
      return tracker.record(usage, optionsFor(request, requestModel, options));
    },
  };
}
