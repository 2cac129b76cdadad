import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { aegisJsonSchema, renderJsonSchema } from "./json-schema.js";

const committed = fileURLToPath(new URL("../../schema/aegis.schema.json", import.meta.url));

describe("schema/aegis.schema.json", () => {
  it("is what the generator produces now (regenerate: npm run build && node scripts/gen-schema.mjs)", () => {
    expect(readFileSync(committed, "utf8")).toBe(renderJsonSchema());
  });

  it("rejects unknown keys and describes every section", () => {
    const schema = aegisJsonSchema();
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(Object(schema.properties))).toEqual(["cost", "agents", "pricing", "proxy", "ledger", "run", "store"]);
  });
});
