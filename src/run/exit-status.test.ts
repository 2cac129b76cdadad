import { describe, expect, it } from "vitest";
import { exitCodeFor, spawnFailureCode } from "./exit-status.js";

describe("exitCodeFor", () => {
  it("maps the agent's end to DESIGN §8", () => {
    expect(exitCodeFor(0, null, null)).toBe(0);
    expect(exitCodeFor(7, null, null)).toBe(7);
    expect(exitCodeFor(null, "SIGTERM", null)).toBe(143);
    expect(exitCodeFor(null, "SIGKILL", null)).toBe(137);
    expect(exitCodeFor(null, "SIGINT", null)).toBe(130);
    // aegis stopped it: 124 whatever the agent died of.
    expect(exitCodeFor(null, "SIGKILL", "Loop detected")).toBe(124);
    expect(exitCodeFor(0, null, "Loop detected")).toBe(124);
  });

  it("maps spawn errors to 127 / 126", () => {
    expect(spawnFailureCode("ENOENT")).toBe(127);
    expect(spawnFailureCode("EACCES")).toBe(126);
    expect(spawnFailureCode("EISDIR")).toBe(126);
    expect(spawnFailureCode("EMFILE")).toBeNull();
  });
});
