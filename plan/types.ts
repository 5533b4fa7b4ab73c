/**
 * What the offline plan records about each resource the program registers.
 * Shared by the plan recorder, its renderers, and the policy pack's offline runner.
 */

import type { EnvironmentKind } from "../config/environments";

/** How the recorder shows a value that is unknown until the resource is deployed (a preview). */
export const UNKNOWN_SHOWN = "[unknown until deployed]";

/** Re-exported for the plan's readers; defined in config/ (the lowest folder that uses it). */
export type { EnvironmentKind };

export interface PlannedResource {
  /** The resource's URN, as the engine would give it. */
  urn: string;
  /** Pulumi type token, e.g. `azure-native:storage:StorageAccount` or `llama-finetune:hub:AiHub`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  /** The parent's URN; undefined only for the stack's root children. */
  parent?: string;
  /** True for cloud resources, false for components. */
  custom: boolean;
  /** Explicit `dependsOn` plus the implicit dependencies carried by inputs, as URNs, sorted. */
  dependsOn: string[];
  /**
   * Per input, the URNs of the resources its value came from (the engine's property
   * dependencies), e.g. a role assignment's `principalId` → the workspace whose identity it is.
   * Absent in plans recorded before this field existed.
   */
  propertyDependencies?: Record<string, string[]>;
  /** The inputs as registered (azure-native input names); secret values are replaced by `"[secret]"`. */
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  /** Input paths whose changes are ignored after creation (e.g. a budget's start date). */
  ignoreChanges?: string[];
}
