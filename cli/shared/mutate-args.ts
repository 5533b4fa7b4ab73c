/**
 * How `npm run mutate` calls StrykerJS (cli/mutate.ts): the folder and the static-mutant choice
 * go to stryker.config.js through the environment; `--incremental` keeps Stryker's incremental
 * file per folder (reports/mutation/<folder>.incremental.json), so a run that was stopped, or
 * one after a change, tests only the mutants whose code or tests changed since (Stryker's
 * `--incremental` mode, https://stryker-mutator.io/docs/stryker-js/incremental/); `--files`
 * mutates only some of the folder's files (Stryker's `--mutate`), which with `--incremental` lets
 * a large folder be measured a few files at a time and then scored as a whole; an entry may end
 * in Stryker's line range (`data/tokens/spans.ts:140-160`), which retests only the mutants inside
 * it (the file's others keep their results from the incremental file).
 */
export interface MutateFlags {
  /** "include" / "ignore" static mutants; undefined: the folder's default (stryker.config.js). */
  staticChoice?: "include" | "ignore";
  incremental?: boolean;
  /** Comma-separated globs inside the folder, e.g. "data/validate.ts,data/stats.ts". */
  files?: string;
}

export interface StrykerInvocation {
  args: string[];
  env: Record<string, string>;
  /** Stryker's JSON report for the folder (written by stryker.config.js's json reporter). */
  report: string;
}

export function incrementalFile(folder: string): string {
  return `reports/mutation/${folder}.incremental.json`;
}

/** Arguments after `stryker`, and the environment, for one run on `folder`. */
export function strykerInvocation(folder: string, flags: MutateFlags): StrykerInvocation {
  const args = ["run", "stryker.config.js"];
  if (flags.incremental) args.push("--incremental", "--incrementalFile", incrementalFile(folder));
  if (flags.files !== undefined) args.push("--mutate", flags.files);
  return {
    args,
    env: { MUTATE_FOLDER: folder, ...(flags.staticChoice ? { MUTATE_STATIC: flags.staticChoice } : {}) },
    report: `reports/mutation/${folder}.json`,
  };
}

/**
 * Problems with `--files`: each glob must name files inside the folder (a file elsewhere would
 * be mutated against tests that never target it). Returns the messages, empty when fine.
 */
export function filesProblems(folder: string, files: string): string[] {
  const globs = files.split(",").map((g) => g.trim());
  return globs.flatMap((g) =>
    g === "" ? [`--files has an empty entry in "${files.slice(0, 200)}"; separate globs with single commas`] : g.startsWith(`${folder}/`) && !g.includes("..") ? [] : [`--files: "${g.slice(0, 200)}" is not inside ${folder}/; give paths such as ${folder}/<file>.ts`],
  );
}
