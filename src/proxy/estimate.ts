// The worst-case size of a call, computed before it is forwarded: admission reserves this much, so
// it must not be short (DESIGN §6: admitted reservations never exceed the remaining budget).
//
// Prompt: the request body's UTF-8 byte length. Every tokenizer the three providers use turns each
// token into at least one byte of text (byte-level BPE for OpenAI and Anthropic, SentencePiece with
// byte fallback for Gemini), so the bytes of the text are a hard upper bound on its tokens — and
// the JSON around the text (quotes, keys, `{"role":"user","content":…}`) more than pays for the
// per-message control tokens the provider adds. It costs nothing (the length is known) and cannot
// be fooled by scripts or code. The price is headroom: English runs ~4 bytes per token, so near a
// limit the bound refuses calls an exact count would admit. Rejected alternatives: tokenx (fast, but
// an estimate: −2.9 % on the performance.md sample, i.e. an under-reservation on some prompts) and
// exact tokenizers (8 ms per 100 KB in gpt-tokenizer, 730 ms to load; none exists for Claude or
// Gemini). The real usage replaces the reservation when the response ends.
//
// Media is the exception: base64 payloads are far bigger than their token cost, and media named by
// reference (URL, file id) or server-side state (previous_response_id, cachedContent) shows no size
// at all. Those get the allowances below; see each constant for why that number.

/** Smallest charge for one inline media part (gpt-4o-mini bills a tiny low-detail image 2,833 tokens). */
export const MEDIA_MIN_TOKENS = 3_000;
/**
 * Most one image can cost: every provider resizes images first, so their tokens are capped whatever
 * the byte size (largest: gpt-4o-mini high detail, 2,833 + 8 tiles × 5,667 = 48,169).
 */
export const IMAGE_MAX_TOKENS = 50_000;
/**
 * Allowance for a non-image file or audio/video named by reference (its size is not in the body).
 * Long PDFs and videos can exceed it; the settlement then records the real usage.
 */
export const REFERENCED_FILE_TOKENS = 100_000;
/** Allowance for server-side context the body only names (previous_response_id, conversation, cachedContent). */
export const SERVER_STATE_TOKENS = 100_000;
/**
 * Output bound when neither the request nor the pricing table gives one: the largest output limit
 * among current OpenAI, Anthropic and Gemini models (GPT-5 family, 128,000).
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 128_000;

const INLINE_KEYS = new Set(["data", "file_data", "fileData", "bytes"]);
const REFERENCE_KEYS = new Set(["file_id", "fileUri", "file_uri", "file_url", "fileId"]);
const URL_KEYS = new Set(["url", "image_url"]);
const STATE_KEYS = new Set(["previous_response_id", "conversation", "cachedContent", "cached_content"]);
// Shorter strings under a `data` key are ordinary text, not media.
const MIN_INLINE_CHARS = 64;

/**
 * Hard upper bound on the prompt tokens of a request: the body's byte length, with inline media
 * payloads replaced by their media bound, plus allowances for what the body only references.
 */
export function promptTokenBound(bodyBytes: number, body: unknown): number {
  const acc = { adjust: 0 };
  walk(body, "", false, acc, 0);
  return Math.max(0, bodyBytes + acc.adjust);
}

/** Worst-case output: the request's own limit, capped by the model's, times the number of choices. */
export function outputTokenBound(requested: number | undefined, modelMax: number | undefined, choices = 1): number {
  const limit =
    requested !== undefined && modelMax !== undefined
      ? Math.min(requested, modelMax)
      : (requested ?? modelMax ?? DEFAULT_MAX_OUTPUT_TOKENS);
  return Math.max(0, Math.ceil(limit)) * Math.max(1, Math.floor(choices));
}

/** A positive integer-valued field of a request, else undefined (bad values are the upstream's to reject). */
export function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

// Depth guard: a hostile body cannot blow the stack (JSON.parse already bounds real nesting).
const MAX_DEPTH = 64;

function walk(node: unknown, key: string, image: boolean, acc: { adjust: number }, depth: number): void {
  if (typeof node === "string") {
    visitString(node, key, image, acc);
    return;
  }
  if (node === null || typeof node !== "object" || depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, key, image, acc, depth + 1);
    return;
  }
  const obj = node as Record<string, unknown>;
  const mime = obj.mimeType ?? obj.mime_type ?? obj.media_type;
  const type = obj.type;
  const isImage =
    image ||
    key === "image_url" ||
    (typeof mime === "string" && mime.startsWith("image/")) ||
    (typeof type === "string" && type.includes("image"));
  for (const k in obj) {
    const v = obj[k];
    if (STATE_KEYS.has(k) && v != null && v !== "") acc.adjust += SERVER_STATE_TOKENS;
    else walk(v, k, isImage, acc, depth + 1);
  }
}

function visitString(s: string, key: string, image: boolean, acc: { adjust: number }): void {
  const dataUrl = s.startsWith("data:");
  if ((INLINE_KEYS.has(key) && s.length >= MIN_INLINE_CHARS) || (dataUrl && s.includes(";base64,"))) {
    // Base64 is ASCII, so its length is its byte count in the body.
    const isImage = image || s.startsWith("data:image/");
    const bound = isImage
      ? Math.min(IMAGE_MAX_TOKENS, Math.max(MEDIA_MIN_TOKENS, s.length))
      : Math.max(MEDIA_MIN_TOKENS, s.length);
    acc.adjust += bound - s.length;
    return;
  }
  if (REFERENCE_KEYS.has(key) || (URL_KEYS.has(key) && /^(https?|gs):\/\//i.test(s))) {
    acc.adjust += image ? IMAGE_MAX_TOKENS : REFERENCED_FILE_TOKENS;
  }
}
