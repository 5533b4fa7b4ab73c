/**
 * A MockMonitor that also writes down every register request. The SDK's register requests
 * carry the parent, the explicit and per-property dependencies and the resource options, so
 * the plan reads them from there instead of guessing from the program's source.
 */
import { MockMonitor, type Mocks } from "@pulumi/pulumi/runtime/mocks";
import { UNKNOWN_SHOWN, type PlannedResource } from "./types";

/** Pulumi's wire markers (sdk/nodejs/runtime/rpc.ts). */
const SPECIAL_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const SECRET_SHOWN = "[secret]";

/** The slice of the protobuf RegisterResourceRequest that the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (err: unknown, response: unknown) => void;

export class RecordingMonitor extends MockMonitor {
  readonly planned: PlannedResource[] = [];
  /** The stack's outputs as a reviewer should see them (secrets hidden). */
  stackOutputs: Record<string, unknown> = {};

  constructor(mocks: Mocks) {
    super(mocks);
  }

  override registerResourceOutputs(req: OutputsRequest, callback: Callback): void {
    if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
      this.stackOutputs = displayInputs(req.getOutputs()?.toJavaScript() ?? {});
    }
    super.registerResourceOutputs(req, callback);
  }

  override async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    // Let the mock answer first: its URN is the one the program sees.
    let urn = "";
    await super.registerResource(req, (err: unknown, response: unknown) => {
      if (!err && response && typeof (response as { getUrn?: () => string }).getUrn === "function") {
        urn = (response as { getUrn(): string }).getUrn();
      }
      callback(err, response);
    });
    if (!urn) return;
    const deps = new Set(req.getDependenciesList());
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
      const urns = value.getUrnsList().filter((u) => u !== urn);
      urns.forEach((u) => deps.add(u));
      if (urns.length > 0) propertyDependencies[key] = [...new Set(urns)].sort();
    });
    deps.delete(urn);
    this.planned.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || undefined,
      custom: req.getCustom(),
      dependsOn: [...deps].sort(),
      propertyDependencies,
      inputs: displayInputs(req.getObject()?.toJavaScript() ?? {}),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: [...req.getIgnorechangesList()].sort(),
    });
  }
}

/** Inputs as a reviewer should see them: secrets hidden, resource references as URNs, code elided. */
export function displayInputs(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "__provider") {
      out[key] = "[dynamic provider code]";
      continue;
    }
    out[key] = displayValue(value);
  }
  return out;
}

function displayValue(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_SHOWN;
  if (Array.isArray(value)) return value.map(displayValue);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    switch (obj[SPECIAL_SIG]) {
      case SECRET_SIG:
        return SECRET_SHOWN;
      case RESOURCE_SIG:
        return typeof obj.urn === "string" ? obj.urn : "[resource]";
      case ASSET_SIG:
        return `[file ${typeof obj.path === "string" ? obj.path : "asset"}]`;
      default:
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, displayValue(v)]));
    }
  }
  return value;
}
