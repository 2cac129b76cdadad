// Types of bench/targets.mjs, for the tests that use it.

/** One evaluated row of the target table. */
export interface CheckRow {
  id: string;
  metric: string;
  value: number | null;
  unit: string;
  op: "<=" | ">=";
  target: number | null;
  gate: number | null;
  baseline: string;
  pass: boolean;
  gate_pass: boolean;
  /** The run was too short for this row's gate (its gate path was null). */
  ungated: boolean;
}

export function derive(scenarios: Record<string, unknown>): void;
export function evaluate(scenarios: Record<string, unknown>, ran: Set<string>): CheckRow[];
export function formatTable(rows: CheckRow[], options: { smoke: boolean }): string;
