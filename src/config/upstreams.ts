// The official provider APIs. The config leaves `proxy.<provider>.upstream` unset unless the user
// wrote it, because DESIGN §3 lets an inherited base-URL variable win over the default but not
// over an explicit config value; the proxy falls back to these last.

/** Official upstream base URLs by provider. */
export const DEFAULT_UPSTREAMS = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  gemini: "https://generativelanguage.googleapis.com",
} as const;
