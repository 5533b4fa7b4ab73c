/**
 * `npm run mutate` prints the folder's score with and without static mutants, read back from
 * Stryker's JSON report (cli/shared/mutation-score.ts). Scores below are worked out by hand
 * from Stryker's formula: (killed + timeout) / (killed + timeout + survived + no coverage).
 */
import { formatSummary, score, summarizeReport } from "../../cli/shared/mutation-score";

const mutant = (status: string, isStatic?: boolean) => ({ id: "1", mutatorName: "StringLiteral", status, ...(isStatic === undefined ? {} : { static: isStatic }) });

describe("summarizeReport", () => {
  it("counts every state, and apart the mutants in functions", () => {
    const report = {
      schemaVersion: "2",
      files: {
        "config/a.ts": { language: "typescript", source: "", mutants: [mutant("Killed", true), mutant("Survived", true), mutant("Killed", false), mutant("Timeout")] },
        "config/b.ts": { language: "typescript", source: "", mutants: [mutant("NoCoverage", false), mutant("CompileError", false), mutant("Survived")] },
      },
    };
    const summary = summarizeReport(report);
    expect(summary).toEqual({
      all: { killed: 2, survived: 2, noCoverage: 1, timeout: 1, other: 1 },
      withoutStatic: { killed: 1, survived: 1, noCoverage: 1, timeout: 1, other: 1 },
      staticIgnored: 0,
    });
    expect(score(summary.all)).toBe(50); // 3 of 6
    expect(score(summary.withoutStatic)).toBe(50); // 2 of 4
    expect(formatSummary("config", summary).split("\n")).toEqual([
      "config/ score with static mutants: 50.00 % (killed 2, survived 2, no coverage 1, timeout 1)",
      "config/ score of mutants in functions only: 50.00 % (killed 1, survived 1, no coverage 1, timeout 1)",
    ]);
  });

  it("says how many static mutants a run left out", () => {
    const summary = summarizeReport({ files: { "data/a.ts": { mutants: [mutant("Ignored", true), mutant("Ignored", true), mutant("Killed", false), mutant("Killed", false), mutant("Survived", false)] } } });
    expect(summary.staticIgnored).toBe(2);
    expect(formatSummary("data", summary).split("\n")[0]).toBe("data/ score without static mutants (2 static ones ignored): 66.67 % (killed 2, survived 1, no coverage 0, timeout 0)");
  });

  it("has no score when no mutant counts, and refuses JSON that is not a report", () => {
    expect(score({ killed: 0, survived: 0, noCoverage: 0, timeout: 0, other: 3 })).toBeUndefined();
    expect(formatSummary("x", summarizeReport({ files: {} }))).toContain("x/ score with static mutants: n/a");
    expect(() => summarizeReport({ files: { "a.ts": { mutants: [{ state: "Killed" }] } } })).toThrow(/status/);
  });
});
