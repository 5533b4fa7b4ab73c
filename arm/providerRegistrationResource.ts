/**
 * `ProviderRegistration`: a Pulumi dynamic resource that makes sure one resource provider
 * namespace is registered on a subscription. azure-native v3 has no resource for this, and
 * an unregistered namespace makes the first resource of that type fail to deploy.
 *
 * The provider object below is serialized by Pulumi (closure serialization) into the state
 * and run in a separate provider-host process. So its methods are plain arrow functions over
 * a small `RegistrationRuntime`, credentials are read only when a method runs (never captured
 * at program time), and zod schemas are built inside functions rather than captured as
 * module-level objects.
 *
 * Credentials: the same settings azure-native uses, from the stack config (`azure-native:*`,
 * handed to `configure` by the provider host) or the ARM_* environment; see azureSettings.ts
 * for why that path never writes a secret into the state.
 *
 * Preview: `check` and `diff` accept unknown inputs (unknowns.ts) and judge only what is known.
 */
import * as pulumi from "@pulumi/pulumi";
import { configureFromStack, emptyAzureSettings } from "./azureSettings";
import type { AzureSettings } from "./azureSettings";
import { createProvidersClient } from "./client";
import { createCredential, planCredential } from "./credentials";
import { resolveArmCloud, resolveArmEndpoint } from "./environment";
import { DEFAULT_MAX_WAIT_MS, getRegistration, REGISTERED, registerAndWait } from "./providerRegistration";
import type { ProvidersApi } from "./providerRegistration";
import { isUnknown } from "./unknowns";

/** Inputs as the provider sees them (all resolved). */
export interface ProviderRegistrationInputs {
  namespace: string;
  subscriptionId: string;
  maxWaitSeconds: number;
  /** ARM endpoint override; absent means the cloud named by ARM_ENVIRONMENT. */
  endpoint?: string;
}

export interface ProviderRegistrationOutputs extends ProviderRegistrationInputs {
  registrationState: string;
}

