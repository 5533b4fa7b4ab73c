/**
 * What each kind of environment means for safety and teardown. Components never branch on
 * the environment name themselves; they receive these decisions as typed values.
 */
import type { NetworkMode } from "./network";

/** Kinds of environment a stack can be; decides defaults such as protection and content safety. */
export type EnvironmentKind = "prod" | "dev" | "test";
export const ENVIRONMENT_KINDS: readonly EnvironmentKind[] = ["prod", "dev", "test"];

export interface EnvironmentPolicy {
  /** `protect` on the stores that hold data (storage, key vault, hub, project): a mistaken destroy fails. */
  protectData: boolean;
  /** Key vault purge protection: once on it can never be turned off, and the name stays reserved for the retention period. */
  keyVaultPurgeProtection: boolean;
  /** Key vault soft-delete retention (7-90 days); the shortest for stacks that come and go. */
  keyVaultSoftDeleteRetentionDays: number;
  /** The network mode (config/network.ts) when the stack does not set `network.mode`. */
  networkModeByDefault: NetworkMode;
  /** Content safety on serverless endpoints when the stack does not say. */
  contentSafetyByDefault: boolean;
}

const POLICIES: Record<EnvironmentKind, EnvironmentPolicy> = {
  prod: {
    protectData: true,
    keyVaultPurgeProtection: true,
    keyVaultSoftDeleteRetentionDays: 90,
    // Issue 10: prod is reached only through its private endpoints; the policy pack refuses a public prod.
    networkModeByDefault: "private",
    contentSafetyByDefault: true,
  },
  dev: {
    protectData: false,
    keyVaultPurgeProtection: false,
    keyVaultSoftDeleteRetentionDays: 7,
    // Developers reach AI Studio from their own networks; a dev stack may choose "restricted" or "private".
    networkModeByDefault: "public",
    contentSafetyByDefault: true,
  },
  test: {
    protectData: false,
    keyVaultPurgeProtection: false,
    keyVaultSoftDeleteRetentionDays: 7,
    networkModeByDefault: "public",
    contentSafetyByDefault: true,
  },
};

export function environmentPolicy(kind: EnvironmentKind): EnvironmentPolicy {
  return POLICIES[kind];
}
