/**
 * How configuration problems are told: `ConfigError` (every problem at once, naming the file),
 * and each problem as `llama-finetune-env:<key>: <value> <what is allowed>`, bounded in length.
 */
import type { z } from "zod";
import { CONFIG_NAMESPACE, knownConfigKeys } from "./rawSchema";

/** Bad configuration: every problem at once, each naming its key, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid stack configuration in ${source} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${listed(problems)}`);
    this.name = "ConfigError";
  }
}

/**
 * At most this many problems, each cut to PROBLEM_CHARS, are spelt out in the message: a stack
 * file with thousands of misspelt keys (or one key of a megabyte) still gets a message a person
 * can read. `ConfigError.problems` keeps them all.
 */
export const LISTED_PROBLEMS = 50;
export const PROBLEM_CHARS = 500;

function listed(problems: readonly string[]): string {
  const lines = problems.slice(0, LISTED_PROBLEMS).map((p) => `  - ${p.length > PROBLEM_CHARS ? `${p.slice(0, PROBLEM_CHARS)}… (${p.length} characters)` : p}`);
  const rest = problems.length - LISTED_PROBLEMS;
  if (rest > 0) lines.push(`  … and ${rest} more problem${rest === 1 ? "" : "s"} (fix these first, then run again)`);
  return lines.join("\n");
}

/** Keys that were replaced, with what replaced them (an old stack file is refused with this). */
const REPLACED_KEYS: Readonly<Record<string, string>> = {
  publicNetworkAccess:
    'removed: replaced by network.mode ("public", "restricted" or "private"; prod defaults to "private", dev and test to "public"). ' +
    "publicNetworkAccess: true is network.mode: public; false is network.mode: private with network.deployer: { via: inside-network } (see README \"Network\")",
};

/** `llama-finetune-env:budget.contactEmails[0]` for the path `budget, contactEmails, 0`. */
export function key(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === "string" ? [path] : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p)));
  return `${CONFIG_NAMESPACE}:${parts.join(".").replace(/\.\[/g, "[")}`;
}

/** A value as the stack file would spell it (JSON), cut to 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The value at `path` in the raw config, if there is one. */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * One zod issue as problems: one per unknown key (zod reports a map's unknown keys in one
 * issue, but each is a problem of its own, counted as one in `ConfigError`'s message), else one.
 */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  if (issue.code === "unrecognized_keys") {
    // Top-level typos get the list of keys; nested ones get the shape in the schema's own message.
    const known = issue.path.length === 0 ? ` (known keys: ${knownConfigKeys().join(", ")})` : "";
    return issue.keys.map((k) =>
      issue.path.length === 0 && REPLACED_KEYS[k] ? `${key(k)}: ${REPLACED_KEYS[k]}` : `${key([...issue.path, k])}: unknown key; check its spelling${known}`,
    );
  }
  const value = valueAt(raw, issue.path);
  const prefix = issue.path.length === 0 ? CONFIG_NAMESPACE : key(issue.path);
  return [value === undefined ? `${prefix}: ${issue.message}` : `${prefix}: ${show(value)} ${issue.message}`];
}
