// The watchdog that takes the agent down if aegis itself is killed (SIGKILL, OOM killer, crash).
// aegis's own exit paths (normal end, SIGINT/SIGTERM/SIGHUP) kill the agent's tree themselves;
// only an uncatchable death needs help. A tiny /bin/sh process in its own session reads a pipe
// from aegis: aegis tells it the agent's process group (a detached run only: in a terminal run the
// group is aegis's own, shared with the shell job) and the pids of its tree as they change.
// If the pipe reaches EOF without a goodbye ("exit"), aegis died: the watchdog sends SIGTERM to
// the group and those pids, waits the grace period and sends SIGKILL. The metering endpoints
// die with aegis anyway (they are in-process), so an orphaned agent could not spend through
// them; the watchdog makes sure it does not linger either. /bin/sh rather than a second Node
// process: it starts in about a millisecond and costs almost no memory.
import { spawn, type ChildProcess } from "node:child_process";

// $1 = grace seconds. dash's kill goes on past a target that no longer exists.
const SCRIPT = `trap '' INT HUP PIPE
g=""; p=""
while IFS= read -r l; do
  case "$l" in
    exit) exit 0 ;;
    "group "*) g="-\${l#group }" ;;
    "pids "*) p="\${l#pids }" ;;
  esac
done
[ -n "$g$p" ] || exit 0
kill -TERM $g $p 2>/dev/null
sleep "$1"
kill -KILL $g $p 2>/dev/null
exit 0`;

/** The aegis side of the watchdog pipe. */
export interface Watchdog {
  /** The agent's own process group (never a group aegis belongs to). */
  setGroup(pgid: number): void;
  /** The live pids of the agent's tree (some may have left the group). */
  setPids(pids: readonly number[]): void;
  /** aegis is done with the agent (its tree is gone): the watchdog exits without killing. */
  disarm(): void;
}

/** Starts the watchdog; if /bin/sh cannot be started, returns a no-op (aegis still kills on its own exits). */
export function startWatchdog(graceSeconds: number): Watchdog {
  let child: ChildProcess;
  try {
    child = spawn("/bin/sh", ["-c", SCRIPT, "aegis-watchdog", String(graceSeconds)], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
  } catch {
    return { setGroup() {}, setPids() {}, disarm() {} };
  }
  child.on("error", () => {});
  child.unref();
  const stdin = child.stdin;
  stdin?.on("error", () => {});
  // The open pipe keeps aegis's event loop alive until disarm(): the supervisor always disarms
  // once the agent's tree is gone, on every exit path.
  let open = true;
  const send = (line: string): void => {
    if (open && stdin !== null && stdin.writable) stdin.write(`${line}\n`);
  };
  return {
    setGroup: (pgid) => send(`group ${pgid}`),
    setPids: (pids) => send(`pids ${pids.join(" ")}`),
    disarm() {
      send("exit");
      open = false;
      stdin?.end();
    },
  };
}
