/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: a flat map of
 * `namespace:key` to string (objects and lists as JSON). Used by the tools that run without
 * the CLI (offline plan, teardown); under `pulumi up` the CLI does this itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

export interface StackFile {
  /** Path of the file read, for messages. */
  path: string;
  /** Config as Pulumi passes it to programs: `namespace:key` → string. */
  config: Record<string, string>;
  /** Keys whose values are encrypted (`secure:`); their plaintext is not available offline. */
  secretKeys: string[];
}

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

const stackFileSchema = z.looseObject({
  config: z.record(z.string(), z.unknown()).nullish(),
});
const secureValue = z.strictObject({ secure: z.string() });

/** The placeholder shown for secret values wherever they would otherwise be printed. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Stack names as the Pulumi CLI accepts them (and nothing that could escape the folder). */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function stackFilePath(projectDir: string, stack: string): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

export function readStackFile(projectDir: string, stack: string): StackFile {
  if (!STACK_NAME.test(stack) || stack.includes("..")) {
    throw new StackFileError(`"${stack}" is not a valid stack name: use letters, digits, "-", "_" or "." (e.g. dev, prod, pr-42)`);
  }
  const path = stackFilePath(projectDir, stack);
  if (!existsSync(path)) {
    throw new StackFileError(`${path} does not exist: create it (copy Pulumi.test.yaml for a short-lived stack) or pick another --stack`);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StackFileError(
      code === "EISDIR"
        ? `${path} is a directory, not a stack file: move it away and create the file (copy Pulumi.test.yaml for a short-lived stack)`
        : `${path} cannot be read (${code ?? (error as Error).message.slice(0, 200)}): check that this user may read it`,
    );
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new StackFileError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = stackFileSchema.safeParse(document ?? {});
  if (!parsed.success) {
    throw new StackFileError(`${path}: "config" must be a map of "namespace:key: value" entries`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(parsed.data.config ?? {})) {
    if (secureValue.safeParse(value).success) {
      secretKeys.push(key);
      config[key] = SECRET_PLACEHOLDER;
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { path, config, secretKeys };
}
