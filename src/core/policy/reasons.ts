// The decision and alert texts. Limit reasons keep the reference's exact format (4 decimals,
// half-to-even like Python's `%.4f`): users grep for them, and the docs quote them.

import { formatPercent, formatUsd, type Nanos } from "../money.js";

// "would exceed" before the money is spent; "exceeds" when a settled call already went past.
const verb = (settled: boolean): string => (settled ? "exceeds" : "would exceed");

/** `Call cost $0.1250 exceeds per-call limit $0.0100` */
export function perCallReason(cost: Nanos, limit: Nanos): string {
  return `Call cost ${formatUsd(cost)} exceeds per-call limit ${formatUsd(limit)}`;
}

/** `Session spend $5.1200 would exceed per-session limit $5.0000` */
export function perSessionReason(projected: Nanos, limit: Nanos, settled = false): string {
  return `Session spend ${formatUsd(projected)} ${verb(settled)} per-session limit ${formatUsd(limit)}`;
}

/**
 * `Daily spend $0.1250 would exceed daily budget $0.0010`, followed by the window when known:
 * `… (day 2026-11-28 Europe/Berlin, resets 2026-11-29T00:00 local)` (see dayWindowLabel).
 */
export function dailyReason(projected: Nanos, limit: Nanos, settled = false, window?: string): string {
  const base = `Daily spend ${formatUsd(projected)} ${verb(settled)} daily budget ${formatUsd(limit)}`;
  return window === undefined ? base : `${base} ${window}`;
}

/** `Token rate 20000 would exceed per-minute limit 100` */
export function rateReason(projected: number, limit: number): string {
  return `Token rate ${projected} would exceed per-minute limit ${limit}`;
}

/** `Total spend $0.1250 would exceed budget $0.0010` */
export function budgetReason(projected: Nanos, limit: Nanos, settled = false): string {
  return `Total spend ${formatUsd(projected)} ${verb(settled)} budget ${formatUsd(limit)}`;
}

/** `Agent researcher spend $0.0450 would exceed its budget $0.0400`, naming the caller when an ancestor binds. */
export function agentReason(
  bindingAgent: string,
  callAgent: string,
  projected: Nanos,
  limit: Nanos,
  settled = false,
): string {
  const via = bindingAgent === callAgent ? "" : ` (call by ${callAgent})`;
  return `Agent ${bindingAgent} spend ${formatUsd(projected)} ${verb(settled)} its budget ${formatUsd(limit)}${via}`;
}

/** Why a repeated call was refused. */
export function loopReason(count: number, agentId: string, model: string, windowSeconds: number): string {
  return `Loop detected: ${count} identical calls from agent ${agentId} to ${model} within ${windowSeconds}s`;
}

/** Which budget an alert is about, as its message names it. */
export type AlertSubject = { kind: "budget" } | { kind: "session" } | { kind: "daily" } | { kind: "agent"; agentId: string };

/** `Budget utilization 81% exceeds alert threshold 80%` (and "Session budget …", "Daily budget …", "Agent x budget …"). */
export function alertMessage(subject: AlertSubject, utilization: number, threshold: number): string {
  const name =
    subject.kind === "budget"
      ? "Budget"
      : subject.kind === "session"
        ? "Session budget"
        : subject.kind === "daily"
          ? "Daily budget"
          : `Agent ${subject.agentId} budget`;
  return `${name} utilization ${formatPercent(utilization)} exceeds alert threshold ${formatPercent(threshold)}`;
}
