import { AsyncLocalStorage } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { Usage } from "../core/usage.js";
import { createProxyCallBook } from "./proxy-calls.js";

const usage = (over: Partial<Usage> = {}): Usage => ({ model: "gpt-4o-2024-08-06", inputTokens: 100, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 50, reasoningTokens: 0, ...over });
const sameModel = (a: string, b: string): boolean => a.replace(/-\d{4}-\d\d-\d\d$/, "") === b.replace(/-\d{4}-\d\d-\d\d$/, "");

// A call of the book gets its real usage and is recorded under `s-<id>`.
function settle(book: ReturnType<typeof createProxyCallBook>, id: string, u = usage()): void {
  book.settling(id, u);
  book.settled(id, { callId: `s-${id}`, agentId: "main", cost: 1 });
}

function settledBook(now: () => number, fingerprints = ["fp"]) {
  const book = createProxyCallBook({ clock: now, sameModel, waitMs: 50 });
  book.admitted("r1", fingerprints);
  book.settling("r1", usage());
  book.settled("r1", { callId: "s-1", agentId: "main", cost: 42 });
  return book;
}

describe("the proxy's call book", () => {
  it("matches a record with the call's fingerprint, priced model and billed counts, once", async () => {
    const book = settledBook(() => 0);
    expect(await book.claim(usage({ model: "gpt-4o" }), "fp")).toEqual({ callId: "s-1", agentId: "main", cost: 42 });
    expect(await book.claim(usage(), "fp")).toBeUndefined();
  });

  it("does not match another fingerprint, another model or other counts", async () => {
    const book = settledBook(() => 0);
    expect(await book.claim(usage(), "other")).toBeUndefined();
    expect(await book.claim(usage({ model: "gpt-4o-mini" }), "fp")).toBeUndefined();
    expect(await book.claim(usage({ outputTokens: 51 }), "fp")).toBeUndefined();
    expect(await book.claim(usage({ cacheWrite5mTokens: 100, inputTokens: 0 }), "fp")).toBeUndefined();
    // Reasoning is informational (inside output): it does not change the bill.
    expect(await book.claim(usage({ reasoningTokens: 10 }), "fp")).toMatchObject({ callId: "s-1" });
  });

  it("matches the integration's own fingerprint sent with the call", async () => {
    const book = settledBook(() => 0, ["wire", "client"]);
    expect(await book.claim(usage(), "client")).toMatchObject({ callId: "s-1" });
  });

  it("matches without a fingerprint only within the tighter window", async () => {
    let now = 0;
    const book = settledBook(() => now);
    now = 10_001;
    expect(await book.claim(usage(), undefined)).toBeUndefined();
    expect(await book.claim(usage(), "fp")).toMatchObject({ callId: "s-1" });
    const again = settledBook(() => now);
    now += 9_000;
    expect(await again.claim(usage(), undefined)).toMatchObject({ callId: "s-1" });
  });

  it("forgets settled calls after the window", async () => {
    let now = 0;
    const book = settledBook(() => now);
    now = 60_001;
    expect(await book.claim(usage(), "fp")).toBeUndefined();
  });

  it("drops expired settled calls behind a call still in flight, so the cap does not evict the live one", async () => {
    let now = 0;
    const book = createProxyCallBook({ clock: () => now, sameModel, waitMs: 50, max: 2 });
    book.admitted("long", ["fp-long"]);
    book.admitted("short", ["fp-short"]);
    settle(book, "short");
    now = 60_001;
    // "short" has expired; pruning must pass over "long" (in flight) to drop it, or the book
    // would hold three calls and evict "long", the oldest, while it is still streaming.
    book.admitted("next", ["fp-next"]);
    settle(book, "long", usage({ outputTokens: 7 }));
    expect(await book.claim(usage({ outputTokens: 7 }), "fp-long")).toMatchObject({ callId: "s-long" });
  });

  it("keeps a call by when it settled, not when it was admitted", async () => {
    let now = 0;
    // With a cap of two, the expired "quick" must be the one dropped, not "slow" (admitted first).
    const book = createProxyCallBook({ clock: () => now, sameModel, waitMs: 50, max: 2 });
    book.admitted("slow", ["fp-slow"]);
    book.admitted("quick", ["fp-quick"]);
    settle(book, "quick");
    now = 50_000;
    settle(book, "slow");
    now = 60_001;
    book.admitted("later", ["fp-later"]);
    expect(await book.claim(usage(), "fp-quick")).toBeUndefined();
    expect(await book.claim(usage(), "fp-slow")).toMatchObject({ callId: "s-slow" });
  });

  it("matches each of two calls with the same fingerprint once, and forgets a call that ended", async () => {
    const book = createProxyCallBook({ clock: () => 0, sameModel, waitMs: 50 });
    for (const id of ["a", "b", "c"]) book.admitted(id, ["fp"]);
    book.ended("c");
    for (const id of ["a", "b"]) settle(book, id);
    const first = await book.claim(usage(), "fp");
    const second = await book.claim(usage(), "fp");
    expect([first?.callId, second?.callId].sort()).toEqual(["s-a", "s-b"]);
    expect(await book.claim(usage(), "fp")).toBeUndefined();
  });

  it("a record that overtakes the settlement waits for the call in flight with its fingerprint", async () => {
    const book = createProxyCallBook({ clock: () => 0, sameModel, waitMs: 5_000 });
    book.admitted("r1", ["fp"]);
    const claimed = book.claim(usage(), "fp");
    book.settling("r1", usage());
    book.settled("r1", { callId: "s-1", agentId: "main", cost: 1 });
    expect(await claimed).toMatchObject({ callId: "s-1" });
  });

  it("a call that ended without usage (released, estimated) absorbs nothing", async () => {
    const book = createProxyCallBook({ clock: () => 0, sameModel, waitMs: 5_000 });
    book.admitted("r1", ["fp"]);
    const claimed = book.claim(usage(), "fp");
    book.ended("r1");
    expect(await claimed).toBeUndefined();
  });

  it("keeps nothing of the proxied request alive: no promise or closure made in its async context", async () => {
    // A promise made inside an async context carries that context's stores (AsyncLocalStorage, as
    // the server once used per request), so an entry holding one kept the request for a minute.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const requestContext = new AsyncLocalStorage<object>();
    const book = createProxyCallBook({ clock: () => 0, sameModel });
    let request: object | undefined = { body: new Uint8Array(1024) };
    const alive = new WeakRef(request);
    requestContext.run(request, () => {
      book.admitted("r1", ["fp"]);
      book.settling("r1", usage());
      book.settled("r1", { callId: "s-1", agentId: "main", cost: 1 });
    });
    request = undefined;
    await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets are kept until the job ends
    gc();
    expect(alive.deref()).toBeUndefined();
    expect(await book.claim(usage(), "fp")).toMatchObject({ callId: "s-1" }); // the call itself is still known
  });
});
