// Google Gen AI extractor (`aegis-governor/integrations/google`): generateContent responses and
// streamed chunks, read with the core's converter (wire-formats.md §3): the model is the
// response's `modelVersion`, thinking tokens bill as output, cached content is inside the prompt
// count. (The reference never read the model and ignored thinking tokens, §9.13.)
import { usageFromGemini, type GeminiUsageWire } from "../core/usage-converters.js";
import type { MeterDecision } from "../client/index.js";
import type { CallOptions, Tracker } from "./tracker.js";
import { createSdkMeter, type SdkMeter } from "./sdk-meter.js";
import { UsageMissingError } from "./preflight.js";

/** What is read from a generateContent request (the SDK's params satisfy it). */
export interface GoogleRequest {
  model: string;
  contents: unknown;
  config?: { systemInstruction?: unknown; maxOutputTokens?: number; candidateCount?: number };
}

/** A GenerateContentResponse (or a stream chunk), as the SDK returns it. */
export interface GoogleResult {
  modelVersion?: string;
  usageMetadata?: GeminiUsageWire;
}

/** The Google meter: check a request, record a response or a stream's chunks. */
export interface GoogleMeter extends SdkMeter<GoogleRequest, GoogleResult> {
  /** Records a streamed call from its chunks: usage metadata repeats on them and the last one is the total. */
  recordStream(chunks: Iterable<GoogleResult>, request?: GoogleRequest, options?: CallOptions): Promise<MeterDecision>;
}

type Obj = Record<string, unknown>;
const isContent = (v: unknown): v is Obj => v !== null && typeof v === "object" && Array.isArray((v as Obj).parts);
const wirePart = (v: unknown): unknown => (typeof v === "string" ? { text: v } : v);
const wireParts = (v: unknown): unknown[] => (Array.isArray(v) ? v.map(wirePart) : [wirePart(v)]);

/** A ContentUnion as the SDK sends it (its tContent): a Content as it is, parts wrapped in a user turn. */
function wireContent(v: unknown): unknown {
  return isContent(v) ? v : { role: "user", parts: wireParts(v) };
}

/**
 * ContentListUnion as the SDK sends it (its tContents): a string, a part or a list of parts is one
 * user turn, Contents stay as they are. With the key-order-free fingerprint this makes the
 * fingerprint the proxy computes on the wire body.
 */
export function wireContents(v: unknown): unknown {
  if (!Array.isArray(v)) return [wireContent(v)];
  if (v.length > 0 && isContent(v[0])) return v;
  return [{ role: "user", parts: wireParts(v) }];
}

/** Creates the Google Gen AI meter on a tracker. */
export function googleMeter(tracker: Tracker, defaults: CallOptions = {}): GoogleMeter {
  const meter = createSdkMeter<GoogleRequest, GoogleResult>(
    {
      api: "gemini",
      label: "Gemini response",
      model: (r) => r.model.replace(/^models\//, ""),
      prompt: (r) => [r.config?.systemInstruction != null ? wireContent(r.config.systemInstruction) : null, wireContents(r.contents)],
      maxOutputTokens: (r) => (r.config?.maxOutputTokens !== undefined ? r.config.maxOutputTokens * (r.config.candidateCount ?? 1) : undefined),
      usage: (res, model) => (res.usageMetadata == null ? undefined : usageFromGemini(res.modelVersion ?? model, res.usageMetadata)),
    },
    tracker,
    defaults,
  );
  return {
    ...meter,
    async recordStream(chunks, request, options) {
      let last: GoogleResult | undefined;
      let modelVersion: string | undefined;
      for (const chunk of chunks) {
        if (chunk.usageMetadata != null) last = chunk;
        modelVersion = chunk.modelVersion ?? modelVersion;
      }
      if (last === undefined) throw new UsageMissingError("aegis: the Gemini stream carried no usageMetadata (was it interrupted?), so its cost cannot be recorded");
      return meter.record({ ...(modelVersion !== undefined ? { modelVersion } : {}), usageMetadata: last.usageMetadata }, request, options);
    },
  };
}
