/**
 * Files a command writes (`plan --mermaid <file>`, `--markdown <file>`): checked before any work
 * is done, so a wrong path costs nothing and destroys nothing.
 * - never the stack file (or another protected file), even with --force: `--markdown
 *   Pulumi.dev.yaml` used to replace the stack configuration silently;
 * - never an existing file unless --force, and then replaced by rename (never written through);
 * - never through a symbolic link (it could point anywhere);
 * - a directory or a missing parent directory is a clear error, not a stack trace.
 */
import { lstatSync, realpathSync, renameSync, statSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fsErrorAdvice, fsErrorText, isMissing } from "../../data/fs-error";

export interface OutputPlan {
  /** As given, for messages. */
  given: string;
  resolved: string;
  /** The file exists (and --force allows replacing it). */
  replace: boolean;
}

function canonical(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Checks one output path; returns the plan for writing it or a message saying what is wrong
 * and what to do. `protectedFiles` are refused even with --force.
 */
export function checkOutputPath(flag: string, given: string, force: boolean, protectedFiles: readonly string[]): OutputPlan | string {
  if (given === "-") return `${flag} -: writing to standard output is not supported; pass a file path`;
  const resolved = path.resolve(given);
  const target = canonical(resolved);
  for (const p of protectedFiles) {
    if (canonical(p) === target) return `${flag} ${given}: that is ${path.basename(p)}, which this command reads; choose another output file (--force does not allow this)`;
  }
  const parent = path.dirname(resolved);
  try {
    if (!statSync(parent).isDirectory()) return `${flag} ${given}: ${parent} is not a directory`;
  } catch (e) {
    if (!isMissing(e)) return `${flag} ${given}: ${fsErrorText(e)}; ${fsErrorAdvice(e)}`;
    return `${flag} ${given}: the directory ${parent} does not exist; create it first`;
  }
  let st;
  try {
    st = lstatSync(resolved);
  } catch (e) {
    // Only a file that is not there yet is written new; any other failure (a name too long, a
    // loop of links) is named now, before the plan runs.
    if (!isMissing(e)) return `${flag} ${given}: ${fsErrorText(e)}; ${fsErrorAdvice(e)}`;
    return { given, resolved, replace: false };
  }
  if (st.isSymbolicLink()) return `${flag} ${given}: is a symbolic link; pass the path of a regular file (links are not written through)`;
  if (st.isDirectory()) return `${flag} ${given}: is a directory; pass a file path inside it`;
  if (!st.isFile()) return `${flag} ${given}: is not a regular file`;
  if (!force) return `${flag} ${given}: the file exists; pass --force to replace it, or choose another name`;
  return { given, resolved, replace: true };
}

/** Writes a checked output: a new file is created exclusively; an existing one (with --force) is replaced by rename. */
export function writeOutput(plan: OutputPlan, data: string): void {
  if (!plan.replace) {
    writeFileSync(plan.resolved, data, { flag: "wx" });
    return;
  }
  const temp = path.join(path.dirname(plan.resolved), `.${path.basename(plan.resolved)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, data, { flag: "wx" });
    renameSync(temp, plan.resolved);
  } finally {
    rmSync(temp, { force: true });
  }
}
