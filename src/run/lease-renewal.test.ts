// The renewal timer, on vitest's fake timers (nothing here waits for real time).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startLeaseRenewal } from "./lease-renewal.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("startLeaseRenewal", () => {
  it("renews every third of the lease until stopped", async () => {
    const renew = vi.fn(() => Promise.resolve());
    const r = startLeaseRenewal({ renew, leaseMs: 3000, onError: () => {} });
    await vi.advanceTimersByTimeAsync(999);
    expect(renew).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(8000); // three leases in all
    expect(renew).toHaveBeenCalledTimes(9);
    r.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(renew).toHaveBeenCalledTimes(9);
  });

  it("does not start a renewal while the previous one is still waiting on the store", async () => {
    let finish: () => void = () => {};
    const renew = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const r = startLeaseRenewal({ renew, leaseMs: 300, onError: () => {} });
    await vi.advanceTimersByTimeAsync(500);
    expect(renew).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(renew).toHaveBeenCalledTimes(2);
    r.stop();
  });

  it("hands a failed renewal to onError and keeps renewing", async () => {
    const errors: unknown[] = [];
    const renew = vi.fn(() => Promise.reject(new Error("bug")));
    const r = startLeaseRenewal({ renew, leaseMs: 300, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(200);
    expect(errors).toHaveLength(2);
    expect(renew).toHaveBeenCalledTimes(2);
    r.stop();
  });

  it("never keeps the process alive", () => {
    const spy = vi.spyOn(globalThis, "setInterval");
    const r = startLeaseRenewal({ renew: () => Promise.resolve(), leaseMs: 300, onError: () => {} });
    expect(spy.mock.results[0]?.value.hasRef()).toBe(false);
    r.stop();
    spy.mockRestore();
  });
});
