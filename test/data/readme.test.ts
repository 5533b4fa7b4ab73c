/** data/README.md's table of checks says what data/codes.ts does: every code, its severity, nothing else. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ISSUE_CODES } from "../../data";

test("the README lists every issue code with its severity, and no other", () => {
  const readme = readFileSync(path.resolve(__dirname, "../../data/README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);
  expect(rows).toEqual(Object.entries(ISSUE_CODES).map(([code, c]) => [code, c.severity]));
});
