import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Lint keeps the layering visible: the pure core may not reach for I/O, the clock or the CLI.
export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bench/results/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "child_process", "http", "chalk", "cli-table3", "commander", "execa"], message: "src/core is pure: no I/O, no CLI libraries." },
          { group: ["../cli/*", "../config/*", "../ledger/*", "../server/*", "../proxy/*", "../run/*", "../store/*"], message: "src/core may not depend on outer layers." },
        ],
      }],
      "no-restricted-globals": ["error", { name: "process", message: "src/core is pure: pass values in." }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "src/core takes its clock as a parameter." }],
    },
  },
  {
    files: ["bin/**/*.js", "examples/**/*.{js,mjs}", "bench/**/*.{js,mjs}", "test/fixtures/**/*.{js,mjs}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", URL: "readonly", fetch: "readonly", Buffer: "readonly", performance: "readonly" } },
  },
);
