import type { Output } from "../output.js";
import { AegisError, EXIT } from "../../errors.js";

/** `aegis report` (placeholder until the reader lands). */
export async function reportCommand(_ledgers: string[], _opts: Record<string, unknown>, _out: Output): Promise<number> {
  throw new AegisError("aegis report is not implemented yet", EXIT.checkFailed);
}
