import { createRequire } from "node:module";

// Read once from package.json so `aegis --version` can never drift from the published version.
const require = createRequire(import.meta.url);
const pkg = require("../package.json") as { version: string };

/** The aegis version, from package.json. */
export const VERSION: string = pkg.version;
