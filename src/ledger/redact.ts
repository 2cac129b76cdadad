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

/** Deep-copies a JSON value with every string redacted (keys are kept: they are ours). */
export function redactValue<T>(value: T, extraSecrets: readonly string[] = []): T {
  if (typeof value === "string") return redactString(value, extraSecrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, extraSecrets)) as T;
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item, extraSecrets);
    return copy as T;
  }
  return value;
}
