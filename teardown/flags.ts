/**
 * The teardown command's flags, validated with zod after commander has split them.
 *
 * Two modes share one command so that the workflows and people call one entry point:
 * - `--stack <name>`: plan (and with `--yes`, run) the teardown of one stack;
 * - `--list-expired`: print the test stacks whose `expiresOn` has passed.
 */
import { z } from "zod";
import { STACK_NAME } from "../config/stackFile";
import { UsageError } from "./errors";
import { STEP_IDS } from "./plan";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "--today must be a date as YYYY-MM-DD" });

const teardownFlags = z
  .strictObject({
    stack: z.string({ error: "--stack <name> is required (e.g. --stack pr-42), or use --list-expired" }).regex(STACK_NAME, {
      error: '--stack must be a stack name: letters, digits, "-", "_" or "." (e.g. pr-42)',
    }),
    projectDir: z.string().min(1),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
    yes: z.boolean().default(false),
    confirm: z.string().min(1).optional(),
    forceProd: z.boolean().default(false),
    subscription: z.guid({ error: "--subscription must be an Azure subscription id (a GUID)" }).optional(),
    from: z.enum(STEP_IDS, { error: `--from must be one of ${STEP_IDS.join(", ")}` }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.dryRun === v.yes) {
      ctx.addIssue({
        code: "custom",
        message: v.dryRun ? "--dry-run and --yes contradict each other: pick one" : "nothing to do: pass --dry-run to print the commands, or --yes to run them",
      });
    }
    if (v.json && !v.dryRun) ctx.addIssue({ code: "custom", message: "--json prints the plan, so it needs --dry-run" });
  });

const listFlags = z.strictObject({
  stacksJson: z.string({ error: '--list-expired needs --stacks-json <file> (the output of "pulumi stack ls --json")' }).min(1),
  projectDir: z.string().min(1),
  today: date,
  json: z.boolean().default(false),
});

export type TeardownFlags = z.infer<typeof teardownFlags>;
export type ListExpiredFlags = z.infer<typeof listFlags>;
export type Flags = ({ mode: "teardown" } & TeardownFlags) | ({ mode: "list-expired" } & ListExpiredFlags);

/** Options as commander hands them over (camelCased, absent when not given). */
export type RawOptions = Record<string, unknown>;

const LIST_ONLY = ["stacksJson", "today"] as const;
const TEARDOWN_ONLY = ["stack", "dryRun", "yes", "confirm", "forceProd", "subscription", "from"] as const;

export function parseFlags(raw: RawOptions, defaults: { projectDir: string; today: string }): Flags {
  const given = (keys: readonly string[]) => keys.filter((k) => raw[k] !== undefined).map(toFlag);
  const base = { projectDir: raw.projectDir ?? defaults.projectDir };
  if (raw.listExpired === true) {
    const wrong = given(TEARDOWN_ONLY);
    if (wrong.length > 0) throw new UsageError(`--list-expired cannot be combined with ${wrong.join(", ")}`);
    const { listExpired: _ignored, ...rest } = raw;
    return { mode: "list-expired", ...validate(listFlags, { ...rest, ...base, today: raw.today ?? defaults.today }) };
  }
  const wrong = given(LIST_ONLY);
  if (wrong.length > 0) throw new UsageError(`${wrong.join(", ")} only go with --list-expired`);
  const { listExpired: _ignored, ...rest } = raw;
  return { mode: "teardown", ...validate(teardownFlags, { ...rest, ...base }) };
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((i) => i.message).join("\n"));
}

function toFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
