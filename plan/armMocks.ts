/**
 * Answers for Pulumi's mock runtime that look like Azure's: resource ids in ARM form, the
 * physical names the program asked for, and the few computed outputs the program reads
 * (managed identities, endpoints, keys). With realistic ids, dependent inputs such as
 * `hubResourceId` or a budget's `scope` render in the plan as they would after a deployment.
 *
 * In preview mode (`makeArmMocks({ preview: true })`) they answer like the engine does in the
 * `pulumi preview` of a fresh stack: a new resource's outputs are its inputs, and everything
 * Azure computes (ids, identities, endpoints) is unknown.
 */
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const MOCK_TENANT_ID = "11111111-1111-1111-1111-111111111111";
/** The object id the mocks give the identity running the plan. */
export const MOCK_DEPLOYER_OBJECT_ID = "22222222-2222-2222-2222-222222222222";

export interface ArmMockOptions {
  /** Answer like the preview of a fresh stack (outputs of new resources unknown). */
  preview?: boolean;
  /** The subscription getClientConfig reports (a second deployment of the repo elsewhere). */
  subscriptionId?: string;
}

type Inputs = Record<string, unknown>;

interface ArmShape {
  /** ARM resource type path below the resource group (or scope), e.g. `Microsoft.Storage/storageAccounts`. */
  armType: string;
  /** Input that holds the physical name. */
  nameInput: string;
  /** Input that holds the parent workspace (ML sub-resources) or account (blob containers). */
  parentInput?: string;
  parentArmType?: string;
  /** For nested ARM types, the path segment(s) under the parent. */
  childPath?: string;
}

const SHAPES: Record<string, ArmShape> = {
  "azure-native:storage:StorageAccount": { armType: "Microsoft.Storage/storageAccounts", nameInput: "accountName" },
  "azure-native:storage:BlobContainer": {
    armType: "Microsoft.Storage/storageAccounts",
    nameInput: "containerName",
    parentInput: "accountName",
    childPath: "blobServices/default/containers",
  },
  "azure-native:keyvault:Vault": { armType: "Microsoft.KeyVault/vaults", nameInput: "vaultName" },
  "azure-native:operationalinsights:Workspace": { armType: "Microsoft.OperationalInsights/workspaces", nameInput: "workspaceName" },
  "azure-native:applicationinsights:Component": { armType: "Microsoft.Insights/components", nameInput: "resourceName" },
  "azure-native:cognitiveservices:Account": { armType: "Microsoft.CognitiveServices/accounts", nameInput: "accountName" },
  "azure-native:machinelearningservices:Workspace": { armType: "Microsoft.MachineLearningServices/workspaces", nameInput: "workspaceName" },
  "azure-native:machinelearningservices:WorkspaceConnection": ml("connections", "connectionName"),
  "azure-native:machinelearningservices:Datastore": ml("datastores", "name"),
  "azure-native:machinelearningservices:DataContainer": ml("data", "name"),
  "azure-native:machinelearningservices:MarketplaceSubscription": ml("marketplaceSubscriptions", "name"),
  "azure-native:machinelearningservices:ServerlessEndpoint": ml("serverlessEndpoints", "name"),
  "azure-native:network:VirtualNetwork": { armType: "Microsoft.Network/virtualNetworks", nameInput: "virtualNetworkName" },
  "azure-native:network:PrivateEndpoint": { armType: "Microsoft.Network/privateEndpoints", nameInput: "privateEndpointName" },
  "azure-native:network:PrivateDnsZoneGroup": {
    armType: "Microsoft.Network/privateEndpoints",
    nameInput: "privateDnsZoneGroupName",
    parentInput: "privateEndpointName",
    childPath: "privateDnsZoneGroups",
  },
  "azure-native:privatedns:PrivateZone": { armType: "Microsoft.Network/privateDnsZones", nameInput: "privateZoneName" },
  "azure-native:privatedns:VirtualNetworkLink": {
    armType: "Microsoft.Network/privateDnsZones",
    nameInput: "virtualNetworkLinkName",
    parentInput: "privateZoneName",
    childPath: "virtualNetworkLinks",
  },
};

function ml(childPath: string, nameInput: string): ArmShape {
  return { armType: "Microsoft.MachineLearningServices/workspaces", nameInput, parentInput: "workspaceName", childPath };
}

const str = (value: unknown, fallback: string): string => (typeof value === "string" && value ? value : fallback);

