// Validation of the metering API's usage body (DESIGN §4). Every rejection names the field, what
// was expected and what was received; nothing here touches spend.
import { usageFromPromptInclusive, UsageShapeError } from "../core/usage.js";
import type { CallRequest } from "../core/policy/types.js";

/** A client mistake in a request body: answered 400 with this message. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRequestError";
  }
}

const TOKEN_FIELDS = ["input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens", "web_search_requests"] as const;
const STRING_FIELDS = ["agent_id", "action_type", "fingerprint"] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>(["model", ...TOKEN_FIELDS, ...STRING_FIELDS]);
const MAX_STRING = 512;
/** Largest token count of one kind accepted for one call (100 million: 10× the largest context window). */
export const MAX_TOKENS_PER_CALL = 100_000_000;

// A short, safe rendering of a received value for an error message.
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  return `${String(value)} (${typeof value})`;
}

// A count (tokens, or searches for web_search_requests): required ones must be present; optional
// ones may be absent or null.
function tokenCount(body: Record<string, unknown>, field: string, required: boolean, unit = "tokens"): number | undefined {
  const value = body[field];
  if (value === undefined || (value === null && !required)) {
    if (required) throw new BadRequestError(`${field}: expected a non-negative integer, received nothing (the field is required)`);
    return undefined;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new BadRequestError(`${field}: expected a non-negative integer, received ${describe(value)}`);
  }
  // No model reads or writes anywhere near this in one call; a larger count is a bug in the
  // caller, and recording it would poison the persistent totals of the shared store.
  if (value > MAX_TOKENS_PER_CALL) {
    throw new BadRequestError(`${field}: expected at most ${MAX_TOKENS_PER_CALL} ${unit} for one call, received ${value}`);
  }
  return value;
}

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
  const unknown = Object.keys(fields).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}: expected only ${[...KNOWN_FIELDS].join(", ")}`,
    );
  }
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
  let usage;
  try {
    usage = usageFromPromptInclusive({ model, promptTokens, completionTokens, cachedTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens, webSearchRequests });
  } catch (error) {
    if (error instanceof UsageShapeError) throw new BadRequestError(`${error.field}: ${error.message}`);
    throw error;
  }
  const call: CallRequest = { usage };
  if (agentId !== undefined) call.agentId = agentId;
  if (actionType !== undefined) call.actionType = actionType;
  if (fingerprint !== undefined) call.fingerprint = fingerprint;
  return call;
}
