/**
 * `jest --coverage` runs to the end and maps coverage to TypeScript lines (issue 14.5: it
 * crashed because test/stack/index.test.ts left register requests in flight, and ts-jest's
 * `sourceMap: false` mapped coverage to the compiled JavaScript).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

test("jest --coverage over the index.ts test exits 0 and reports lines of the .ts sources", () => {
  const out = mkdtempSync(path.join(tmpdir(), "coverage-"));
  try {
    const run = spawnSync(process.execPath, [path.join(root, "node_modules/jest/bin/jest.js"), "--coverage", "--coverageReporters=lcovonly", `--coverageDirectory=${out}`, "test/stack/index.test.ts"], {
      cwd: root,
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(run.stderr).not.toMatch(/torn down|getFunctionLocationAsync/);
    expect(run.status).toBe(0);
    const lcov = readFileSync(path.join(out, "lcov.info"), "utf8");
    // The line of findModel's body in config/models.ts, counted as executed at its TypeScript line number.
    const source = readFileSync(path.join(root, "config/models.ts"), "utf8").split("\n");
    const line = source.findIndex((l) => l.includes("return catalog.models.find((m) => m.name === name);")) + 1;
    expect(line).toBeGreaterThan(0);
    const section = lcov.split("end_of_record").find((s) => s.includes("SF:config/models.ts\n"));
    expect(section).toBeDefined();
    expect(section).toMatch(new RegExp(`\\nDA:${line},[1-9]\\d*\\n`));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
