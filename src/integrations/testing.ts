// Test fixtures shared by the integration tests (kept out of dist/ by tsconfig.build.json).
import { afterAll, beforeAll } from "vitest";
import { startFakeLlm, type FakeLlm } from "../../test/helpers/fake-llm-server.js";
import { createTracker, type Tracker } from "./tracker.js";

/** An in-process tracker with a fixed clock and silent alerts; `config` adds limits, agents, pricing. */
export function localTracker(config: Parameters<typeof createTracker>[0] = {}): Tracker {
  return createTracker({ mode: "local", clock: () => 1_750_000_000_000, notify: () => {}, ...config });
}

/** Starts one fake LLM server for the calling test file (closed after it); read it through the getter. */
export function useFakeLlm(): () => FakeLlm {
  let fake: FakeLlm | undefined;
  beforeAll(async () => {
    fake = await startFakeLlm();
  });
  afterAll(async () => {
    await fake?.close();
  });
  return () => {
    if (fake === undefined) throw new Error("the fake LLM server is not started yet");
    return fake;
  };
}
