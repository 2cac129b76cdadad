import type { Output } from "../output.js";
import { AegisError, EXIT } from "../../errors.js";

/** `aegis pricing list` (placeholder until the pricing table lands). */
export async function pricingListCommand(_opts: Record<string, unknown>, _out: Output): Promise<number> {
  throw new AegisError("aegis pricing list is not implemented yet", EXIT.checkFailed);
}
