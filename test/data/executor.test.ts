/** How many worker threads "auto" starts for a large input (data/executor.ts): only with an idle core. */
import { autoWorkerCount } from "../../data/executor";

test.each([
  // cores, 1-minute load average, workers
  [2, 0, 2],
  [2, 1, 2],
  [2, 1.01, 0],
  [2, 13, 0],
  [8, 2, 4],
  [8, 7, 4],
  [8, 7.5, 0],
  [1, 0, 1],
  [1, 0.5, 0],
])("%s cores at load average %s: %s workers", (cores, load, workers) => {
  expect(autoWorkerCount(cores, load)).toBe(workers);
});

test("without arguments it reads this machine's cores and load (a whole number from 0 to 4)", () => {
  const n = autoWorkerCount();
  expect(Number.isInteger(n) && n >= 0 && n <= 4).toBe(true);
});
