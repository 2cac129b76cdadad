// Scrubs secrets from anything about to be written to a ledger line. The ledger is meant to be
// shared (attached to tickets, summed by finance), so it must never carry an API key, a bearer
// token or a URL's query string (Gemini puts its key in `?key=`), whatever a caller passes in.

// Shapes of provider secrets: OpenAI/Anthropic `sk-…`, Google `AIza…`, and bearer/key assignments.
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b((?:api[_-]?key|key|token|secret|password|authorization)=)[^\s&"']+/gi,
];

// URLs with a query string: the query (and fragment) is dropped, the path kept.
const URL_QUERY = /\b(https?:\/\/[^\s?#"']+)[?#][^\s"']*/gi;

// Every pattern above needs one of these in the text: most strings of a ledger line (ids, model
// names, timestamps, reasons) have none and are returned as they are without running the patterns.
const MAY_HOLD_SECRET = /sk-|aiza|bearer|=|https?:\/\//i;

/** Replaces secrets inside one string: known key shapes, extra exact secrets, and URL query strings. */
export function redactString(text: string, extraSecrets: readonly string[] = []): string {
  if (!MAY_HOLD_SECRET.test(text) && !extraSecrets.some((secret) => secret.length >= 8 && text.includes(secret))) return text;
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  out = out.replace(URL_QUERY, "$1");
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix?: unknown) => `${typeof prefix === "string" ? prefix : ""}[redacted]`);
  }
  return out;
}

// Whether `secret` reads the same inside JSON text (no quote, backslash or control character to
// escape): only then does a secret in a value show up verbatim in the value's JSON.
const jsonVerbatim = (secret: string): boolean => JSON.stringify(secret) === `"${secret}"`;

/**
 * The JSON text of `value` with every string in it redacted (keys are kept: they are ours). A
 * ledger line is written once per call, so this is on the hot path: the line is serialised once
 * and, when the text holds nothing a pattern or an exact secret needs (a string's characters
 * appear unchanged and contiguous in its JSON, so no string in the value can hold one either),
 * written as it is; only otherwise is it serialised again, redacting each string.
 */
export function redactedJson(value: unknown, extraSecrets: readonly string[] = []): string {
  const text = JSON.stringify(value);
  const exact = extraSecrets.filter((secret) => secret.length >= 8);
  const clean = !MAY_HOLD_SECRET.test(text) && exact.every((secret) => jsonVerbatim(secret) && !text.includes(secret));
  if (clean) return text;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? redactString(item, extraSecrets) : item));
}
