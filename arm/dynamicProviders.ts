/**
 * This project's Pulumi dynamic providers by the type token the engine knows them under, and a
 * way to ask, before anything is deployed, "does this provider's `check` accept these inputs?",
 * with unknown values exactly as the engine would pass them during `pulumi preview`.
 *
 * For deployability rules that look at a recorded plan (the SDK's register requests): those carry
 * the inputs in wire form, where an unknown is the string {@link UNKNOWN} and a secret is wrapped
 * in Pulumi's special-signature object. {@link toProviderInputs} turns either that form or the mock
 * runtime's deserialized form (`pulumi.unknown` objects) into what the provider host hands to
 * `check`: unknowns as the sentinel string, secrets unwrapped (dynamic providers answer Configure
 * with acceptSecrets=false, so the engine strips secrets before calling them;
 * @pulumi/pulumi cmd/dynamic-provider/index.js), `__provider` dropped.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "./blobUploadInputs";
import { makeBlobUploadProvider } from "./blobUploadResource";
import { makeDataAssetProvider, makeDataAssetVersionProvider } from "./dataAssetResource";
import { makeProviderRegistrationProvider } from "./providerRegistrationResource";
import { UNKNOWN, unknownKeys } from "./unknowns";

export type { CheckFailure } from "./blobUploadInputs";

/** `pulumi-nodejs:dynamic/<module>:<type>`, as `pulumi.dynamic.Resource` registers `BlobUpload`. */
export const BLOB_UPLOAD_TYPE = "pulumi-nodejs:dynamic/llama-finetune:BlobUpload";
/** ...and `ProviderRegistration`. */
export const PROVIDER_REGISTRATION_TYPE = "pulumi-nodejs:dynamic/llama-finetune:ProviderRegistration";

/** ...and the Azure ML data asset (container) and its versions (dataAssetResource.ts). */
export const DATA_ASSET_TYPE = "pulumi-nodejs:dynamic/llama-finetune:DataAsset";
export const DATA_ASSET_VERSION_TYPE = "pulumi-nodejs:dynamic/llama-finetune:DataAssetVersion";

/**
 * Types whose provider archives on delete and never sends DELETE (its ARM client has no DELETE
 * method; test/arm/dataAssetResource.test.ts drives every path against a fake that records one).
 * Removing one from the stack is safe without retainOnDelete: Azure ML refuses DELETE on data
 * assets, and these never ask.
 */
export const ARCHIVED_ON_DELETE_TYPES: readonly string[] = [DATA_ASSET_TYPE, DATA_ASSET_VERSION_TYPE];

/** The providers themselves (production runtimes; `check` makes no network call). */
export const DYNAMIC_PROVIDERS: Readonly<Record<string, pulumi.dynamic.ResourceProvider>> = {
  [BLOB_UPLOAD_TYPE]: makeBlobUploadProvider(),
  [PROVIDER_REGISTRATION_TYPE]: makeProviderRegistrationProvider(),
  [DATA_ASSET_TYPE]: makeDataAssetProvider(),
  [DATA_ASSET_VERSION_TYPE]: makeDataAssetVersionProvider(),
};

/** Pulumi's wire markers (sdk/nodejs/runtime/rpc.ts `specialSigKey`, `specialSecretSig`). */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function toProviderValue(value: unknown): unknown {
  if (value === UNKNOWN || pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(toProviderValue);
  if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    if (obj[SPECIAL_SIG_KEY] === SECRET_SIG) return toProviderValue(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, toProviderValue(v)]));
  }
  return value;
}

/** Inputs as the provider host hands them to `check`: unknowns as the sentinel, secrets unwrapped, no `__provider`, no undefined. */
export function toProviderInputs(inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (k === "__provider" || v === undefined) continue;
    out[k] = toProviderValue(v);
  }
  return out;
}

export interface DynamicCheckResult {
  /** What the provider's `check` refused; empty when it accepts the inputs. */
  failures: CheckFailure[];
  /** Top-level inputs that are (or contain) unknowns: accepted now, judged at `up`. */
  unknownInputs: string[];
}

/**
 * Runs the real `check` of the dynamic provider registered as `type` on `inputs` (wire form or
 * mock-runtime form), as for a new resource. Returns undefined when `type` is not one of ours.
 */
export async function checkDynamicResource(type: string, inputs: Readonly<Record<string, unknown>>): Promise<DynamicCheckResult | undefined> {
  const provider = DYNAMIC_PROVIDERS[type];
  if (provider?.check === undefined) return undefined;
  const news = toProviderInputs(inputs);
  const result = await provider.check({}, news);
  return { failures: [...(result.failures ?? [])].map((f) => ({ property: f.property, reason: f.reason })), unknownInputs: unknownKeys(news) };
}
