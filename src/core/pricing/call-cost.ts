// The cost of a whole call: its own usage at its model's price, plus every sub-inference the
// provider ran inside it (Anthropic advisor iterations) at that sub-inference's own model's price.
// A part that cannot be priced — a model with no price, or web searches on a model whose entry has
// no search rate — is named, never priced as zero or as the call's model.
import type { Nanos } from "../money.js";
import type { Usage } from "../usage.js";
import { costOf, describeUnknownModel, describeUnpricedWebSearch } from "./cost.js";
import { resolveModel } from "./resolve.js";
import type { ModelPrice, PricingTable } from "./types.js";

/** Web searches a call reports on a model whose pricing entry has no search rate. */
export interface UnpricedSearches {
  /** The model as the usage names it. */
  model: string;
  /** The entry it resolved to (it has token rates but no webSearchPer1k). */
  price: ModelPrice;
}

/** What a call costs and what could not be priced. */
export interface CallCost {
  /** The price of the call's own model, or undefined when it has none. */
  price: ModelPrice | undefined;
  /** The sum of every part that could be priced (nothing when the call's own model cannot be; searches without a rate add nothing). */
  cost: Nanos;
  /** The first model (the call's own, else a sub-inference's) with no price; undefined when all are priced. */
  unpriced: string | undefined;
  /** The first part (the call's own, else a sub-inference's) whose web searches have no rate. */
  unpricedSearches?: UnpricedSearches;
}

/** Prices a call and its sub-inferences, each at its own model's rates. */
export function callCostOf(usage: Usage, table: PricingTable): CallCost {
  const price = resolveModel(table, usage.model);
  if (price === undefined) return { price, cost: 0, unpriced: usage.model };
  let cost = costOf(usage, price);
  let unpriced: string | undefined;
  let unpricedSearches: UnpricedSearches | undefined =
    (usage.webSearchRequests ?? 0) > 0 && price.webSearchPer1k === undefined ? { model: usage.model, price } : undefined;
  for (const sub of usage.subInferences ?? []) {
    const part = callCostOf(sub, table);
    cost += part.cost;
    unpriced ??= part.unpriced;
    unpricedSearches ??= part.unpricedSearches;
  }
  const result: CallCost = { price, cost, unpriced };
  if (unpricedSearches !== undefined) result.unpricedSearches = unpricedSearches;
  return result;
}

/**
 * Why a priced call cannot be billed in full, or undefined when it can: an unknown model first
 * (its own or a sub-inference's), else web searches without a rate. Names the part when it is a
 * sub-inference, so the user is not sent to price the model they called.
 */
export function unpricedReason(usage: Usage, c: CallCost): string | undefined {
  if (c.unpriced !== undefined) return `${subInferencePrefix(usage, c.unpriced)}${describeUnknownModel(c.unpriced)}`;
  const s = c.unpricedSearches;
  if (s === undefined) return undefined;
  return `${subInferencePrefix(usage, s.model)}${describeUnpricedWebSearch(s.model, s.price)}`;
}

// Says which part of a call could not be priced when it is not the call's own model.
function subInferencePrefix(usage: Usage, model: string): string {
  return model === usage.model ? "" : `This ${usage.model} call ran a sub-inference (an advisor) on another model. `;
}
