/**
 * Safe reads from untyped resource inputs. Inputs arrive as `unknown` (CrossGuard hands over
 * `Record<string, any>`, the plan records JSON), so every rule goes through these instead of
 * trusting a shape.
 */
import { T } from "./types";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` below `value`, or undefined if any step is missing or not an object. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The ARM-schema names of the nested `properties` input of Azure ML resources. azure-native v3
 * names that input `properties`; the ARM schema (and some docs) call it e.g.
 * `serverlessEndpointProperties`, so the alias is accepted too rather than silently treating
 * the resource as empty.
 */
const PROPERTIES_ALIASES: Readonly<Record<string, string>> = {
  [T.serverlessEndpoint]: "serverlessEndpointProperties",
  [T.marketplaceSubscription]: "marketplaceSubscriptionProperties",
  [T.dataContainer]: "dataContainerProperties",
  [T.dataVersion]: "dataVersionBaseProperties",
  [T.datastore]: "datastoreProperties",
};

/** The nested `properties` object of a resource (or its ARM-schema alias), if it has one. */
export function nestedProperties(type: string, props: unknown): Record<string, unknown> | undefined {
  const primary = at(props, "properties");
  if (isRecord(primary)) return primary;
  const alias = PROPERTIES_ALIASES[type];
  const fallback = alias === undefined ? undefined : at(props, alias);
  return isRecord(fallback) ? fallback : undefined;
}

/** Azure enum values are case-insensitive on the wire ("Enabled" = "enabled"). */
export function equalsIgnoreCase(value: unknown, expected: string): boolean {
  return typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}

/** A value for a message: quoted strings, `not set` for undefined, JSON otherwise. */
export function show(value: unknown): string {
  if (value === undefined) return "not set";
  if (typeof value === "string") return `"${value}"`;
  return JSON.stringify(value) ?? String(value);
}

/** Non-empty strings of a list-valued input; anything else yields nothing. */
export function nonEmptyStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "") : [];
}
