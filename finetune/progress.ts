/**
 * How the watch shows itself: in a terminal, one line rewritten in place (status, elapsed time,
 * latest metrics); in CI or a pipe, one line per status change, so logs stay readable and
 * short for an hour-long job. "CI" is what GitHub Actions and most CI systems set (`CI=true`);
 * a stream that is not a TTY gets the same treatment.
 */
import { formatMetrics } from "./metrics";
import { formatElapsed, type WatchEvent } from "./watch";

export interface ProgressSink {
  write(text: string): void;
}

export function isInteractive(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return isTTY && (ci === undefined || ci === "" || ci === "false" || ci === "0");
}

export class WatchReporter {
  private lineOpen = false;

  constructor(
    private readonly out: ProgressSink,
    private readonly interactive: boolean,
    private readonly jobName: string,
  ) {}

  onEvent(event: WatchEvent): void {
    const metrics = formatMetrics(event.metrics);
    const text = `${this.jobName}: ${event.status} after ${formatElapsed(event.elapsedMs)}${metrics ? ` · ${metrics}` : ""}`;
    if (this.interactive) {
      // \r + "erase line" redraws the one status line in place.
      this.out.write(`\r\x1b[2K${text}`);
      this.lineOpen = true;
    } else if (event.kind === "status") {
      this.out.write(`${text}${event.previous ? ` (was ${event.previous})` : ""}\n`);
    }
  }

  /** Ends the in-place line, so what follows starts on a line of its own. */
  finish(): void {
    if (this.lineOpen) this.out.write("\n");
    this.lineOpen = false;
  }
}
