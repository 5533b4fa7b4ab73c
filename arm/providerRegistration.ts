/**
 * Making sure a resource provider namespace is registered on a subscription, and waiting until
 * ARM reports it `Registered`. Pure of Pulumi: the ARM client, the clock and the sleep are
 * passed in, so tests can drive it against a local server without real waiting.
 *
 * Why read first: `POST .../providers/{ns}/register` needs `{ns}/register/action` at
 * subscription scope, which many deploying identities (e.g. Contributor on a resource group
 * only) lack, while `GET .../providers/{ns}` needs only read access. Most namespaces are
 * already Registered, so the state is read first and the POST is sent only when it is neither
 * `Registered` nor `Registering` (Providers_Get / Providers_Register,
 * specification/resources/resource-manager/Microsoft.Resources/stable/2025-04-01/resources.json;
 * example body: .../examples/GetProvider.json).
 *
 * Why poll: the register POST returns at once with `Registering`; resources of that namespace
 * fail to deploy until the state flips to `Registered`, which can take minutes. Why own the
 * retries: the SDK's retry policy is turned off (see `client.ts`) so that every wait,
 * including ARM's `Retry-After`, goes through the injected sleep and counts against one
 * overall deadline.
 */
import { z } from "zod";
import { asArmError, parseRetryAfterMs, ProviderRegistrationTimeoutError, RETRYABLE_STATUSES, toRegistrationError } from "./errors";
import type { HeaderGetter } from "./errors";

/** What the SDK hands to an `onResponse` callback (a subset of core-client's FullOperationResponse). */
export interface ArmRawResponse {
  status: number;
  headers: HeaderGetter;
  parsedBody?: unknown;
}

export interface ArmCallOptions {
  onResponse?: (rawResponse: ArmRawResponse, flatResponse: unknown, error?: unknown) => void;
}

/** The two operations used, shaped like `ResourceManagementClient.providers` so the real client fits as is. */
export interface ProvidersApi {
  register(resourceProviderNamespace: string, options?: ArmCallOptions): Promise<unknown>;
  get(resourceProviderNamespace: string, options?: ArmCallOptions): Promise<unknown>;
}

export interface WaitOptions {
  /** Subscription id, only for error messages (the client already targets it). */
  subscriptionId: string;
  /** Total time allowed for registering plus waiting, in ms. Default 10 minutes. */
  maxWaitMs?: number;
  /** First poll delay; doubles each poll up to {@link maxDelayMs}. Default 2 s. */
  initialDelayMs?: number;
  /** Cap on one back-off step (a server's Retry-After is honoured even when longer). Default 30 s. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RegistrationResult {
  /** The namespace as requested (ARM sometimes answers in lower case, e.g. `microsoft.insights`). */
  namespace: string;
  registrationState: string;
  /** ARM's resource id for the provider, `/subscriptions/{sub}/providers/{ns}`. */
  id: string;
}

export const DEFAULT_MAX_WAIT_MS = 10 * 60 * 1000;
export const REGISTERED = "Registered";
/** A registration already under way (someone else's POST): wait for it, no POST needed. */
export const REGISTERING = "Registering";

