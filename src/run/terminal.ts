// Is aegis running in a terminal, in the foreground? That decides how the agent is started
// (supervisor.ts): a foreground terminal run keeps the agent in aegis's process group, so the
// agent keeps the controlling terminal (/dev/tty prompts, Ctrl-Z stops the whole job); anything
// else (CI, pipes, a background job) gives the agent a session of its own. Linux only (/proc);
// elsewhere aegis always takes the detached path.
import { readFileSync } from "node:fs";
import { isatty } from "node:tty";

/** The job-control fields of a /proc/<pid>/stat line. */
export interface StatJobFields {
  /** Field 5: the process group. */
  pgrp: number;
  /** Field 8: the foreground process group of the controlling terminal; -1 when there is none. */
  tpgid: number;
}

/**
 * Parses pgrp and tpgid out of a /proc/<pid>/stat line; undefined when it is not one. The command
 * name (field 2) is in parentheses and may itself hold spaces and parentheses, so the fields are
 * counted from the last ")".
 */
export function parseStatJobFields(stat: string): StatJobFields | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  // After ")": state ppid pgrp session tty_nr tpgid … (fields 3, 4, 5, 6, 7, 8).
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  if (fields.length < 6 || !Number.isInteger(pgrp) || !Number.isInteger(tpgid)) return undefined;
  return { pgrp, tpgid };
}

/** True when `stat` says its process is in the foreground process group of its controlling terminal. */
export function isForegroundStat(stat: string): boolean {
  const job = parseStatJobFields(stat);
  return job !== undefined && job.tpgid > 0 && job.pgrp === job.tpgid;
}

/** True when aegis is, right now, in the foreground process group of its controlling terminal. */
export function inTerminalForeground(): boolean {
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return false;
  }
  return isForegroundStat(stat);
}

/** True when aegis runs interactively: stdin is a terminal and aegis is in its foreground group. */
export function runsInTerminal(): boolean {
  return isatty(0) && inTerminalForeground();
}
