/**
 * The smallest raw stack config the schema accepts, and the refusal helper the config tests
 * share: each test spreads its change over `MINIMAL_CONFIG` and reads the problems listed.
 */
import { ConfigError, parseStackConfig } from "../../config/schema";

export const MINIMAL_CONFIG = {
  environment: "dev",
  location: "westus3",
  costCenter: "ml-platform",
  budget: { amount: 100, contactEmails: ["a@example.com"] },
  data: { trainingFile: "examples/data/train.jsonl" },
} as const;

/** The fixed "today" of the config tests (budget start, expiry and lifecycle dates are judged on it). */
export const TODAY = "2026-11-26";

/** The problems a refused raw config lists; fails the test when the config is accepted. */
export function refusalOf(raw: Record<string, unknown>, options: Parameters<typeof parseStackConfig>[2] = { today: TODAY }): string[] {
  try {
    parseStackConfig(raw, "Pulumi.x.yaml", options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error(`expected ${JSON.stringify(raw).slice(0, 200)} to be refused`);
}
