import { describe, expect, it } from "vitest";
import { buildPricingTable, normalizeModelName, resolveModel } from "./resolve.js";
import type { ModelPrice } from "./types.js";

const table = buildPricingTable();

describe("resolveModel", () => {
  // [sent model, expected canonical id or undefined]
  it.each<[string, string | undefined]>([
    // exact ids
    ["gpt-4o", "gpt-4o"],
    ["gpt-4o-mini", "gpt-4o-mini"],
    ["claude-sonnet-4", "claude-sonnet-4"],
    ["gemini-2.5-flash-lite", "gemini-2.5-flash-lite"],
    ["gpt-4.1", "gpt-4.1"],
    ["gpt-4o-2024-05-13", "gpt-4o-2024-05-13"],
    // case-insensitive, provider prefixes stripped
    ["GPT-4O", "gpt-4o"],
    ["openai/gpt-4o", "gpt-4o"],
    ["anthropic/claude-sonnet-4-20250514", "claude-sonnet-4"],
    ["models/gemini-2.5-pro", "gemini-2.5-pro"],
    ["google/gemini-2.5-flash", "gemini-2.5-flash"],
    ["gemini/gemini-2.5-flash", "gemini-2.5-flash"],
    ["gemini/models/gemini-2.5-pro", "gemini-2.5-pro"],
    ["x-ai/grok-4", "grok-4"],
    ["  Claude-Opus-4-1-20250805 ", "claude-opus-4.1"],
    // explicit aliases (ids that do not share the canonical prefix)
    ["claude-3-5-haiku-20241022", "claude-haiku-3.5"],
    ["claude-3-5-haiku-latest", "claude-haiku-3.5"],
    ["claude-3-haiku-20240307", "claude-haiku-3"],
    ["claude-4-sonnet-20250514", "claude-sonnet-4"],
    ["claude-4-opus-20250514", "claude-opus-4"],
    ["mistral-medium-2505", "mistral-medium-3"],
    // longest known name at a word boundary
    ["claude-sonnet-4-20250514", "claude-sonnet-4"],
    ["claude-sonnet-4@20250514", "claude-sonnet-4"],
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4.5"],
    ["claude-sonnet-4-5", "claude-sonnet-4.5"],
    ["claude-sonnet-4.5", "claude-sonnet-4.5"],
    ["claude-sonnet-4-6", "claude-sonnet-4.6"],
    ["claude-opus-4-20250514", "claude-opus-4"],
    ["claude-opus-4-1-20250805", "claude-opus-4.1"],
    ["claude-opus-4-5-20251101", "claude-opus-4.5"],
    ["claude-haiku-4-5-20251001", "claude-haiku-4.5"],
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
    ["gpt-4o-2024-08-06", "gpt-4o"],
    ["gpt-4.1-mini-x", "gpt-4.1-mini"],
    ["gpt-4.1-2025-04-14", "gpt-4.1"],
    ["o3-mini-high", "o3-mini"],
    ["o1-preview", "o1"],
    ["o1-mini-2024-09-12", "o1-mini"],
    ["gpt-5-2025-08-07", "gpt-5"],
    ["gpt-5-chat-latest", "gpt-5"],
    ["gpt-5-mini-2025-08-07", "gpt-5-mini"],
    ["gpt-5.4-2026-03-05", "gpt-5.4"],
    ["gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite"],
    ["gemini-2.5-pro-preview-05-06", "gemini-2.5-pro"],
    ["gemini-2.0-flash-001", "gemini-2.0-flash"],
    ["gemini-2.0-flash-lite-001", "gemini-2.0-flash-lite"],
    ["gemini-3-pro-preview", "gemini-3-pro"],
    ["gemini-3.1-pro-preview", "gemini-3.1-pro"],
    ["gemini-3-flash-preview", "gemini-3-flash"],
    ["grok-4-0709", "grok-4"],
    ["grok-4-fast-reasoning", "grok-4-fast"],
    ["grok-4-1-fast-non-reasoning", "grok-4.1-fast"],
    // never a fallback, never a sibling
    ["unknown-xyz", undefined],
    ["", undefined],
    ["gpt-4", undefined],
    ["o4", undefined],
    ["gpt-4.5-preview", undefined],
    ["gpt-5.3", undefined],
    ["claude-opus-4-9-20270101", undefined],
    ["claude-sonnet-4-7", undefined],
    ["claude-3-7-sonnet-20250219", undefined],
    ["gpt-4o-realtime-preview", undefined],
    ["gpt-4o-audio-preview", undefined],
    ["gpt-4o-mini-search-preview", undefined],
    ["gpt-4o-mini-tts", undefined],
    ["gpt-4o-transcribe", undefined],
    ["gpt-5.1-codex-mini", undefined],
    ["o3-deep-research", undefined],
    ["o4-mini-deep-research", undefined],
    ["gemini-2.5-flash-image-preview", undefined],
    ["gemini-2.5-flash-native-audio-dialog", undefined],
    ["gemini-3-pro-image-preview", undefined],
    ["gpt-4-32k", undefined],
    ["azure/gpt-4o", undefined],
    ["ft:gpt-4o-mini-2024-07-18:acme::abc123", undefined],
    ["gpt-4o.1", undefined],
    ["deepseek-chat", undefined],
  ])("%j → %s", (model, expected) => {
    expect(resolveModel(table, model)?.id).toBe(expected);
  });

  it("caches answers, misses included, and gives the same entry every time", () => {
    const first = resolveModel(table, "gpt-4o-mini-2024-07-18");
    expect(resolveModel(table, "gpt-4o-mini-2024-07-18")).toBe(first);
    expect(resolveModel(table, "nope-1")).toBeUndefined();
    expect(resolveModel(table, "nope-1")).toBeUndefined();
  });

  it("keeps resolving correctly after the cache fills up", () => {
    const t = buildPricingTable();
    for (let i = 0; i < 5000; i++) resolveModel(t, `random-model-${i}`);
    expect(resolveModel(t, "claude-sonnet-4-5-20250929")?.id).toBe("claude-sonnet-4.5");
  });
});

