// "Answer the blocked call first, then stop the agent": the server hands every call it presents
// to the session a `WhenAnswered` for that request's response, so the session can defer the kill
// until the response has been handed to the OS. It is passed explicitly, not found through
// AsyncLocalStorage: on Node 20 an active AsyncLocalStorage turns on promise hooks for every
// promise in the process (~1.8 KB and a hook call per request on the hot path of every call).
import type { ServerResponse } from "node:http";

/** Runs `action` once the response carrying a decision has been sent (or could not be). */
export type WhenAnswered = (action: () => void) => void;

// Longest we wait for a response to finish before acting anyway (a stalled client must not
// keep a runaway agent alive).
const MAX_WAIT_MS = 2_000;

/** Outside any request: the action runs on the next turn of the event loop. */
export const rightAway: WhenAnswered = (action) => {
  setImmediate(action);
};

/**
 * The WhenAnswered of `res`: calls the action once `res` has been sent (or its connection
 * closed), or at most 2 s later; on the next turn if it already has been.
 */
export function whenAnsweredBy(res: ServerResponse): WhenAnswered {
  return (action) => {
    if (res.writableFinished || res.destroyed) {
      rightAway(action);
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
  };
}
