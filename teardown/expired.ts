/**
 * Which test stacks the scheduled clean-up should tear down.
 *
 * The source of truth is the state backend, not Azure: `pulumi stack ls --json` lists every
 * stack that still has state (only those can be destroyed with Pulumi), and each stack's own
 * config (fetched with `pulumi config refresh` when its file is not in the checkout) says its
 * environment and `expiresOn`. Resource-group tags are checked separately by the workflow,
 * as a report of leftovers that no stack owns any more.
 *
 * Only `environment: test` stacks are ever selected; dev and prod never expire.
 */
import { z } from "zod";
import type { StackConfig } from "../config/schema";
import { effectiveKind } from "./guard";

/** The part of `pulumi stack ls --json` output that is used. */
export const stackListSchema = z.array(z.looseObject({ name: z.string().min(1) }), {
  error: 'must be the JSON array printed by "pulumi stack ls --json"',
});

export interface ExpiryDecision {
  expired: string[];
  skipped: { stack: string; reason: string }[];
}

/** Stack names as listed may be fully qualified (`org/project/pr-42` on Pulumi Cloud). */
export function shortStackName(listed: string): string {
  return listed.split("/").pop() ?? listed;
}

/**
 * `loadConfig` returns the parsed config or throws (missing file, invalid config); `today` is
 * YYYY-MM-DD in UTC. A stack expires the day after its `expiresOn` date.
 */
export function selectExpiredStacks(listed: readonly string[], loadConfig: (stack: string) => StackConfig, today: string): ExpiryDecision {
  const decision: ExpiryDecision = { expired: [], skipped: [] };
  for (const stack of [...new Set(listed.map(shortStackName))].sort()) {
    let config: StackConfig;
    try {
      config = loadConfig(stack);
    } catch (error) {
      decision.skipped.push({ stack, reason: (error as Error).message });
      continue;
    }
    if (effectiveKind(stack, config.environment) !== "test") {
      decision.skipped.push({ stack, reason: `environment ${config.environment}: only test stacks expire` });
    } else if (!config.expiresOn) {
      decision.skipped.push({ stack, reason: "no expiresOn in its config: set one (pulumi config set expiresOn YYYY-MM-DD) or tear it down by hand" });
    } else if (config.expiresOn < today) {
      decision.expired.push(stack);
    } else {
      decision.skipped.push({ stack, reason: `expires on ${config.expiresOn}` });
    }
  }
  return decision;
}