/** A stable fake GUID for a managed identity, derived from the resource name. */
function fakePrincipalId(name: string): string {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}0000`;
}

/** The ARM id and output state for a resource, from its type and inputs. */
export function mockResource(args: pulumi.runtime.MockResourceArgs, subscriptionId: string = MOCK_SUBSCRIPTION_ID): { id: string; state: Inputs } {
  const inputs = args.inputs as Inputs;
  const sub = `/subscriptions/${subscriptionId}`;
  const rg = `${sub}/resourceGroups/${str(inputs.resourceGroupName, "rg")}`;

  if (args.type === "azure-native:resources:ResourceGroup") {
    const name = str(inputs.resourceGroupName, args.name);
    return { id: `${sub}/resourceGroups/${name}`, state: { ...inputs, name } };
  }
  if (args.type === "azure-native:authorization:RoleAssignment") {
    const name = str(inputs.roleAssignmentName, args.name);
    return { id: `${str(inputs.scope, sub)}/providers/Microsoft.Authorization/roleAssignments/${name}`, state: { ...inputs, name } };
  }
  if (args.type === "azure-native:consumption:Budget") {
    const name = str(inputs.budgetName, args.name);
    return { id: `${str(inputs.scope, sub)}/providers/Microsoft.Consumption/budgets/${name}`, state: { ...inputs, name } };
  }
  if (args.type === "azure-native:machinelearningservices:DataVersion") {
    const name = str(inputs.name, args.name);
    const version = str(inputs.version, "1");
    return {
      id: `${rg}/providers/Microsoft.MachineLearningServices/workspaces/${str(inputs.workspaceName, "ws")}/data/${name}/versions/${version}`,
      state: { ...inputs, name: version },
    };
  }
  if (args.type === "pulumi-nodejs:dynamic/llama-finetune:DataAsset" || args.type === "pulumi-nodejs:dynamic/llama-finetune:DataAssetVersion") {
    // The ARM ids the data asset providers return (arm/dataAssetResource.ts): the container, or one of its versions.
    const container = `${rg}/providers/Microsoft.MachineLearningServices/workspaces/${str(inputs.workspaceName, "ws")}/data/${str(inputs.name, args.name)}`;
    const id = args.type.endsWith("Version") ? `${container}/versions/${str(inputs.version, "1")}` : container;
    return { id, state: { ...inputs, adopted: false, isArchived: false } };
  }
  if (args.type === "pulumi-nodejs:dynamic/llama-finetune:BlobUpload") {
    const url = `https://${str(inputs.accountName, "account")}.blob.core.windows.net/${str(inputs.containerName, "c")}/${str(inputs.blobName, args.name)}`;
    return { id: url, state: { ...inputs, url } };
  }
  if (args.type.startsWith("pulumi-nodejs:dynamic")) {
    const namespace = str(inputs.namespace, args.name);
    return { id: `${sub}/providers/${namespace}`, state: { ...inputs, registrationState: "Registered" } };
  }

  const shape = SHAPES[args.type];
  if (!shape) return { id: `${rg}/providers/mock/${args.name}`, state: { ...inputs, name: args.name } };
  const name = str(inputs[shape.nameInput], args.name);
  const id = shape.parentInput
    ? `${rg}/providers/${shape.armType}/${str(inputs[shape.parentInput], "parent")}/${shape.childPath}/${name}`
    : `${rg}/providers/${shape.armType}/${name}`;
  return { id, state: { ...inputs, name, ...computedOutputs(args.type, name, inputs) } };
}

/** Outputs Azure computes that the program reads. */
function computedOutputs(type: string, name: string, inputs: Inputs): Inputs {
  switch (type) {
    case "azure-native:machinelearningservices:Workspace":
      return { identity: { type: "SystemAssigned", principalId: fakePrincipalId(name), tenantId: MOCK_TENANT_ID } };
    case "azure-native:cognitiveservices:Account":
      return { properties: { ...(inputs.properties as Inputs), endpoint: `https://${name}.cognitiveservices.azure.com/` } };
    case "azure-native:machinelearningservices:ServerlessEndpoint":
      return {
        properties: { ...(inputs.properties as Inputs), inferenceEndpoint: { uri: `https://${name}.${str(inputs.location, "westus3")}.models.ai.azure.com` } },
      };
    default:
      return {};
  }
}

/** Answers for the provider functions the program invokes. */
export function mockCall(args: pulumi.runtime.MockCallArgs, subscriptionId: string = MOCK_SUBSCRIPTION_ID): Record<string, unknown> {
  switch (args.token) {
    case "azure-native:authorization:getClientConfig":
      return { subscriptionId, tenantId: MOCK_TENANT_ID, clientId: "mock-client", objectId: MOCK_DEPLOYER_OBJECT_ID };
    case "azure-native:machinelearningservices:listServerlessEndpointKeys":
      return { primaryKey: "mock-primary-key", secondaryKey: "mock-secondary-key" };
    default:
      return {};
  }
}

export function makeArmMocks(options: ArmMockOptions = {}): pulumi.runtime.Mocks {
  const subscriptionId = options.subscriptionId ?? MOCK_SUBSCRIPTION_ID;
  return {
    // Preview of a create: no id yet (the SDK makes "" unknown), outputs = inputs, nothing computed.
    newResource: (args) => (options.preview ? { id: "", state: { ...(args.inputs as Inputs) } } : mockResource(args, subscriptionId)),
    call: (args) => mockCall(args, subscriptionId),
  };
}

export const armMocks: pulumi.runtime.Mocks = makeArmMocks();
