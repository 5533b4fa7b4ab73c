/**
 * The real public datasets beside the checkout (../shared/datasets). A user's clone has none:
 * tests that read them skip with the reason printed, and the same checks also run on fixtures
 * the tests write themselves.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const SHARED_DATASETS = path.resolve(__dirname, "../../../shared/datasets");
export const HAVE_SHARED = existsSync(path.join(SHARED_DATASETS, "expected.json"));
const reason = `skipped: ${SHARED_DATASETS} is absent (the shared public datasets sit beside the checkout in CI only)`;

/** `describe` when the shared datasets are present; otherwise a skipped block whose title and a warning say why. */
export function describeShared(name: string, body: () => void): void {
  if (HAVE_SHARED) {
    describe(name, body);
    return;
  }
  console.warn(`${name}: ${reason}`);
  describe.skip(`${name} (${reason})`, body);
}
