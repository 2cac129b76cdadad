// Writes schema/aegis.schema.json from the zod schema (run after `npm run build`):
//   npm run build && node scripts/gen-schema.mjs
// src/config/json-schema.test.ts fails whenever the committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import { fileURLToPath, URL } from "node:url";
import { renderJsonSchema } from "../dist/config/json-schema.js";

const target = fileURLToPath(new URL("../schema/aegis.schema.json", import.meta.url));
writeFileSync(target, renderJsonSchema());
