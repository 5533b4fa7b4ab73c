/**
 * `npm run finetune -- --stack <name> [...]` — submit, watch and finish the stack's fine-tuning
 * job. The logic lives in finetune/ (see finetune/command.ts and README "Fine-tune and evaluate").
 * Ctrl-C stops watching, not the job: the first one aborts the watch, which prints how to resume.
 */
import { runFinetuneCommand } from "../finetune/command";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

runFinetuneCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stderr.isTTY === true,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`finetune: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
