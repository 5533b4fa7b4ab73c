/**
 * The project directory (the one with this package's package.json), found upward from the
 * calling module: the commands run both from sources (cli/*.ts under tsx or jest) and compiled
 * (bin/cli/*.js, cli/run.js), so `__dirname + ".."` would point at different places.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const PACKAGE_NAME = "llama-finetune-env";

export function projectRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} project directory above ${from}`);
  }
}
