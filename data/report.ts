/** Renders a ValidationReport for people: errors, then warnings, then the summary. */
import type { DataIssue, FileStats, ValidationReport } from "./types";

function issueLine(i: DataIssue): string {
  return `${i.file}:${i.line} [${i.code}] ${i.message}`;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

function fileSummary(label: string, s: FileStats): string[] {
  const out = [`${label}: ${s.file} — ${fmt(s.examples)} examples (${fmt(s.validExamples)} valid), ${fmt(s.lines)} lines, ${(s.bytes / 1024 / 1024).toFixed(2)} MiB`];
  if (s.messagesPerExample) {
    const m = s.messagesPerExample;
    out.push(`  messages per example: min ${m.min}, mean ${m.mean}, max ${m.max}`);
  }
  if (s.roles) {
    const total = s.roles.system + s.roles.user + s.roles.assistant;
    const pct = (n: number) => (total ? `${((100 * n) / total).toFixed(1)}%` : "0%");
    out.push(`  roles: system ${fmt(s.roles.system)} (${pct(s.roles.system)}), user ${fmt(s.roles.user)} (${pct(s.roles.user)}), assistant ${fmt(s.roles.assistant)} (${pct(s.roles.assistant)})`);
  }
  if (s.tokensPerExample) {
    const t = s.tokensPerExample;
    out.push(`  tokens per example: min ${fmt(t.min)}, median ${fmt(t.median)}, p95 ${fmt(t.p95)}, max ${fmt(t.max)}; total ${fmt(t.total)}`);
  }
  return out;
}

/** Human-readable multi-line report: every error as `<file>:<line> [CODE] message`, then warnings, then the summary. */
export function formatReport(report: ValidationReport): string {
  const lines: string[] = [];
  if (report.errorCount > 0) {
    lines.push(`Errors (${fmt(report.errorCount)}):`);
    for (const e of report.errors) lines.push(issueLine(e));
    if (report.errorCount > report.errors.length) lines.push(`… and ${fmt(report.errorCount - report.errors.length)} more errors not shown`);
    lines.push("");
  }
  if (report.warningCount > 0) {
    lines.push(`Warnings (${fmt(report.warningCount)}):`);
    for (const w of report.warnings) lines.push(issueLine(w));
    if (report.warningCount > report.warnings.length) lines.push(`… and ${fmt(report.warningCount - report.warnings.length)} more warnings not shown`);
    lines.push("");
  }
  const s = report.stats;
  lines.push(`Summary for ${s.model} (${s.format} format, ${s.tokenizer} tokenizer, max ${fmt(s.maxSequenceLength)} tokens per example):`);
  lines.push(...fileSummary("training", s.training));
  if (s.validation) lines.push(...fileSummary("validation", s.validation));
  if (s.trainingTokensTimesEpochs !== null) {
    lines.push(`training tokens × epochs: ${fmt(s.training.tokensPerExample?.total ?? 0)} × ${s.epochs} = ${fmt(s.trainingTokensTimesEpochs)}`);
    lines.push(
      s.estimatedTrainingCost !== null && s.pricePer1kTokens !== null
        ? `estimated training cost: ${s.estimatedTrainingCost.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} at ${s.pricePer1kTokens} per 1K tokens (the price you gave; check the current Azure Marketplace price)`
        : "estimated training cost: give the current price per 1K training tokens (--price-per-1k) to estimate it",
    );
  } else {
    lines.push("tokens were not counted");
  }
  lines.push(
    report.valid
      ? `VALID${report.warningCount ? ` (with ${fmt(report.warningCount)} warning${report.warningCount === 1 ? "" : "s"})` : ""}`
      : `INVALID: ${fmt(report.errorCount)} error${report.errorCount === 1 ? "" : "s"}; fix them before uploading`,
  );
  return lines.join("\n");
}
