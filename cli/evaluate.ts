/**
 * `npm run evaluate -- --stack <name> [...]` — base versus fine-tuned endpoint on the stack's
 * validation set. The logic lives in evaluate/ (see evaluate/command.ts and README "Fine-tune and evaluate").
 */
import { runEvaluateCommand } from "../evaluate/command";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

runEvaluateCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`evaluate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
