/**
 * `npm run teardown -- --stack pr-42 --dry-run` — see teardown/command.ts and docs/delivery.md.
 * The logic lives in teardown/ so the workflows and people run exactly the same steps.
 */
import { runTeardownCommand } from "../teardown/command";

// `npm run teardown -- --dry-run | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

runTeardownCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`teardown: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
