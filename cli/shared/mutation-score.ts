/**
 * The score of a StrykerJS run, read back from its JSON report (mutation-testing-report-schema:
 * `files.<path>.mutants[].status` and `.static`), with and without static mutants, so
 * `npm run mutate` can print both: Stryker's own table shows one score only.
 *
 * Stryker's score: (killed + timeout) / (killed + timeout + survived + no coverage); mutants that
 * do not compile or error at run time, and ignored ones, are outside it
 * (https://stryker-mutator.io/docs/mutation-testing-elements/mutant-states-and-metrics/).
 */
import { z } from "zod";

const reportSchema = z.object({
  files: z.record(
    z.string(),
    z.object({
      mutants: z.array(z.object({ status: z.string(), static: z.boolean().optional() })),
    }),
  ),
});

export interface MutantCounts {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  /** Not compiled, errored at run time, or ignored: outside the score. */
  other: number;
}

export interface MutationSummary {
  all: MutantCounts;
  /** Mutants in functions only: what the score would be if static mutants were ignored. */
  withoutStatic: MutantCounts;
  /** Static mutants that were left out of the run (status Ignored). */
  staticIgnored: number;
}

const empty = (): MutantCounts => ({ killed: 0, survived: 0, noCoverage: 0, timeout: 0, other: 0 });

function count(into: MutantCounts, status: string): void {
  if (status === "Killed") into.killed++;
  else if (status === "Survived") into.survived++;
  else if (status === "NoCoverage") into.noCoverage++;
  else if (status === "Timeout") into.timeout++;
  else into.other++;
}

/** Counts of a report; throws a ZodError when the JSON is not a Stryker report. */
export function summarizeReport(json: unknown): MutationSummary {
  const report = reportSchema.parse(json);
  const summary: MutationSummary = { all: empty(), withoutStatic: empty(), staticIgnored: 0 };
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      count(summary.all, mutant.status);
      if (mutant.static === true) {
        if (mutant.status === "Ignored") summary.staticIgnored++;
      } else {
        count(summary.withoutStatic, mutant.status);
      }
    }
  }
  return summary;
}

/** Stryker's mutation score in percent, or undefined when no mutant counts. */
export function score(c: MutantCounts): number | undefined {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  return valid === 0 ? undefined : (100 * detected) / valid;
}

function line(label: string, c: MutantCounts): string {
  const s = score(c);
  return `${label}: ${s === undefined ? "n/a" : `${s.toFixed(2)} %`} (killed ${c.killed}, survived ${c.survived}, no coverage ${c.noCoverage}, timeout ${c.timeout})`;
}

/** Two lines for the end of `npm run mutate`. */
export function formatSummary(folder: string, s: MutationSummary): string {
  const withStatic = s.staticIgnored > 0 ? `${folder}/ score without static mutants (${s.staticIgnored} static ones ignored)` : `${folder}/ score with static mutants`;
  return [line(withStatic, s.all), line(`${folder}/ score of mutants in functions only`, s.withoutStatic)].join("\n");
}
