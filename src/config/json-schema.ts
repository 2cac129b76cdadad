// The published JSON Schema of aegis.yaml (schema/aegis.schema.json), generated from the zod
// schema so that editors (yaml-language-server) and aegis agree. A test keeps the file current.
import * as z from "zod/mini";
import { configSchema } from "./schema.js";

/** The JSON Schema of aegis.yaml, as an object. */
export function aegisJsonSchema(): Record<string, unknown> {
  // io "input": describe what a user writes (defaults make keys optional), not the parsed output.
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "aegis.yaml",
    description: "Configuration of aegis, the cost governor for AI agents. Every section is optional; unknown keys are errors.",
    ...rest,
  };
}

/** The JSON Schema as the text committed to schema/aegis.schema.json. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(aegisJsonSchema(), null, 2)}\n`;
}
