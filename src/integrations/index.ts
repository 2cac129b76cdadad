// The framework-free part of the integrations (`aegis-governor/integrations`): the tracker and the
// OpenAI, Anthropic and Google extractors, which need no SDK at runtime (they read the objects the
// SDKs return). LangChain and the AI SDK have their own entry points, so importing this one never
// loads either.
export * from "./tracker.js";
export { UsageMissingError } from "./preflight.js";
export { openaiMeter, type OpenAIMeter, type OpenAIRequest, type OpenAIResult } from "./openai.js";
export { anthropicMeter, type AnthropicMeter, type AnthropicRequest, type AnthropicResult } from "./anthropic.js";
export { googleMeter, type GoogleMeter, type GoogleRequest, type GoogleResult } from "./google.js";
export type { SdkMeter } from "./sdk-meter.js";
