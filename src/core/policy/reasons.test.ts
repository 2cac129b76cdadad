import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import { agentReason, alertMessage, budgetReason, dailyReason, perCallReason, perSessionReason, rateReason } from "./reasons.js";

const usd = usdToNanos;

describe("reason strings keep the reference format (4 decimals)", () => {
  it.each([
    [perSessionReason(usd(5.12), usd(5)), "Session spend $5.1200 would exceed per-session limit $5.0000"],
    [perCallReason(usd(0.125), usd(0.01)), "Call cost $0.1250 exceeds per-call limit $0.0100"],
    [dailyReason(usd(0.125), usd(0.001)), "Daily spend $0.1250 would exceed daily budget $0.0010"],
    [rateReason(20_000, 100), "Token rate 20000 would exceed per-minute limit 100"],
    [budgetReason(usd(0.125), usd(0.001)), "Total spend $0.1250 would exceed budget $0.0010"],
    [agentReason("researcher", "researcher", usd(0.045), usd(0.04)), "Agent researcher spend $0.0450 would exceed its budget $0.0400"],
    [agentReason("orchestrator", "researcher", usd(0.045), usd(0.04)), "Agent orchestrator spend $0.0450 would exceed its budget $0.0400 (call by researcher)"],
    [budgetReason(usd(0.25), usd(0.2), true), "Total spend $0.2500 exceeds budget $0.2000"],
    [alertMessage({ kind: "budget" }, 0.81, 0.8), "Budget utilization 81% exceeds alert threshold 80%"],
    [alertMessage({ kind: "agent", agentId: "w" }, 0.8, 0.8), "Agent w budget utilization 80% exceeds alert threshold 80%"],
    [perSessionReason(usd(0.00005), usd(0.00015)), "Session spend $0.0000 would exceed per-session limit $0.0002"],
  ])("%s", (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
