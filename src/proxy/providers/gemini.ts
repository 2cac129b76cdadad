// Google Gemini Developer API (wire-formats.md §3): `models/{model}:generateContent` and
// `:streamGenerateContent` (SSE with `alt=sse`, a streamed JSON array without it). The model is in
// the path. `usageMetadata.promptTokenCount` includes cached content; billed output is candidates +
// thoughts; tool-use prompt tokens bill as input. Streams repeat usageMetadata: the last one wins.
import { UsageShapeError, type Usage } from "../../core/usage.js";
import { usageFromGemini, type GeminiUsageWire } from "../../core/usage-converters.js";
import { positiveInt } from "../estimate.js";
import { objectAt, parseJson, stringAt } from "./fields.js";
import type { CallKind, ErrorKind, Framing, ProviderAdapter, StreamUsageTracker } from "./types.js";

// ".../models/{model}:{method}" or ".../tunedModels/{model}:{method}" (any API version prefix).
const MODEL_METHOD = /\/(models|tunedModels)\/([^/:]+):([A-Za-z]+)$/;
// Methods that cannot spend.
const FREE_METHODS = new Set(["countTokens"]);
// POSTs that cannot spend: file uploads.
const FREE_POSTS = [/^\/upload\/[^/]+\/files$/, /^\/[^/]+\/files$/];

// `usageMetadata` normalised by the core converter; a malformed one reads as no usage (the call
// is then billed at its estimate rather than at a guess).
function convert(meta: Record<string, unknown>, model: string): Usage | undefined {
  try {
    return usageFromGemini(model, meta as GeminiUsageWire);
  } catch (error) {
    if (error instanceof UsageShapeError) return undefined;
    throw error;
  }
}

function usageOf(_kind: CallKind, body: unknown, requestModel: string): Usage | undefined {
  // A non-SSE stream buffered whole is an array of responses: the last usage wins.
  const items = Array.isArray(body) ? body : [body];
  let found: Usage | undefined;
  for (const item of items) {
    const obj = objectAt(item);
    const meta = objectAt(obj?.usageMetadata);
    if (obj !== undefined && meta !== undefined) found = convert(meta, stringAt(obj.modelVersion) ?? requestModel) ?? found;
  }
  return found;
}

function streamTracker(_kind: CallKind, requestModel: string): StreamUsageTracker {
  let usage: Usage | undefined;
  return {
    onEvent(e) {
      if (!e.data.includes('"usageMetadata"')) return;
      usage = usageOf("generate", parseJson(e.data), requestModel) ?? usage;
    },
    usage: () => usage,
  };
}

function errorBody(status: number, message: string, kind: ErrorKind): unknown {
  const code = kind === "budget" ? 402 : status;
  const state =
    kind === "budget" ? "RESOURCE_EXHAUSTED" : kind === "refused" ? "PERMISSION_DENIED" : kind === "invalid_request" ? "INVALID_ARGUMENT" : "UNAVAILABLE";
  return { error: { code, message, status: state } };
}

function streamErrorFrame(message: string, kind: ErrorKind, framing: Framing): string {
  const json = JSON.stringify(errorBody(kind === "unavailable" ? 502 : 400, message, kind));
  // In a streamed JSON array the error is one more element (the caller closes the array).
  return framing === "json-array" ? `,\r\n${json}` : `data: ${json}\r\n\r\n`;
}

/** The Gemini adapter. */
export const geminiAdapter: ProviderAdapter = {
  provider: "gemini",
  match(method, path, query) {
    if (method === "GET" || method === "HEAD" || method === "DELETE" || method === "OPTIONS") return { action: "pass" };
    const m = method === "POST" ? MODEL_METHOD.exec(path) : null;
    const verb = m?.[3];
    if (m !== null && (verb === "generateContent" || verb === "streamGenerateContent")) {
      const pathFraming: Framing = verb === "generateContent" ? "json" : query.get("alt") === "sse" ? "sse" : "json-array";
      return { action: "meter", kind: "generate", pathModel: decodeURIComponent(m[2] ?? ""), pathFraming };
    }
    if (verb !== undefined && FREE_METHODS.has(verb)) return { action: "pass" };
    if (method === "POST" && FREE_POSTS.some((re) => re.test(path))) return { action: "pass" };
    return {
      action: "refuse",
      message: `aegis: ${method} ${path} cannot be metered, so the proxy does not forward it (it could spend outside your budget). aegis meters POST models/{model}:generateContent and :streamGenerateContent.`,
    };
  },
  inspect(route, body) {
    const config = objectAt(body.generationConfig) ?? objectAt(body.generation_config);
    return {
      model: route.pathModel,
      framing: route.pathFraming ?? "json",
      maxOutputTokens: positiveInt(config?.maxOutputTokens ?? config?.max_output_tokens),
      choices: positiveInt(config?.candidateCount ?? config?.candidate_count) ?? 1,
      fingerprintInput: [body.systemInstruction ?? body.system_instruction ?? null, body.contents ?? null],
      billsOutput: true,
      // Implicit caching only reads; explicit caches are created through cachedContents (refused).
      cacheWrites: "none",
    };
  },
  usageFromBody: usageOf,
  streamTracker,
  errorBody,
  streamErrorFrame,
};
