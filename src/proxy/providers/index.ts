// The provider adapters by proxy route name.
import { anthropicAdapter } from "./anthropic.js";
import { geminiAdapter } from "./gemini.js";
import { openaiAdapter } from "./openai.js";
import type { ProviderAdapter, ProviderName } from "./types.js";

export type * from "./types.js";

/** Every adapter, keyed by the provider segment of the proxy path. */
export const ADAPTERS: Readonly<Record<ProviderName, ProviderAdapter>> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};
