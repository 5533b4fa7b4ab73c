/** Config as Pulumi hands it to a program (strings) back into values, for `parseStackConfig`. */
import type { z } from "zod";
import { CONFIG_NAMESPACE, rawSchema } from "./rawSchema";

/**
 * Pulumi hands config values over as strings (objects as JSON). Decode each value of our
 * namespace back to what the YAML said, but only for keys whose schema is not a string:
 * `nameSalt: "12345678901"` (a CI run id) and `costCenter: "4711"` must stay strings, while
 * `budget`, `principals`, `contentSafety` and friends are JSON.
 */
export function decodePulumiConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    out[key] = isStringKey(key) ? value : decodeValue(value);
  }
  return out;
}

/** True when the key's schema (under optional/default) takes a string or a string enum. */
function isStringKey(key: string): boolean {
  const shape = rawSchema.shape as Record<string, z.ZodType | undefined>;
  let schema = shape[key];
  if (schema === undefined) return false;
  while (["optional", "default", "nullable", "prefault"].includes(schema.def.type)) {
    schema = (schema.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return schema.def.type === "string" || schema.def.type === "enum";
}

function decodeValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

