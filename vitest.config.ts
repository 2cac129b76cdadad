import { defineConfig } from "vitest/config";

// Unit tests sit beside the code they test (src/**/*.test.ts); end-to-end tests that spawn the
// built binary live in test/. `npm test` builds first, so test/ always runs against fresh dist/.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    env: { NO_COLOR: "1", TZ: "UTC" },
  },
});
