/**
 * Errors from ARM calls, turned into messages a person can act on, and the small pieces of
 * HTTP interpretation (which statuses are worth retrying, how long ARM asked us to wait)
 * that the registration loop needs.
 */
import { z } from "zod";

/** The parts of an `@azure/core-rest-pipeline` RestError this code reads (duck-typed, so no import of a transitive package). */
export interface ArmErrorLike {
  statusCode: number;
  code?: string;
  message: string;
  headers: HeaderGetter;
  /** ARM's `{ error: { code, message } }` body, when it sent one. */
  armCode?: string;
  armMessage?: string;
}

export interface HeaderGetter {
  get(name: string): string | undefined;
}

/** Statuses that mean "not now": throttling (429), accepted-but-pending (202), unavailable (503) and ARM's transient gateway errors. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([202, 408, 429, 500, 502, 503, 504]);

/**
 * How long the server asked us to wait, in ms, from `retry-after-ms`, `x-ms-retry-after-ms`
 * or `Retry-After` (seconds or an HTTP date). Undefined when absent or unparseable.
 */
export function parseRetryAfterMs(headers: HeaderGetter, nowMs: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const raw = headers.get(name);
    if (raw !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.ceil(Number(raw));
  }
  const raw = headers.get("retry-after");
  if (raw === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function armErrorBody(bodyText: unknown): { code?: string; message?: string } {
  if (typeof bodyText !== "string" || bodyText === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return {};
  }
  const parsed = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) }).safeParse(json);
  return parsed.success ? parsed.data.error : {};
}

/** Reads a thrown value as an ARM HTTP error if it is one (a RestError with a status), else undefined. */
export function asArmError(err: unknown): ArmErrorLike | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown; response?: { headers?: unknown; bodyAsText?: unknown } };
  if (typeof e.statusCode !== "number") return undefined;
  const h = e.response?.headers as { get?: unknown } | undefined;
  const headers: HeaderGetter =
    h !== undefined && typeof h.get === "function" ? { get: (name) => (h.get as (n: string) => string | undefined).call(h, name) } : { get: () => undefined };
  const body = armErrorBody(e.response?.bodyAsText);
  return {
    statusCode: e.statusCode,
    code: typeof e.code === "string" ? e.code : undefined,
    message: typeof e.message === "string" ? e.message : String(err),
    headers,
    armCode: body.code,
    armMessage: body.message,
  };
}

/** The caller may not register this namespace: names the exact permission and how to get it. */
export class ProviderRegistrationPermissionError extends Error {
  constructor(
    readonly namespace: string,
    readonly subscriptionId: string,
    detail: string,
  ) {
    super(
      `Not allowed to register resource provider ${namespace} in subscription ${subscriptionId}: ` +
        `the deploying identity lacks the '${namespace}/register/action' permission. ` +
        `Fix: grant it the Contributor (or Owner) role on /subscriptions/${subscriptionId}, or a custom role that includes '${namespace}/register/action' ` +
        `(e.g. \`az role assignment create --assignee <principal-id> --role Contributor --scope /subscriptions/${subscriptionId}\`), ` +
        `or have an administrator run \`az provider register --namespace ${namespace} --subscription ${subscriptionId}\` once. ARM said: ${detail}`,
    );
    this.name = "ProviderRegistrationPermissionError";
  }
}

/** The bounded wait ran out before the namespace reached `Registered`. */
export class ProviderRegistrationTimeoutError extends Error {
  constructor(
    readonly namespace: string,
    readonly lastState: string,
    readonly waitedMs: number,
  ) {
    super(
      `Timed out after ${Math.round(waitedMs / 1000)}s waiting for resource provider ${namespace} to register: its registrationState is still '${lastState}'. ` +
        `Registration usually finishes within a few minutes; run the deployment again (registering is idempotent) or raise maxWaitSeconds. ` +
        `Check progress with \`az provider show --namespace ${namespace} --query registrationState\`.`,
    );
    this.name = "ProviderRegistrationTimeoutError";
  }
}

/** Any other ARM failure, with the operation, the namespace and ARM's own code and message. */
export class ArmRequestError extends Error {
  constructor(
    readonly namespace: string,
    readonly operation: "register" | "get",
    readonly statusCode: number,
    readonly armCode: string | undefined,
    detail: string,
  ) {
    super(`${operation === "register" ? "Registering" : "Reading"} resource provider ${namespace} failed with HTTP ${statusCode}${armCode ? ` (${armCode})` : ""}: ${detail}${hint(statusCode)}`);
    this.name = "ArmRequestError";
  }
}

function hint(status: number): string {
  if (status === 401) return " Check the Azure credentials (azure-native:* stack config or ARM_* variables, or `az login`) and that the tenant id matches the subscription's tenant.";
  if (status === 404) return " Check the namespace's spelling and that ARM_SUBSCRIPTION_ID / subscriptionId is the right subscription.";
  if (status === 403) return " The identity needs read access on the subscription (e.g. the Reader role).";
  return "";
}

/** Converts a non-retryable ARM error into the error this module throws. */
export function toRegistrationError(err: ArmErrorLike, namespace: string, subscriptionId: string, operation: "register" | "get"): Error {
  const detail = err.armMessage ?? err.message;
  if (err.statusCode === 403 && operation === "register") return new ProviderRegistrationPermissionError(namespace, subscriptionId, detail);
  return new ArmRequestError(namespace, operation, err.statusCode, err.armCode ?? err.code, detail);
}
