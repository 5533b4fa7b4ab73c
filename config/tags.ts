/**
 * Tags every taggable resource of a stack carries. Cost reports group by them, the policy
 * pack requires them, and the scheduled clean-up finds expired test stacks by `expires-on`.
 */
import type { EnvironmentKind } from "./environments";

export const REQUIRED_TAGS = ["environment", "stack", "cost-center", "managed-by"] as const;

export interface TagInput {
  environment: EnvironmentKind;
  stack: string;
  costCenter: string;
  /** Test stacks: the day after which the scheduled clean-up destroys them. */
  expiresOn?: string;
}

export function stackTags(input: TagInput): Record<string, string> {
  const tags: Record<string, string> = {
    environment: input.environment,
    stack: input.stack,
    "cost-center": input.costCenter,
    "managed-by": "pulumi",
  };
  if (input.expiresOn) tags["expires-on"] = input.expiresOn;
  return tags;
}
