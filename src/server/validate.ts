// Validation of the metering API's usage body (DESIGN §4). Every rejection names the field, what
// was expected and what was received; nothing here touches spend.
import { usageFromPromptInclusive, UsageShapeError } from "../core/usage.js";
import type { CallRequest } from "../core/policy/types.js";
import { BadRequestError, describe, MAX_STRING, rejectUnknownFields, tokenCount } from "./body-fields.js";
import { parseSubInferences } from "./sub-inferences-body.js";

export { BadRequestError, MAX_TOKENS_PER_CALL } from "./body-fields.js";

const TOKEN_FIELDS = ["input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens", "web_search_requests"] as const;
const STRING_FIELDS = ["agent_id", "action_type", "fingerprint"] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>(["model", ...TOKEN_FIELDS, "sub_inferences", ...STRING_FIELDS]);

// An optional label: a string of at most 512 characters; "" and null mean absent.
function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || value.length > MAX_STRING) {
    throw new BadRequestError(`${field}: expected a string of at most ${MAX_STRING} characters, received ${describe(value)}`);
  }
  return value;
}

/** Parses a request body (raw text) into a call, or throws BadRequestError naming the problem. */
export function parseUsageBody(text: string): CallRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BadRequestError(`body: expected a JSON object, received malformed JSON (${detail})`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new BadRequestError(`body: expected a JSON object with model, input_tokens and output_tokens, received ${describe(body)}`);
  }
  const fields = body as Record<string, unknown>;
  rejectUnknownFields(fields, KNOWN_FIELDS);
  const model = fields.model;
  if (typeof model !== "string" || model.trim() === "" || model.length > MAX_STRING) {
    throw new BadRequestError(`model: expected a non-empty model id string, received ${model === undefined ? "nothing (the field is required)" : describe(model)}`);
  }
  const promptTokens = tokenCount(fields, "input_tokens", true) ?? 0;
  const completionTokens = tokenCount(fields, "output_tokens", true) ?? 0;
  const cachedTokens = tokenCount(fields, "cached_tokens", false);
  const cacheWriteTokens = tokenCount(fields, "cache_write_tokens", false);
  const cacheWrite1hTokens = tokenCount(fields, "cache_write_1h_tokens", false);
  const reasoningTokens = tokenCount(fields, "reasoning_tokens", false);
  const webSearchRequests = tokenCount(fields, "web_search_requests", false, "searches");
  const agentId = optionalString(fields, "agent_id");
  const actionType = optionalString(fields, "action_type");
  const fingerprint = optionalString(fields, "fingerprint");
  const subInferences = parseSubInferences(fields.sub_inferences);
  let usage;
  try {
    usage = usageFromPromptInclusive({ model, promptTokens, completionTokens, cachedTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens, webSearchRequests });
  } catch (error) {
    if (error instanceof UsageShapeError) throw new BadRequestError(`${error.field}: ${error.message}`);
    throw error;
  }
  if (subInferences.length > 0) usage.subInferences = subInferences;
  const call: CallRequest = { usage };
  if (agentId !== undefined) call.agentId = agentId;
  if (actionType !== undefined) call.actionType = actionType;
  if (fingerprint !== undefined) call.fingerprint = fingerprint;
  return call;
}
