/**
 * Output for the commands, safe in pipes: `npm run validate-data -- f | head` closes stdout
 * early, and Node then raises EPIPE on the next write, which unhandled becomes a crash with a
 * stack trace and exit code 1 on a valid file. Here a closed pipe just stops the output: the
 * command ends quietly with the exit code of the work it did.
 */

let guarded = false;

/** Installs the EPIPE handling on stdout and stderr (once per process). */
export function guardPipes(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") {
        // The reader is gone; stop writing to this stream. process.exitCode stays what the work set.
        stream.write = (() => true) as typeof stream.write;
        return;
      }
      throw e;
    });
  }
}

/** Writes to stdout and resolves once the text is handed to the OS (or the pipe is gone). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!process.stdout.write(text, () => resolve())) process.stdout.once("drain", () => resolve());
  });
}

/** The first line of an error's message (never its stack), for messages to users. */
export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
