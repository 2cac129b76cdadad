// "Answer the blocked call first, then stop the agent": the request a decision was made in is
// tracked with AsyncLocalStorage, so the session can defer the kill until that request's
// response has been handed to the OS without the metering API or the proxy doing anything.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ServerResponse } from "node:http";

const current = new AsyncLocalStorage<ServerResponse>();

// Longest we wait for a response to finish before acting anyway (a stalled client must not
// keep a runaway agent alive).
const MAX_WAIT_MS = 2_000;

/** Runs `fn` with `res` as the response being answered (the server wraps every request in it). */
export function withResponse<T>(res: ServerResponse, fn: () => T): T {
  return current.run(res, fn);
}

/**
 * Calls `action` once the response of the current request has been sent (or its connection
 * closed), or at most 2 s later; immediately (next tick) outside a request.
 */
export function whenAnswered(action: () => void): void {
  const res = current.getStore();
  if (res === undefined || res.writableFinished || res.destroyed) {
    setImmediate(action);
    return;
  }
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    action();
  };
  // `once` runs only from events that fire after this line, so `timer` is always initialised.
  const timer = setTimeout(once, MAX_WAIT_MS);
  timer.unref();
  res.once("finish", once);
  res.once("close", once);
}
