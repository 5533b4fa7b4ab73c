/**
 * The shapes of the deployability checks: rules over the planned graph that encode what Azure
 * Resource Manager refuses (or silently gets wrong), so the offline plan fails where a real
 * `pulumi up` would. Each rule names the Azure behaviour it encodes and its source.
 *
 * Policy rules (policy/) say what this project *allows*; these say what Azure *accepts*.
 */
import type { PlannedResource } from "../plan/types";

/** `error` makes the plan fail (exit 1); `warning` is shown. */
export type Severity = "error" | "warning";

/** What a rule reports. The runner adds the rule's name and source. */
export interface Finding {
  readonly severity: Severity;
  /** What Azure would do, on which resource, and how to fix it. */
  readonly message: string;
  readonly urn?: string;
  readonly resourceName?: string;
  /** The stack, for rules over several plans. */
  readonly stack?: string;
}

export interface DeployabilityFinding extends Finding {
  /** The rule's name. */
  readonly rule: string;
  /** Where the Azure behaviour is documented. */
  readonly source: string;
}

/** One plan as the rules see it, with the facts about the deployment they need. */
export interface PlanFacts {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  /** The day the plan runs, YYYY-MM-DD (UTC). */
  readonly today: string;
  /** The identity running `pulumi up` and its principal type, as the program used them. */
  readonly deployer?: { readonly objectId: string; readonly principalType: string };
  /** The configured principals and their types. */
  readonly principals?: readonly { readonly objectId: string; readonly type: string }[];
}

interface RuleInfo {
  /** Unique, stable id, shown with each finding. */
  readonly name: string;
  /** The Azure behaviour, in one sentence. */
  readonly description: string;
  /** Learn page, REST spec path or issue URL. */
  readonly source: string;
}

/** A rule over one plan. May be async (it may call code that Azure's engine would call). */
export interface PlanRule extends RuleInfo {
  check(plan: PlanFacts): Finding[] | Promise<Finding[]>;
}

/** A rule over the plans of several stacks deployed into the same tenant. */
export interface CrossStackRule extends RuleInfo {
  check(plans: readonly PlanFacts[]): Finding[];
}

/** A rule over a change from one plan to the next (`after` undefined: `pulumi destroy`). */
export interface TransitionRule extends RuleInfo {
  check(before: PlanFacts, after: PlanFacts | undefined): Finding[];
}
