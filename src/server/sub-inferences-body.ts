// The metering API's optional `sub_inferences`: inferences the provider ran inside the call on
// other models (Anthropic advisor iterations), each billed at its own model's rates. Each entry
// mirrors the top-level usage: prompt-inclusive input_tokens, cached_tokens, cache_write_tokens and
// cache_write_1h_tokens inside it, output_tokens with reasoning_tokens inside it.
import { usageFromPromptInclusive, UsageShapeError, type Usage } from "../core/usage.js";
import { BadRequestError, describe, MAX_STRING, rejectUnknownFields, tokenCount } from "./body-fields.js";

/** Most sub-inferences accepted in one call (an advisor tool's max_uses is far below this in practice). */
export const MAX_SUB_INFERENCES = 100;

const FIELDS = ["model", "input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens"] as const;
const KNOWN: ReadonlySet<string> = new Set<string>(FIELDS);
const SHAPE = "{ model, input_tokens, output_tokens, cached_tokens?, cache_write_tokens?, cache_write_1h_tokens?, reasoning_tokens? }";

/** The sub-inferences of a body (`value` is `body.sub_inferences`); none when absent, null or empty. */
export function parseSubInferences(value: unknown): Usage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadRequestError(`sub_inferences: expected an array of ${SHAPE}, received ${describe(value)}`);
  if (value.length > MAX_SUB_INFERENCES) {
    throw new BadRequestError(`sub_inferences: expected at most ${MAX_SUB_INFERENCES} entries for one call, received ${value.length}`);
  }
  return value.map((entry: unknown, i) => parseEntry(entry, `sub_inferences[${i}]`));
}

function parseEntry(entry: unknown, path: string): Usage {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new BadRequestError(`${path}: expected an object ${SHAPE}, received ${describe(entry)}`);
  }
  const fields = entry as Record<string, unknown>;
  rejectUnknownFields(fields, KNOWN, `${path}: `);
  // "" is allowed: the provider did not name the model (an advisor iteration without one); it
  // cannot be priced, so the call is refused as an unknown model rather than priced as another.
  const model = fields.model;
  if (typeof model !== "string" || model.length > MAX_STRING) {
    const received = model === undefined ? "nothing (the field is required)" : describe(model);
    throw new BadRequestError(`${path}.model: expected a model id string ("" when the provider did not name it), received ${received}`);
  }
  const count = (field: string, required: boolean): number | undefined => tokenCount(fields, field, required, "tokens", `${path}.${field}`);
  try {
    return usageFromPromptInclusive({
      model,
      promptTokens: count("input_tokens", true) ?? 0,
      completionTokens: count("output_tokens", true) ?? 0,
      cachedTokens: count("cached_tokens", false),
      cacheWriteTokens: count("cache_write_tokens", false),
      cacheWrite1hTokens: count("cache_write_1h_tokens", false),
      reasoningTokens: count("reasoning_tokens", false),
    });
  } catch (error) {
    if (error instanceof UsageShapeError) throw new BadRequestError(`${path}.${error.field}: ${error.message}`);
    throw error;
  }
}
