/** The evaluation as a table: plain text for the terminal, Markdown for the pull-request comment. */
import type { EndpointReport } from "./run";

export interface Evaluation {
  stack: string;
  samples: number;
  validationFile: string;
  endpoints: EndpointReport[];
  /** Why an endpoint is missing from the comparison (e.g. no fine-tuned model configured yet). */
  notes: string[];
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number) => v.toFixed(3);
const ms = (v: number | undefined) => (v === undefined ? "–" : `${Math.round(v).toLocaleString("en-US")} ms`);
const int = (v: number) => v.toLocaleString("en-US");

function rows(e: Evaluation): [string, string[]][] {
  const col = (f: (r: EndpointReport) => string) => e.endpoints.map(f);
  return [
    ["answered / failed", col((r) => `${r.answered} / ${r.failed}`)],
    ["exact match", col((r) => pct(r.exactMatch))],
    ["token F1", col((r) => num(r.f1))],
    ["ROUGE-L", col((r) => num(r.rougeL))],
    ["latency p50 / p95", col((r) => `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p95)}`)],
    ["tokens prompt + completion", col((r) => `${int(r.tokens.prompt)} + ${int(r.tokens.completion)}`)],
  ];
}

const header = (r: EndpointReport) => `${r.role} (${r.name})`;

export function renderText(e: Evaluation): string {
  const table = [["", ...e.endpoints.map(header)], ...rows(e).map(([k, v]) => [k, ...v])];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const lines = table.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd());
  const out = [`Evaluation of stack ${e.stack}: ${e.samples} validation example(s) from ${e.validationFile}`, "", ...lines];
  for (const r of e.endpoints) for (const err of r.errors) out.push(`${r.role} failure: ${err}`);
  for (const note of e.notes) out.push(`note: ${note}`);
  return `${out.join("\n")}\n`;
}

export function renderMarkdown(e: Evaluation): string {
  const head = `| | ${e.endpoints.map((r) => `${r.role} (\`${r.name}\`)`).join(" | ")} |`;
  const sep = `|---|${e.endpoints.map(() => "---:").join("|")}|`;
  const body = rows(e).map(([k, v]) => `| ${k} | ${v.join(" | ")} |`);
  const out = [
    `### Evaluation of \`${e.stack}\``,
    "",
    `${e.samples} example(s) of \`${e.validationFile}\`, each sent without its last assistant turn; answers scored against that turn (temperature 0). A failed request scores 0.`,
    "",
    head,
    sep,
    ...body,
  ];
  const failures = e.endpoints.flatMap((r) => r.errors.map((err) => `- ${r.role}: ${err.replace(/\|/g, "\\|")}`));
  if (failures.length > 0) out.push("", "Failures:", ...failures);
  if (e.notes.length > 0) out.push("", ...e.notes.map((n) => `> ${n}`));
  return `${out.join("\n")}\n`;
}
