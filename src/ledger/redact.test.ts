import { describe, expect, it } from "vitest";
import { redactedJson, redactString } from "./redact.js";

// The patterns without the fast path, as the ledger first shipped them: the fast path must not
// change a single output.
function reference(text: string, extra: readonly string[]): string {
  let out = text;
  for (const secret of extra) if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  out = out.replace(/\b(https?:\/\/[^\s?#"']+)[?#][^\s"']*/gi, "$1");
  for (const pattern of [/\bsk-[A-Za-z0-9_-]{8,}/g, /\bAIza[0-9A-Za-z_-]{20,}/g, /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, /\b((?:api[_-]?key|key|token|secret|password|authorization)=)[^\s&"']+/gi]) {
    out = out.replace(pattern, (_m, prefix?: unknown) => `${typeof prefix === "string" ? prefix : ""}[redacted]`);
  }
  return out;
}

describe("redactString", () => {
  const token = "0123456789abcdef0123456789abcdef";
  const samples = [
    "gpt-4o-mini",
    "2026-03-14T18:30:00.000Z",
    "Session spend $5.1200 would exceed per-session limit $5.0000",
    "key sk-proj-abcdefgh1234 leaked",
    "AIzaSyA1234567890abcdefghijklmnop in a url",
    "Authorization: BEARER abcdefghijklmnop",
    "api_key=hunter22 and token=abc&x=1",
    "see HTTPS://example.com/v1/models?key=AIza123#frag",
    `path /proxy/${token}/openai/v1`,
    "sk-short",
    "",
  ];

  it("gives exactly what the full patterns give, for strings with and without secrets", () => {
    for (const text of samples) expect(redactString(text, [token])).toBe(reference(text, [token]));
  });

  it("redacts what it must", () => {
    expect(redactString("key sk-proj-abcdefgh1234 leaked")).toBe("key [redacted] leaked");
    expect(redactString(`x/${token}/y`, [token])).toBe("x/[redacted]/y");
    expect(redactString("https://example.com/v1?key=abc")).toBe("https://example.com/v1");
  });

  it("redactedJson keeps strings without secrets and keys as they are", () => {
    const line = { model: "gpt-4o", reason: "", tokens: { input: 1 }, note: "Bearer abcdefghijkl" };
    expect(JSON.parse(redactedJson(line))).toEqual({ model: "gpt-4o", reason: "", tokens: { input: 1 }, note: "Bearer [redacted]" });
    const clean = { model: "gpt-4o", nested: [{ a: "b" }], n: 1.5, none: null };
    expect(redactedJson(clean, [token])).toBe(JSON.stringify(clean));
  });

  it("redactedJson gives, for every sample anywhere in a line, what redacting each string gives", () => {
    for (const text of samples) {
      const line = { v: 1, reason: text, nested: { list: ["x", text], deep: { text } }, [`key-${text.length}`]: text };
      const expected = JSON.stringify({ v: 1, reason: reference(text, [token]), nested: { list: ["x", reference(text, [token])], deep: { text: reference(text, [token]) } }, [`key-${text.length}`]: reference(text, [token]) });
      expect(redactedJson(line, [token])).toBe(expected);
    }
  });

  it("redactedJson finds an exact secret that JSON escapes (a quote or backslash in it)", () => {
    const odd = 'abc"def\\ghij';
    expect(JSON.parse(redactedJson({ note: `x ${odd} y` }, [odd]))).toEqual({ note: "x [redacted] y" });
  });
});