/** What the provider needs from the outside world; swapped in tests to aim at a local server. */
export interface RegistrationRuntime {
  /** `settings` holds the azure-native stack config the provider host passed to `configure` (empty before that). */
  createApi(subscriptionId: string, endpoint: string | undefined, settings: AzureSettings): ProvidersApi;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Namespace syntax: dot-separated identifiers, e.g. `Microsoft.Network`. */
export const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;

export const DEFAULT_MAX_WAIT_SECONDS = DEFAULT_MAX_WAIT_MS / 1000;

/** The production runtime: azure-native's stack config, else the provider host's ARM_* environment, read at call time. */
export const environmentRuntime: RegistrationRuntime = {
  createApi: (subscriptionId, endpoint, settings) => {
    const env = process.env;
    const cloud = resolveArmCloud(env, settings.config);
    const credential = createCredential(planCredential(env, cloud.authorityHost, settings.config), env, settings.config);
    return createProvidersClient({ subscriptionId, credential, endpoint: resolveArmEndpoint(cloud, endpoint) });
  },
};

/** `/subscriptions/{sub}/providers/{ns}`, the id ARM gives a provider; parsed back on import/read. */
export function providerId(subscriptionId: string, namespace: string): string {
  return `/subscriptions/${subscriptionId}/providers/${namespace}`;
}

export function parseProviderId(id: string): { subscriptionId: string; namespace: string } | undefined {
  const m = /^\/subscriptions\/([^/]+)\/providers\/([^/]+)$/i.exec(id);
  return m === null ? undefined : { subscriptionId: m[1]!, namespace: m[2]! };
}

/**
 * Input problems, as Pulumi `check` failures (shown at preview, before any ARM call). An unknown
 * value (preview of a stack whose subscription id comes from another resource) is not a problem:
 * it is judged once it is known, at `up`.
 */
export function validateInputs(inputs: Partial<ProviderRegistrationInputs>): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const known = (v: unknown) => !isUnknown(v);
  if (known(inputs.namespace) && (typeof inputs.namespace !== "string" || !NAMESPACE_PATTERN.test(inputs.namespace))) {
    failures.push({ property: "namespace", reason: `"${String(inputs.namespace)}" is not a resource provider namespace like Microsoft.Network` });
  }
  if (known(inputs.subscriptionId) && (typeof inputs.subscriptionId !== "string" || !/^[0-9a-fA-F-]{36}$/.test(inputs.subscriptionId))) {
    failures.push({ property: "subscriptionId", reason: `"${String(inputs.subscriptionId)}" is not a subscription id (a GUID)` });
  }
  if (known(inputs.maxWaitSeconds) && (typeof inputs.maxWaitSeconds !== "number" || !Number.isFinite(inputs.maxWaitSeconds) || inputs.maxWaitSeconds <= 0)) {
    failures.push({ property: "maxWaitSeconds", reason: `must be a positive number of seconds, got ${String(inputs.maxWaitSeconds)}` });
  }
  if (inputs.endpoint !== undefined && known(inputs.endpoint) && (typeof inputs.endpoint !== "string" || !/^https:\/\//.test(inputs.endpoint))) {
    failures.push({ property: "endpoint", reason: `"${String(inputs.endpoint)}" must be an https ARM endpoint like https://management.azure.com` });
  }
  return failures;
}

/** Builds the dynamic provider over a runtime (the environment's by default). */
export function makeProviderRegistrationProvider(runtime: RegistrationRuntime = environmentRuntime): pulumi.dynamic.ResourceProvider<ProviderRegistrationInputs, ProviderRegistrationOutputs> {
  // Filled by `configure` in the provider host; empty (no secrets) when the closure is serialized.
  const settings: AzureSettings = emptyAzureSettings();
  const waitOptions = (inputs: ProviderRegistrationInputs) => ({
    subscriptionId: inputs.subscriptionId,
    maxWaitMs: inputs.maxWaitSeconds * 1000,
    ...(runtime.sleep ? { sleep: runtime.sleep } : {}),
    ...(runtime.now ? { now: runtime.now } : {}),
  });
  const register = async (inputs: ProviderRegistrationInputs) => {
    const api = runtime.createApi(inputs.subscriptionId, inputs.endpoint, settings);
    return registerAndWait(api, inputs.namespace, waitOptions(inputs));
  };
  return {
    configure: async (req) => configureFromStack(settings, req),

    check: async (_olds, news) => ({ inputs: news, failures: validateInputs(news) }),

    create: async (inputs) => {
      const result = await register(inputs);
      return { id: providerId(inputs.subscriptionId, inputs.namespace), outs: { ...inputs, registrationState: result.registrationState } };
    },

    read: async (id, props) => {
      const parsed = parseProviderId(id);
      const subscriptionId = props?.subscriptionId ?? parsed?.subscriptionId;
      const namespace = props?.namespace ?? parsed?.namespace;
      if (subscriptionId === undefined || namespace === undefined) {
        throw new Error(`Cannot read provider registration "${id}": expected an id like /subscriptions/<id>/providers/<Namespace>.`);
      }
      const inputs: ProviderRegistrationInputs = { ...props, namespace, subscriptionId, maxWaitSeconds: props?.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS };
      const api = runtime.createApi(subscriptionId, inputs.endpoint, settings);
      const current = await getRegistration(api, namespace, waitOptions(inputs));
      return { id, props: { ...inputs, registrationState: current.registrationState } };
    },

    diff: async (_id, olds, news) => {
      // ARM treats namespaces case-insensitively; only a different namespace, subscription or
      // cloud is a different registration. An unknown value (preview) may turn out different,
      // so it is reported as the change it may be.
      const differs = (a: unknown, b: unknown) => isUnknown(b) || String(a ?? "").toLowerCase() !== String(b ?? "").toLowerCase();
      const replaces: string[] = [];
      if (differs(olds.namespace, news.namespace)) replaces.push("namespace");
      if (differs(olds.subscriptionId, news.subscriptionId)) replaces.push("subscriptionId");
      if (isUnknown(news.endpoint) || (olds.endpoint ?? "") !== (news.endpoint ?? "")) replaces.push("endpoint");
      // A refresh that found the namespace no longer Registered shows up as a change, so the
      // next `up` registers it again through `update`.
      const changes =
        replaces.length > 0 || olds.namespace !== news.namespace || olds.maxWaitSeconds !== news.maxWaitSeconds || olds.registrationState !== REGISTERED;
      return { changes, replaces, deleteBeforeReplace: false };
    },

    update: async (_id, olds, news) => {
      if (olds.registrationState === REGISTERED) return { outs: { ...news, registrationState: olds.registrationState } };
      const result = await register(news);
      return { outs: { ...news, registrationState: result.registrationState } };
    },

    // Deliberately does nothing and calls nothing. A provider registration belongs to the
    // whole subscription, not to this stack: other stacks, teams and portal-made resources
    // depend on it, and unregistering a namespace that still has resources fails or breaks
    // them. Removing this resource from the stack therefore only forgets it. (The component
    // also sets retainOnDelete, so Pulumi should not even call this.)
    delete: async () => {},
  };
}

/** One provider object for every registration, so Pulumi serializes it once per program. */
const defaultProvider = makeProviderRegistrationProvider();

export interface ProviderRegistrationArgs {
  /** Resource provider namespace, e.g. `Microsoft.Network`. */
  namespace: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  /** Bound on registering plus waiting for `Registered`, in seconds. Default 600. */
  maxWaitSeconds?: pulumi.Input<number>;
  /** ARM endpoint override (https); default: the cloud named by ARM_ENVIRONMENT. */
  endpoint?: pulumi.Input<string>;
}

/**
 * Registers a namespace and waits until ARM reports it `Registered`. Never unregisters it
 * (see `delete` above); `retainOnDelete` defaults to true.
 */
export class ProviderRegistration extends pulumi.dynamic.Resource {
  // `declare`, not `!`: with ES2022 class fields, an initialised field would overwrite the
  // outputs the base constructor has just set.
  declare readonly namespace: pulumi.Output<string>;
  declare readonly subscriptionId: pulumi.Output<string>;
  declare readonly maxWaitSeconds: pulumi.Output<number>;
  declare readonly registrationState: pulumi.Output<string>;

  constructor(name: string, args: ProviderRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      defaultProvider,
      name,
      {
        namespace: args.namespace,
        subscriptionId: args.subscriptionId,
        maxWaitSeconds: args.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS,
        endpoint: args.endpoint,
        registrationState: undefined,
      },
      { retainOnDelete: true, ...opts },
      "llama-finetune",
      "ProviderRegistration",
    );
  }
}
