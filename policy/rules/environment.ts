/**
 * Which environment a resource belongs to, and the stack-file hints that messages point at.
 *
 * A resource's environment is its `environment` tag. When the tag is missing or not one of
 * prod/dev/test the resource is treated as **prod**: a guardrail that relaxes itself when a
 * tag is forgotten would be no guardrail. The `required-tags` rule reports the missing tag.
 */
import { ENVIRONMENT_KINDS } from "../../config/environments";
import type { EnvironmentKind } from "../../plan/types";
import { tagsOf } from "./taggable";
import type { Enforcement } from "./types";

/** The config namespace of the stack (the Pulumi project name). */
export const CONFIG_NAMESPACE = "llama-finetune-env";
export const ENVIRONMENT_TAG = "environment";

export interface ResolvedEnvironment {
  readonly kind: EnvironmentKind;
  /** True when the tag was missing or invalid and `prod` was assumed. */
  readonly assumed: boolean;
}

export function environmentOf(tags: Readonly<Record<string, unknown>>): ResolvedEnvironment {
  const value = tags[ENVIRONMENT_TAG];
  const kind = ENVIRONMENT_KINDS.find((k) => k === value);
  return kind ? { kind, assumed: false } : { kind: "prod", assumed: true };
}

/** "environment prod" or "environment prod, assumed: no valid `environment` tag". */
export function describeEnvironment(env: ResolvedEnvironment): string {
  return env.assumed ? `environment ${env.kind}, assumed: no valid \`${ENVIRONMENT_TAG}\` tag` : `environment ${env.kind}`;
}

/** Prod violations stop the deployment; elsewhere the same rule only warns. */
export function prodMandatory(env: ResolvedEnvironment): Enforcement {
  return env.kind === "prod" ? "mandatory" : "advisory";
}

/** The stack of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), if it parses. */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1];
}

/** The stack file to edit, e.g. `Pulumi.prod.yaml` (or `Pulumi.<stack>.yaml` when the URN does not say). */
export function stackFile(urn: string | undefined): string {
  const stack = urn === undefined ? undefined : stackOfUrn(urn);
  return `Pulumi.${stack ?? "<stack>"}.yaml`;
}

/** A config key as written in the stack file, e.g. `llama-finetune-env:contentSafety`. */
export function configKey(key: string): string {
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** The environment of a resource, from its own tags (wherever its type keeps them). */
export function resourceEnvironment(resource: { readonly type: string; readonly props: unknown }): ResolvedEnvironment {
  return environmentOf(tagsOf(resource.type, resource.props));
}
