/**
 * Who may be torn down, and what the caller must type to do it.
 *
 * The stack name and the configured environment are both consulted and the stricter one
 * wins: a stack called `prod` is treated as production even if its file says `test`, and a
 * stack whose file says `environment: prod` is production whatever it is called. Typing the
 * stack name again (`--confirm <stack>`) is the guard against a wrong `--stack` value or a
 * shell-history accident; `--force-prod` on top of it keeps a production destroy a
 * deliberate, two-flag act.
 */
import type { EnvironmentKind } from "../config/environments";
import { TeardownRefusal } from "./errors";

export interface GuardInput {
  stack: string;
  /** undefined when the stack has no config anywhere (then only its name counts). */
  environment: EnvironmentKind | undefined;
  forceProd: boolean;
  confirm?: string;
}

/** The stricter of the stack's name and its configured environment. */
export function effectiveKind(stack: string, environment: EnvironmentKind | undefined): EnvironmentKind {
  if (stack === "prod" || environment === "prod") return "prod";
  if (stack === "dev" || environment === "dev") return "dev";
  return "test";
}

/** Throws TeardownRefusal unless the flags allow tearing down this stack. */
export function assertTeardownAllowed(input: GuardInput): EnvironmentKind {
  const kind = effectiveKind(input.stack, input.environment);
  const { stack, confirm } = input;
  if (confirm !== undefined && confirm !== stack) {
    throw new TeardownRefusal(`--confirm "${confirm}" does not match --stack "${stack}": type the stack name exactly, e.g. --confirm ${stack}`);
  }
  if (kind === "prod") {
    if (!input.forceProd) {
      throw new TeardownRefusal(
        `refusing to tear down "${stack}": it is a production stack (${describe(input.environment)}), and production data must never be lost by a mistaken destroy. ` +
          `If you really mean to destroy it, pass --force-prod --confirm ${stack} (protected resources still make "pulumi destroy" fail until you unprotect them).`,
      );
    }
    if (confirm === undefined) {
      throw new TeardownRefusal(`--force-prod also needs --confirm ${stack} (the stack name typed again) before a production stack is torn down`);
    }
  }
  if (kind === "dev" && confirm === undefined) {
    throw new TeardownRefusal(`"${stack}" is the long-lived, shared dev stack: pass --confirm ${stack} to tear it down (test stacks such as pr-42 need no confirmation)`);
  }
  if (input.forceProd && kind !== "prod") {
    // Harmless, but a sign the caller is confused about which stack they named.
    throw new TeardownRefusal(`--force-prod was given but "${stack}" is not a production stack (${describe(input.environment)}); drop --force-prod`);
  }
  return kind;
}

function describe(environment: EnvironmentKind | undefined): string {
  return environment ? `environment ${environment}` : "by its name; it has no config";
}
