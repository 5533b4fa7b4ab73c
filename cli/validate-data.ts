/**
 * `npm run validate-data -- <file|-> [--validation <file|->] [--model <name>] [--json]
 *   [--price-per-1k <usd>] [--epochs <n>] [--max-issues <n>] [--no-tokens] [--workers <n|auto>]`
 *
 * A thin shell over data/: parses and checks the flags (commander + zod), runs validateDataset,
 * prints the report. Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error. `-` reads
 * the data from stdin. With --json, stdout is always exactly one JSON document, usage errors
 * included. A closed pipe (`| head`) ends the output quietly, with the same exit code.
 */
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { SingleBar, Presets } from "cli-progress";
import { validateDataset, formatReport, DEFAULT_MAX_ISSUES, STDIN_PATH, type ValidationReport } from "../data";
import { DEFAULT_MODEL_NAME, findModel, modelNames } from "../config/models";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from "./shared/exit-codes";
import { errorMessage, guardPipes, writeStdout } from "./shared/output";

/** Files smaller than this finish before a progress bar would be of any use. */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;
/** --max-issues above this would make the report itself the problem. */
const MAX_ISSUES_LIMIT = 100_000;

const positiveNumber = (what: string) =>
  z
    .string()
    .transform((s) => Number(s))
    .refine((n) => Number.isFinite(n) && n > 0, { message: `${what} must be a number greater than 0` });

const flagsSchema = z.object({
  validation: z.string().min(1).optional(),
  model: z
    .string()
    .default(DEFAULT_MODEL_NAME)
    .refine((m) => findModel(m) !== undefined, {
      message: `--model must be a model that can be fine-tuned: ${modelNames().join(", ")}`,
    }),
  json: z.boolean().default(false),
  pricePer1k: positiveNumber("--price-per-1k").optional(),
  epochs: z
    .string()
    .default("1")
    .transform((s) => Number(s))
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= 1000, { message: "--epochs must be a whole number from 1 to 1000" }),
  maxIssues: z
    .string()
    .default(String(DEFAULT_MAX_ISSUES))
    .transform((s) => Number(s))
    .refine((n) => Number.isInteger(n) && n >= 0 && n <= MAX_ISSUES_LIMIT, { message: `--max-issues must be a whole number from 0 to ${MAX_ISSUES_LIMIT}` }),
  tokens: z.boolean().default(true),
  workers: z
    .string()
    .default("auto")
    .refine((s) => s === "auto" || /^(0|[1-9]\d?)$/.test(s), { message: "--workers must be auto or a whole number from 0 to 99" })
    .transform((s) => (s === "auto" ? ("auto" as const) : Number(s))),
});

/** The machine-readable report: the library's report plus how many issues were left out. */
function jsonReport(r: ValidationReport) {
  return {
    valid: r.valid,
    errors: r.errors.map(({ line, code, message, file }) => ({ file, line, code, message })),
    errorCount: r.errorCount,
    errorsNotShown: r.errorCount - r.errors.length,
    warnings: r.warnings.map(({ line, code, message, file }) => ({ file, line, code, message })),
    warningCount: r.warningCount,
    warningsNotShown: r.warningCount - r.warnings.length,
    stats: r.stats,
  };
}

async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes("--json");
  const usage = async (message: string): Promise<number> => {
    process.stderr.write(`validate-data: ${message}\nRun with --help for usage.\n`);
    if (wantsJson) await writeStdout(`${JSON.stringify({ valid: false, usageError: message }, null, 2)}\n`);
    return EXIT_USAGE;
  };

  let commanderMessage = "";
  const program = new Command()
    .name("validate-data")
    .description("Check a fine-tuning dataset (JSON Lines) before it is uploaded: format, tokens, duplicates, cost.")
    .argument("<file>", `training file (.jsonl); ${STDIN_PATH} reads it from stdin`)
    .option("--validation <file>", `validation file (.jsonl); ${STDIN_PATH} reads it from stdin`)
    .option("--model <name>", `Azure registry model name (${modelNames().join(", ")})`, DEFAULT_MODEL_NAME)
    .option("--json", "print one JSON report on stdout")
    .option("--price-per-1k <usd>", "current price per 1,000 training tokens, to estimate the cost")
    .option("--epochs <n>", "training epochs, for the token total and the cost", "1")
    .option("--max-issues <n>", "errors (and warnings) listed before the rest are only counted", String(DEFAULT_MAX_ISSUES))
    .option("--no-tokens", "skip counting every example (faster; no token statistics, no cost; examples that could be too long are still counted)")
    .option("--workers <n>", "threads that check lines: auto (one per core for files of 16 MiB or more, when a core is idle) or a number; 0 checks in the main thread", "auto")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => {
        commanderMessage += s;
        if (!wantsJson) process.stderr.write(s);
      },
    });

  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT_OK;
      if (!wantsJson) return EXIT_USAGE; // commander has printed the message
      return usage(commanderMessage.trim().replace(/^error: /, "") || e.message);
    }
    throw e;
  }

  const parsed = flagsSchema.safeParse(program.opts());
  if (!parsed.success) return usage(parsed.error.issues.map((i) => i.message).join("; "));
  const flags = parsed.data;
  const model = findModel(flags.model)!;
  const [trainingFile] = program.args;
  if (trainingFile === STDIN_PATH && flags.validation === STDIN_PATH) return usage("standard input (-) can be read only once; give one of the two files as a path");

  const usesStdin = trainingFile === STDIN_PATH || flags.validation === STDIN_PATH;
  if (usesStdin && process.stdin.isTTY) process.stderr.write("validate-data: reading JSON Lines from the terminal (end with Ctrl-D)\n");

  let bar: SingleBar | null = null;
  const wantBar = !flags.json && process.stderr.isTTY === true;
  const report = await validateDataset({
    trainingFile,
    validationFile: flags.validation,
    model,
    countTokens: flags.tokens,
    pricePer1kTokens: flags.pricePer1k,
    epochs: flags.epochs,
    maxIssues: flags.maxIssues,
    workers: flags.workers,
    stdin: usesStdin ? process.stdin : undefined,
    onProgress: wantBar
      ? (read, total) => {
          if (total < PROGRESS_MIN_BYTES) return;
          if (!bar) {
            bar = new SingleBar({ format: "validating [{bar}] {percentage}% | {value}/{total} MiB | {eta}s left", stream: process.stderr }, Presets.shades_classic);
            bar.start(Math.ceil(total / 1048576), 0);
          }
          bar.update(Math.floor(read / 1048576));
        }
      : undefined,
  });
  (bar as SingleBar | null)?.stop();

  const code = report.valid ? EXIT_OK : EXIT_INVALID;
  process.exitCode = code; // also the exit code if the reader of stdout goes away mid-report
  await writeStdout((flags.json ? JSON.stringify(jsonReport(report), null, 2) : formatReport(report)) + "\n");
  return code;
}

guardPipes();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`validate-data: unexpected failure: ${errorMessage(e)}\nThis is a bug in the validator, not in your data; please report it.\n`);
    process.exitCode = EXIT_INVALID;
  },
);
