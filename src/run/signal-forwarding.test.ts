import { describe, expect, it } from "vitest";
import { handledSignals, signalHandler } from "./signal-forwarding.js";

// A handler whose signals and escalations are recorded instead of sent.
function harness(group: number | undefined, foreground: () => boolean) {
  const sent: string[] = [];
  const escalated: string[] = [];
  let kills = 0;
  const handle = signalHandler({
    pid: 500,
    group,
    inForeground: foreground,
    send: (target, signal) => sent.push(`${signal}→${target}`),
    onEscalate: (signal) => escalated.push(signal),
    killAll: () => kills++,
  });
  return { handle, sent, escalated, kills: () => kills };
}

describe("signalHandler: detached run", () => {
  it("forwards every signal to the agent's group; the third SIGINT escalates", () => {
    const h = harness(500, () => true);
    h.handle("SIGINT");
    h.handle("SIGINT");
    expect(h.kills()).toBe(0);
    h.handle("SIGINT");
    expect(h.sent).toEqual(["SIGINT→-500", "SIGINT→-500", "SIGINT→-500"]);
    expect(h.escalated).toEqual(["SIGINT"]);
    expect(h.kills()).toBe(1);
  });

  it.each(["SIGTERM", "SIGHUP"] as const)("forwards %s to the group and escalates at once", (signal) => {
    const h = harness(500, () => true);
    h.handle(signal);
    expect(h.sent).toEqual([`${signal}→-500`]);
    expect(h.escalated).toEqual([signal]);
  });

  it("does not take over SIGQUIT", () => {
    expect(handledSignals(false)).toEqual(["SIGINT", "SIGTERM", "SIGHUP"]);
  });
});

describe("signalHandler: terminal run", () => {
  it("handles SIGQUIT too", () => {
    expect(handledSignals(true)).toEqual(["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"]);
  });

  it("does not forward keyboard signals while aegis is in the foreground (the terminal sent them to the agent), but counts them", () => {
    const h = harness(undefined, () => true);
    h.handle("SIGINT");
    h.handle("SIGQUIT");
    expect(h.sent).toEqual([]);
    expect(h.kills()).toBe(0);
    h.handle("SIGINT");
    expect(h.sent).toEqual([]);
    expect(h.escalated).toEqual(["SIGINT"]);
    expect(h.kills()).toBe(1);
  });

  it("forwards keyboard signals to the agent's pid, never a group, when aegis is not in the foreground at signal time", () => {
    let foreground = true;
    const h = harness(undefined, () => foreground);
    h.handle("SIGINT");
    foreground = false;
    h.handle("SIGINT");
    h.handle("SIGQUIT");
    expect(h.sent).toEqual(["SIGINT→500", "SIGQUIT→500"]);
    expect(h.escalated).toEqual(["SIGQUIT"]);
  });

  it.each(["SIGTERM", "SIGHUP"] as const)("forwards %s to the agent's pid only and escalates at once", (signal) => {
    const h = harness(undefined, () => true);
    h.handle(signal);
    expect(h.sent).toEqual([`${signal}→500`]);
    expect(h.escalated).toEqual([signal]);
    expect(h.kills()).toBe(1);
  });
});
