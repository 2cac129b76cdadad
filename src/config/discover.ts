// Config discovery (DESIGN §1): aegis.yaml, then aegis.yml, in a directory and each of its parents.
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** File names looked for, in order of preference. */
export const CONFIG_FILE_NAMES = ["aegis.yaml", "aegis.yml"] as const;

/** The nearest config file from `cwd` up to the filesystem root, or null when there is none. */
export function findConfig(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
