// Passing the signals aegis receives on to the agent, and deciding when one means "stop the tree".
//
// Detached run (the agent leads its own process group, no terminal shared): SIGINT, SIGTERM and
// SIGHUP go to the agent's whole group.
//
// Terminal run (the agent is in aegis's own process group, see terminal.ts): never signal the
// group — it holds aegis itself and maybe other members of the shell job (`| tee`). SIGTERM and
// SIGHUP go to the agent's pid. Keyboard signals (Ctrl-C SIGINT, Ctrl-\ SIGQUIT) are sent by the
// terminal to the whole foreground group, so while aegis is in the foreground the agent already
// has them: forwarding would deliver each twice, and many agents take a second Ctrl-C as "force
// quit". The foreground is re-checked at signal time: after Ctrl-Z and `bg` the terminal sends
// the job nothing, so a SIGINT then came from kill(1) and is forwarded to the agent's pid. (A
// `kill -INT %job` signals the whole group, the agent included, and so reaches it twice; aegis
// cannot tell the two senders apart.)
//
// Either way a third interrupt, or one SIGTERM or SIGHUP (aegis is being told to go), escalates to
// a tree kill after the grace period.
import { signalQuietly } from "./kill-tree.js";
import { inTerminalForeground } from "./terminal.js";

/** How the agent was started and what to do on escalation. */
export interface ForwardingOptions {
  /** The agent's pid. */
  pid: number;
  /** The agent's own process group (detached run), or undefined (terminal run: it shares aegis's). */
  group: number | undefined;
  /** Told which signal escalated, just before `killAll`. */
  onEscalate?: (signal: NodeJS.Signals) => void;
  /** Stops the agent's whole tree. */
  killAll: () => void;
  /** Whether aegis is in the terminal's foreground group now (injectable for tests). */
  inForeground?: () => boolean;
  /** Sends a signal to a pid or (negative) a group (injectable for tests). */
  send?: (target: number, signal: NodeJS.Signals) => void;
}

// Interrupts the agent may handle itself (an interactive agent cancels the current step; a JVM
// prints a thread dump on SIGQUIT and goes on): only the third escalates.
const INTERRUPTS: ReadonlySet<NodeJS.Signals> = new Set(["SIGINT", "SIGQUIT"]);

/** The signals aegis handles: SIGQUIT only in a terminal run (elsewhere its default action is kept). */
export function handledSignals(terminal: boolean): NodeJS.Signals[] {
  return terminal ? ["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"] : ["SIGINT", "SIGTERM", "SIGHUP"];
}

/** The handler for signals aegis receives while the agent runs. */
export function signalHandler(o: ForwardingOptions): (signal: NodeJS.Signals) => void {
  const inForeground = o.inForeground ?? inTerminalForeground;
  const send = o.send ?? signalQuietly;
  let interrupts = 0;
  return (signal) => {
    if (o.group !== undefined) send(-o.group, signal);
    else if (!(INTERRUPTS.has(signal) && inForeground())) send(o.pid, signal);
    if (INTERRUPTS.has(signal) && ++interrupts < 3) return;
    o.onEscalate?.(signal);
    o.killAll();
  };
}

/** Installs the handler for `signals`; returns the function that removes it again. */
export function forwardSignals(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
  const installed = signals.map((signal) => {
    const listener = (): void => handler(signal);
    process.on(signal, listener);
    return { signal, listener };
  });
  return () => {
    for (const { signal, listener } of installed) process.off(signal, listener);
  };
}
