/**
 * The component under Pulumi's mock runtime. A MockMonitor subclass records each register
 * request so the test can read what the engine would receive: type, parent, retainOnDelete.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import { registrationSuffix, REQUIRED_NAMESPACES, ResourceProviders } from "../../components/resourceProviders";

interface Registered {
  type: string;
  name: string;
  parent: string;
  retainOnDelete: boolean;
  inputs: Record<string, unknown>;
}

/** The subset of the gRPC RegisterResourceRequest read here. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getRetainondelete(): boolean;
}

class RecordingMonitor extends MockMonitor {
  readonly registered: Registered[] = [];
  override async registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void> {
    return super.registerResource(req, (err, res) => {
      if (!err) {
        const urn = (res as { getUrn(): string }).getUrn();
        const state = this.resources.get(urn);
        this.registered.push({ type: req.getType(), name: req.getName(), parent: req.getParent(), retainOnDelete: req.getRetainondelete(), inputs: (state?.state ?? {}) as Record<string, unknown> });
      }
      callback(err, res);
    });
  }
}

const mocks: pulumi.runtime.Mocks = {
  newResource: (args: MockResourceArgs): MockResourceResult => ({
    id: args.custom ? `${args.name}-id` : undefined,
    state: args.custom ? { ...args.inputs, registrationState: "Registered" } : args.inputs,
  }),
  call: (args) => args.inputs,
};

const SUB = "00000000-1111-2222-3333-444444444444";
let monitor: RecordingMonitor;

beforeEach(async () => {
  await pulumi.runtime.setMocks(mocks, "llama-finetune-env", "test", false);
  monitor = new RecordingMonitor(mocks);
  pulumi.runtime.setMockOptions(monitor, "llama-finetune-env", "test", false);
});

const urnOf = (r: pulumi.Resource) => new Promise<string>((resolve) => r.urn.apply(resolve));
const settle = () => new Promise((r) => setTimeout(r, 50));

test("one retained child per namespace, parented to the component, with a meaningful dynamic type", async () => {
  const component = new ResourceProviders("providers", { subscriptionId: SUB, namespaces: REQUIRED_NAMESPACES });
  const componentUrn = await urnOf(component);
  await Promise.all(Object.values(component.registrations).map(urnOf));
  await settle();

  const comp = monitor.registered.find((r) => r.name === "providers");
  expect(comp?.type).toBe("llama-finetune:providers:ResourceProviders");

  const children = monitor.registered.filter((r) => r.type === "pulumi-nodejs:dynamic/llama-finetune:ProviderRegistration");
  expect(children.map((c) => c.name).sort()).toEqual(REQUIRED_NAMESPACES.map((ns) => `providers-${ns.toLowerCase().replace(/\./g, "-")}`).sort());
  for (const child of children) {
    expect(child.parent).toBe(componentUrn);
    expect(child.retainOnDelete).toBe(true);
    expect(child.inputs).toMatchObject({ subscriptionId: SUB, maxWaitSeconds: 600 });
    expect(typeof child.inputs.__provider).toBe("string");
  }
  expect(Object.keys(component.registrations)).toEqual([...REQUIRED_NAMESPACES]);
  expect(children.find((c) => c.name === "providers-microsoft-network")?.inputs.namespace).toBe("Microsoft.Network");
});

test("outputs carry the registration state; maxWaitSeconds and duplicates are handled", async () => {
  const component = new ResourceProviders("rp", { subscriptionId: SUB, namespaces: ["Microsoft.Storage", "microsoft.storage", "Microsoft.SaaS"], maxWaitSeconds: 120 });
  expect(Object.keys(component.registrations)).toEqual(["Microsoft.Storage", "Microsoft.SaaS"]);
  const state = await new Promise((resolve) => component.registrations["Microsoft.SaaS"]!.registrationState.apply(resolve));
  expect(state).toBe("Registered");
  await settle();
  const children = monitor.registered.filter((r) => r.type.includes("ProviderRegistration"));
  expect(children.map((c) => c.inputs.maxWaitSeconds)).toEqual([120, 120]);
});

test("rejects a malformed namespace or wait bound at construction", () => {
  expect(() => new ResourceProviders("bad", { subscriptionId: SUB, namespaces: ["Microsoft.Network", "network"] })).toThrow(/not resource provider namespaces: "network"/);
  expect(() => new ResourceProviders("bad2", { subscriptionId: SUB, namespaces: ["Microsoft.Network"], maxWaitSeconds: -1 })).toThrow(/maxWaitSeconds must be a positive/);
});

describe("REQUIRED_NAMESPACES", () => {
  test("is sorted, unique, well-formed, and includes the service's and the marketplace's namespaces", () => {
    const sorted = [...REQUIRED_NAMESPACES].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    expect(REQUIRED_NAMESPACES).toEqual(sorted);
    expect(new Set(REQUIRED_NAMESPACES.map((n) => n.toLowerCase())).size).toBe(REQUIRED_NAMESPACES.length);
    for (const ns of REQUIRED_NAMESPACES) expect(ns).toMatch(/^Microsoft\.[A-Za-z]+$/);
    expect(REQUIRED_NAMESPACES).toEqual(
      expect.arrayContaining(["Microsoft.Network", "Microsoft.MachineLearningServices", "Microsoft.CognitiveServices", "Microsoft.Consumption", "Microsoft.SaaS", "Microsoft.MarketplaceOrdering"]),
    );
  });

  test("child name suffixes are lower case with dashes", () => {
    expect(registrationSuffix("Microsoft.MachineLearningServices")).toBe("microsoft-machinelearningservices");
  });
});
