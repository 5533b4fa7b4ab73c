/**
 * The training-data gate, for the CLI (`npm run validate-data`) and the Pulumi stack.
 * No Pulumi imports: the stack calls `validateDataset` and, if `!report.valid`, throws with
 * `formatReport(report)` before declaring any blob.
 */
export type { DataIssue, ValidationReport, ValidateOptions, DatasetStats, FileStats, TokenDistribution, Severity } from "./types";
export { validateDataset, DEFAULT_MAX_ISSUES, STDIN_PATH, PARALLEL_MIN_BYTES } from "./validate";
export { formatReport } from "./report";
export { ISSUE_CODES, type IssueCodeName } from "./codes";
export { FT_LLAMA_PAGE, AOAI_FT_PAGE, RECOMMENDED_MIN_EXAMPLES, MAX_LINE_BYTES } from "./rules";
