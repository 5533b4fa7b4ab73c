#!/usr/bin/env node
/**
 * `node cli/run.js <command> [args]`: runs cli/<command>.ts as compiled JavaScript, which is what
 * `npm run plan`, `validate-data` and `bench` use.
 *
 * Why not tsx, as before: measured on the dev stack's `npm run plan`, tsx's loader (an ESM hooks
 * thread answering every import, source-mapped stack traces for every promise the Pulumi SDK
 * creates, getter-based exports on every cross-module call) cost about a third of the run. Here
 * each .ts file is transpiled once with TypeScript's own `transpileModule` (the project is
 * isolatedModules-clean: ts-jest compiles it the same way) into bin/ (git-ignored), and again
 * only when the source is newer; type checking stays with `npm run typecheck`. The TypeScript
 * compiler is only loaded when something needs transpiling.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "bin");
/** Every top-level folder of sources: all but these (and hidden ones). */
const NOT_SOURCES = new Set(["node_modules", "bin", "test", "docs", "examples", "coverage", "reports"]);
const DIRS = fs
  .readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !NOT_SOURCES.has(e.name))
  .map((e) => e.name);

function* tsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(full);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield full;
  }
}

let ts = null;
function transpile(src, out) {
  ts ??= require("typescript");
  const result = ts.transpileModule(fs.readFileSync(src, "utf8"), {
    fileName: src,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, strict: true, isolatedModules: true },
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written aside and renamed: a concurrent run never sees half a file.
  const temp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(temp, result.outputText);
  fs.renameSync(temp, out);
}

function* jsFiles(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(full);
    else if (entry.name.endsWith(".js")) yield full;
  }
}

function build() {
  const sources = [path.join(ROOT, "index.ts")];
  for (const dir of DIRS) sources.push(...tsFiles(path.join(ROOT, dir)));
  // An output whose source is gone (renamed, deleted) could shadow a module: remove it.
  const wanted = new Set(sources.map((src) => path.join(OUT, path.relative(ROOT, src)).replace(/\.ts$/, ".js")));
  for (const dir of DIRS) for (const js of jsFiles(path.join(OUT, dir))) if (!wanted.has(js)) fs.rmSync(js);
  for (const src of sources) {
    const out = path.join(OUT, path.relative(ROOT, src)).replace(/\.ts$/, ".js");
    let stale = true;
    try {
      stale = fs.statSync(out).mtimeMs < fs.statSync(src).mtimeMs;
    } catch {
      // not built yet
    }
    if (stale) transpile(src, out);
  }
}

const [command, ...args] = process.argv.slice(2);
const entry = path.join(OUT, "cli", `${command}.js`);
if (!command || !/^[a-z-]+$/.test(command) || !fs.existsSync(path.join(ROOT, "cli", `${command}.ts`))) {
  process.stderr.write(`usage: node cli/run.js <command> [args], where cli/<command>.ts exists\n`);
  process.exit(2);
}
build();
process.argv = [process.argv[0], entry, ...args];
require(entry);
