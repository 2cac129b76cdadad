import type { Output } from "../output.js";
import { AegisError, EXIT } from "../../errors.js";

/** `aegis run` (placeholder until the supervisor lands). */
export async function runCommand(_command: string[], _opts: Record<string, unknown>, _out: Output): Promise<number> {
  throw new AegisError("aegis run is not implemented yet", EXIT.aegisFailed);
}
