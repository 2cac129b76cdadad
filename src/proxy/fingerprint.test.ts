import { describe, expect, it } from "vitest";
import { requestFingerprint } from "./fingerprint.js";

describe("requestFingerprint", () => {
  const messages = [{ role: "user", content: "Summarise the report." }];

  it("is stable for the same provider, model and content", () => {
    expect(requestFingerprint("openai", "gpt-4o", messages)).toBe(requestFingerprint("openai", "gpt-4o", structuredClone(messages)));
  });

  it("differs when the content, the model or the provider differs", () => {
    const base = requestFingerprint("openai", "gpt-4o", messages);
    expect(requestFingerprint("openai", "gpt-4o", [{ role: "user", content: "Summarise the report!" }])).not.toBe(base);
    expect(requestFingerprint("openai", "gpt-4o-mini", messages)).not.toBe(base);
    expect(requestFingerprint("anthropic", "gpt-4o", messages)).not.toBe(base);
  });

  it("does not depend on the order of object keys (SDKs may rebuild objects before sending them)", () => {
    expect(requestFingerprint("gemini", "m", [{ role: "user", parts: [{ text: "hi" }] }])).toBe(requestFingerprint("gemini", "m", [{ parts: [{ text: "hi" }], role: "user" }]));
    expect(requestFingerprint("gemini", "m", [{ role: "user", parts: [{ text: "hi" }] }])).not.toBe(requestFingerprint("gemini", "m", [{ role: "model", parts: [{ text: "hi" }] }]));
  });

  it("does not let the model name run into the content", () => {
    expect(requestFingerprint("openai", "a", "bc")).not.toBe(requestFingerprint("openai", "ab", "c"));
  });
});
