// loadConfig: find (or take) the config file, read it, validate it, and resolve its paths. An
// invalid or missing explicit file is a ConfigError listing every problem, never a stack trace.
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { findConfig } from "./discover.js";
import { configDigest } from "./digest.js";
import { formatProblem } from "./problem.js";
import type { AegisConfig } from "./schema.js";
import { validateConfigText } from "./validate.js";

/** Where to look for the config. */
export interface LoadConfigOptions {
  /** An explicit file (`--config`); relative to `cwd`. Without it the config is discovered. */
  path?: string;
  /** The working directory discovery starts from. */
  cwd: string;
  /** Exit code of the ConfigError thrown on failure (default 1; `aegis run` uses 125). */
  exitCode?: number;
}

/** A validated config and where it came from. */
export interface LoadedConfig {
  /** Absolute path of the file, or null when none was found (every default applies). */
  path: string | null;
  /** The directory relative paths in the config are resolved against (the file's, else cwd). */
  dir: string;
  config: AegisConfig;
  /** sha256 hex of the canonical JSON of the effective config. */
  digest: string;
  /** `ledger.dir`, absolute. */
  ledgerDir: string;
  /** `store.url`: an absolute SQLite path, or the redis:// URL as written. */
  storeUrl: string;
}

/** Loads the config named by `path`, or the nearest aegis.yaml / aegis.yml from `cwd`. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const path = options.path === undefined ? findConfig(options.cwd) : resolve(options.cwd, options.path);
  const dir = path === null ? resolve(options.cwd) : dirname(path);
  const text = path === null ? "" : await readConfigFile(path, options);
  const name = path === null ? "(defaults)" : displayName(path, options.cwd);
  const { config, problems } = validateConfigText(text, name);
  if (config === undefined) {
    const lines = problems.map((problem) => formatProblem(problem, name));
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    throw new ConfigError(`invalid config ${name} (${count}):\n${lines.map((l) => `  ${l}`).join("\n")}`, lines, options.exitCode);
  }
  return {
    path,
    dir,
    config,
    digest: configDigest(config),
    ledgerDir: resolve(dir, config.ledger.dir),
    storeUrl: /^rediss?:\/\//i.test(config.store.url) ? config.store.url : resolve(dir, config.store.url),
  };
}

/** Reads a config file; a missing or unreadable file is a ConfigError saying so. */
export async function readConfigFile(path: string, options: Pick<LoadConfigOptions, "cwd" | "exitCode">): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const name = displayName(path, options.cwd);
    const reason =
      code === "ENOENT" ? "not found" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "is not readable (permission denied)" : `cannot be read (${String(code ?? error)})`;
    throw new ConfigError(`config file ${name} ${reason}`, [], options.exitCode);
  }
}

/** How to name a file in messages: relative to cwd when it is inside it, else absolute. */
export function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
