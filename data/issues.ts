/**
 * Collects issues with a cap: counts every one, keeps the first `max` errors and the first `max`
 * warnings, so a file with a million broken lines still gives a small report. A message may be
 * given as a function, called only when the issue is kept.
 */
import { ISSUE_CODES, type IssueCodeName } from "./codes";
import type { DataIssue } from "./types";

export class IssueCollector {
  readonly errors: DataIssue[] = [];
  readonly warnings: DataIssue[] = [];
  errorCount = 0;
  warningCount = 0;

  constructor(private readonly max: number) {}

  add(file: string, line: number, code: IssueCodeName, message: string | (() => string)): void {
    const severity = ISSUE_CODES[code].severity;
    const list = severity === "error" ? this.errors : this.warnings;
    if (severity === "error") this.errorCount++;
    else this.warningCount++;
    if (list.length < this.max) list.push({ file, line, code, message: typeof message === "string" ? message : message(), severity });
  }

  /** Issues found elsewhere and not kept there (a batch keeps at most `max` of each): counted only. */
  addUncounted(errors: number, warnings: number): void {
    this.errorCount += errors;
    this.warningCount += warnings;
  }
}
