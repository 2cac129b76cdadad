import type { Output } from "../output.js";
import { AegisError, EXIT } from "../../errors.js";

/** `aegis validate` (placeholder until config validation lands). */
export async function validateCommand(_file: string | undefined, _out: Output): Promise<number> {
  throw new AegisError("aegis validate is not implemented yet", EXIT.checkFailed);
}
