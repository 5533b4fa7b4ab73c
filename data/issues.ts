/**
 * Collects issues with a cap: counts every one, keeps the first `max` errors and the first `max`
 * warnings, so a file with a million broken lines still gives a small report.
 */
import { ISSUE_CODES, type IssueCodeName } from "./codes";
import type { DataIssue } from "./types";

export class IssueCollector {
  readonly errors: DataIssue[] = [];
  readonly warnings: DataIssue[] = [];
  errorCount = 0;
  warningCount = 0;

  constructor(private readonly max: number) {}

  add(file: string, line: number, code: IssueCodeName, message: string): void {
    const severity = ISSUE_CODES[code].severity;
    if (severity === "error") {
      this.errorCount++;
      if (this.errors.length < this.max) this.errors.push({ file, line, code, message, severity });
    } else {
      this.warningCount++;
      if (this.warnings.length < this.max) this.warnings.push({ file, line, code, message, severity });
    }
  }
}
