/**
 * `npm run teardown -- --stack pr-42 --dry-run` — see teardown/command.ts and docs/delivery.md.
 * The logic lives in teardown/ so the workflows and people run exactly the same steps.
 */
import { runTeardownCommand } from "../teardown/command";

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