describe("normalizeModelName", () => {
  it.each([
    ["OpenAI/GPT-4o", "gpt-4o"],
    ["models/gemini-2.5-pro", "gemini-2.5-pro"],
    ["models/", "models/"],
    ["my-org/model", "my-org/model"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeModelName(input)).toBe(expected);
  });
});

describe("buildPricingTable", () => {
  const override = (p: Partial<ModelPrice> & { id: string }): ModelPrice => ({
    provider: "other", input: 1, output: 2, source: "aegis.yaml", checked: "2026-08-22", origin: "config", ...p,
  });

  it("replaces a built-in with the same id, keeping its aliases and output limit but not its tier", () => {
    const t = buildPricingTable([override({ id: "claude-sonnet-4", provider: "anthropic", input: 2, output: 9 })]);
    const p = resolveModel(t, "claude-sonnet-4-20250514");
    expect(p).toMatchObject({ id: "claude-sonnet-4", input: 2, output: 9, origin: "config", maxOutputTokens: 64_000 });
    expect(p?.longContext).toBeUndefined();
    expect(resolveModel(t, "claude-4-sonnet-20250514")?.input).toBe(2);
    const h = buildPricingTable([override({ id: "claude-haiku-3.5", input: 0.5 })]);
    expect(resolveModel(h, "claude-3-5-haiku-20241022")?.input).toBe(0.5);
  });

  it("adds new models, case-insensitively, and they take part in prefix matching", () => {
    const t = buildPricingTable([override({ id: "My-Fine-Tuned-Model", input: 5, output: 15, cacheRead: 2.5 })]);
    expect(t.get("my-fine-tuned-model")?.input).toBe(5);
    expect(resolveModel(t, "my-fine-tuned-model")?.id).toBe("my-fine-tuned-model");
    expect(resolveModel(t, "MY-FINE-TUNED-MODEL-v2")?.id).toBe("my-fine-tuned-model");
    expect(resolveModel(t, "gpt-4o")?.input).toBe(2.5);
  });

  it("lets a config id that is a built-in alias win over the alias", () => {
    const t = buildPricingTable([override({ id: "claude-3-5-haiku-20241022", input: 9 })]);
    expect(resolveModel(t, "claude-3-5-haiku-20241022")?.input).toBe(9);
    expect(resolveModel(t, "claude-3-5-haiku-latest")?.input).toBe(0.8);
  });

  it("does not change the built-in table", () => {
    buildPricingTable([override({ id: "gpt-4o", input: 99 })]);
    expect(resolveModel(buildPricingTable(), "gpt-4o")?.input).toBe(2.5);
  });
});
