/**
 * GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions
 * language service) loaded inside Jest.
 *
 * The package and its dependency @actions/expressions ship ES modules only, and their
 * `exports` maps offer only an `import` condition, which Jest's CommonJS resolver refuses
 * ("Cannot find module"). jest.config.js already transforms their files to CommonJS, so
 * here the entry file is required by path and the three bare specifiers the parser imports
 * are pointed at their files with virtual mocks. A `moduleNameMapper` in jest.config.js
 * would make this unnecessary (see docs/delivery.md).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

function packageDir(name: string): string {
  for (const base of createRequire(__filename).resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new Error(`${name} is not installed: run npm ci`);
}

jest.mock("@actions/expressions", () => jest.requireActual(join(packageDir("@actions/expressions"), "dist/index.js")), { virtual: true });
jest.mock("@actions/expressions/ast", () => jest.requireActual(join(packageDir("@actions/expressions"), "dist/ast.js")), { virtual: true });
jest.mock("@actions/expressions/features", () => jest.requireActual(join(packageDir("@actions/expressions"), "dist/features.js")), { virtual: true });

interface ParserModule {
  parseWorkflow(file: { name: string; content: string }, trace: unknown): { context: { errors: { getErrors(): { message: string }[] } }; value: unknown };
  convertWorkflowTemplate(context: unknown, root: unknown): Promise<{ errors?: { Message: string }[]; jobs?: { id: { value: string } }[] }>;
  NoOperationTraceWriter: new () => unknown;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = require(join(packageDir("@actions/workflow-parser"), "dist/index.js")) as ParserModule;

export interface ParserResult {
  errors: string[];
  jobIds: string[];
}

/** Parses and converts one workflow as GitHub does; returns every error message and the job ids. */
export async function parseWithGitHubParser(name: string, content: string): Promise<ParserResult> {
  const parsed = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return { errors: errors.length ? errors : ["no workflow parsed"], jobIds: [] };
  const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
  for (const e of template.errors ?? []) if (!errors.includes(e.Message)) errors.push(e.Message);
  return { errors, jobIds: (template.jobs ?? []).map((j) => j.id.value) };
}