/** Validates ARM's Provider body; only the fields used are required. Built per call so closures stay serializable. */
function parseProvider(body: unknown, namespace: string): { id?: string; namespace: string; registrationState: string } {
  const schema = z.object({
    id: z.string().optional(),
    namespace: z.string(),
    registrationState: z.string(),
    resourceTypes: z.array(z.object({ resourceType: z.string() }).loose()).optional(),
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`ARM answered with an unexpected body for resource provider ${namespace}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  if (parsed.data.namespace.toLowerCase() !== namespace.toLowerCase()) {
    throw new Error(`ARM answered for resource provider ${parsed.data.namespace} when asked about ${namespace}.`);
  }
  return parsed.data;
}

type Step = { kind: "state"; id?: string; state: string; retryAfterMs?: number } | { kind: "retry"; retryAfterMs?: number; why: string };

async function call(api: ProvidersApi, op: "register" | "get", namespace: string, subscriptionId: string, now: () => number): Promise<Step> {
  let raw: ArmRawResponse | undefined;
  let flat: unknown;
  try {
    flat = await api[op](namespace, { onResponse: (r) => (raw = r) });
  } catch (err) {
    const armErr = asArmError(err);
    if (armErr === undefined) throw err;
    if (RETRYABLE_STATUSES.has(armErr.statusCode)) {
      return { kind: "retry", retryAfterMs: parseRetryAfterMs(armErr.headers, now()), why: `HTTP ${armErr.statusCode}` };
    }
    throw toRegistrationError(armErr, namespace, subscriptionId, op);
  }
  const provider = parseProvider(raw?.parsedBody ?? flat, namespace);
  const retryAfterMs = raw === undefined ? undefined : parseRetryAfterMs(raw.headers, now());
  return { kind: "state", id: provider.id, state: provider.registrationState, retryAfterMs };
}

/** Reads the namespace's current registration state (one GET, retried only within the same bounds). */
export async function getRegistration(api: ProvidersApi, namespace: string, options: WaitOptions): Promise<RegistrationResult> {
  return loop(api, namespace, options, "get", () => true);
}

/**
 * Makes sure `namespace` is `Registered`: reads its state, registers it only when it is not
 * Registered or Registering, and polls until it is. All of it within one `maxWaitMs`.
 * Throws {@link ProviderRegistrationPermissionError} when the register POST gets 403,
 * {@link ProviderRegistrationTimeoutError} when `maxWaitMs` runs out, and `ArmRequestError`
 * on other non-retryable statuses (including a 403 on the read).
 */
export async function registerAndWait(api: ProvidersApi, namespace: string, options: WaitOptions): Promise<RegistrationResult> {
  const now = options.now ?? Date.now;
  const start = now();
  const current = await getRegistration(api, namespace, options);
  if (current.registrationState === REGISTERED) return current;
  const isRegistered = (state: string) => state === REGISTERED;
  if (current.registrationState === REGISTERING) {
    // Someone else's registration is under way: wait for it (GETs only), starting with a back-off step.
    return loop(api, namespace, { ...options, startedAt: start, known: { kind: "state", id: current.id, state: REGISTERING } }, "get", isRegistered);
  }
  return loop(api, namespace, { ...options, startedAt: start }, "register", isRegistered);
}

async function loop(
  api: ProvidersApi,
  namespace: string,
  options: WaitOptions & { startedAt?: number; known?: Step },
  first: "register" | "get",
  done: (state: string) => boolean,
): Promise<RegistrationResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const start = options.startedAt ?? now();
  const deadline = start + maxWaitMs;
  let delayMs = options.initialDelayMs ?? 2_000;
  let op = first;
  let lastState = "unknown (no answer from ARM yet)";
  let known = options.known;
  for (;;) {
    const step = known ?? (await call(api, op, namespace, options.subscriptionId, now));
    known = undefined;
    if (step.kind === "state") {
      lastState = step.state;
      // Once the register POST has been accepted, only GETs follow.
      op = "get";
      if (done(step.state)) {
        return { namespace, registrationState: step.state, id: step.id ?? `/subscriptions/${options.subscriptionId}/providers/${namespace}` };
      }
    } else if (lastState.startsWith("unknown")) {
      lastState = `unknown (last answer: ${step.why})`;
    }
    const remaining = deadline - now();
    if (remaining <= 0) throw new ProviderRegistrationTimeoutError(namespace, lastState, now() - start);
    const wait = step.retryAfterMs ?? delayMs;
    if (step.retryAfterMs === undefined) delayMs = Math.min(delayMs * 2, maxDelayMs);
    await sleep(Math.min(wait, remaining));
  }
}
