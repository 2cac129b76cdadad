// After the governed run: the session ledger must hold one decision line per answered call — per
// proxied call (source "proxy") with exactly the mock's token counts, read from the response and
// not estimated — and per metering-API record (source "api").
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MOCK_USAGE } from "../mock-upstream.mjs";

/** Counts and checks the decision lines of the ledgers in `dir`. */
export function checkLedger(dir, counts) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  let proxy = 0;
  let api = 0;
  let inexact = 0;
  let blocked = 0;
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
      if (!line.includes('"type":"decision"')) continue;
      const d = JSON.parse(line);
      if (d.action === "block") blocked++;
      if (d.source === "proxy") {
        proxy++;
        const input = d.tokens.input + d.tokens.cache_read + d.tokens.cache_write_5m + d.tokens.cache_write_1h;
        if (d.estimated === true || input !== MOCK_USAGE.input || d.tokens.output !== MOCK_USAGE.output) inexact++;
      } else if (d.source === "api") api++;
    }
  }
  const proxiedOk = counts.via?.ok ?? 0;
  const recordedOk = counts.record?.ok ?? 0;
  return {
    ledger_files: files.length,
    proxy_lines: proxy,
    api_lines: api,
    blocked_lines: blocked,
    proxied_ok: proxiedOk,
    recorded_ok: recordedOk,
    inexact_usage_lines: inexact,
    // Every answered proxied call has its line with exact usage, and there is no other.
    ledger_mismatches: inexact + Math.abs(proxy - proxiedOk),
    api_line_mismatch: api - recordedOk,
  };
}
