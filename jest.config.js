/**
 * Jest runs the TypeScript sources through ts-jest without type-checking
 * (`npm run typecheck` does that once for the whole project, which is far
 * faster than checking each test file against azure-native's huge typings).
 * Source maps are on so that `jest --coverage` reports TypeScript lines (with
 * them off, coverage was mapped to the compiled JavaScript).
 *
 * A few dependencies ship only ES modules (the Llama tokenizers, GitHub's
 * workflow parser). Node 20.19+ can `require()` them natively, but Jest has
 * its own module loader, so they are transformed to CommonJS here instead.
 */
const esmPackages = ["llama-tokenizer-js", "llama3-tokenizer-js", "@actions/workflow-parser", "@actions/expressions", "yaml"];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true, module: "commonjs", target: "ES2022", sourceMap: true } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.map((p) => p.replace("/", "\\/")).join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  // Coverage of the project's own code only (the tests themselves and node_modules excluded).
  collectCoverageFrom: ["{config,components,data,arm,plan,policy,stack,teardown,cli}/**/*.ts", "index.ts"],
  coverageReporters: ["text-summary", "lcov"],
};
