// Runs a Node script in a child process of its own (V8 flags and collector state are per process).
import { spawn } from "node:child_process";

/** Runs `script` with `node -e` and resolves to the number it prints; rejects on any stderr. */
export function nodeChildNumber(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", () => (err === "" ? resolve(Number(out)) : reject(new Error(err))));
  });
}
