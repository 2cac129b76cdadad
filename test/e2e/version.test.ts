// End-to-end: `aegis --version` / `-V` from the built binary (answered by the launcher without the
// full CLI) print package.json's version, exactly as commander does within the CLI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { BIN, REPO } from "../helpers/run-aegis.js";

const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };

describe("aegis --version", () => {
  it.each([["--version"], ["-V"]])("%s prints the package version and exits 0", async (flag) => {
    const r = await execa(process.execPath, [BIN, flag], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(version);
    expect(r.stderr).toBe("");
  });

  it("with other arguments it goes through the CLI and prints the same version", async () => {
    const r = await execa(process.execPath, [BIN, "--version", "--help"], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(version);
  });
});
