// The cost of a whole call: its own usage at its model's price, plus every sub-inference the
// provider ran inside it (Anthropic advisor iterations) at that sub-inference's own model's price.
// A model that cannot be priced is named, never priced as zero or as the call's model.
import type { Nanos } from "../money.js";
import type { Usage } from "../usage.js";
import { costOf } from "./cost.js";
import { resolveModel } from "./resolve.js";
import type { ModelPrice, PricingTable } from "./types.js";

/** What a call costs and what could not be priced. */
export interface CallCost {
  /** The price of the call's own model, or undefined when it has none. */
  price: ModelPrice | undefined;
  /** The sum of every part that could be priced (nothing when the call's own model cannot be). */
  cost: Nanos;
  /** The first model (the call's own, else a sub-inference's) with no price; undefined when all are priced. */
  unpriced: string | undefined;
}

/** Prices a call and its sub-inferences, each at its own model's rates. */
export function callCostOf(usage: Usage, table: PricingTable): CallCost {
  const price = resolveModel(table, usage.model);
  if (price === undefined) return { price, cost: 0, unpriced: usage.model };
  let cost = costOf(usage, price);
  let unpriced: string | undefined;
  for (const sub of usage.subInferences ?? []) {
    const part = callCostOf(sub, table);
    cost += part.cost;
    unpriced ??= part.unpriced;
  }
  return { price, cost, unpriced };
}
