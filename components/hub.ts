/**
 * The AI hub and what it needs: storage, key vault, monitoring and an AI Services account,
 * all secure by default.
 *
 * Why these choices:
 * - Storage: no public blob access, HTTPS only, TLS 1.2, and the hub's system datastores use
 *   its managed identity (`systemDatastoresAuthMode: Identity`, azure-native's enum spelling)
 *   instead of the account key. Azure then grants the hub's identity Storage Blob Data
 *   Contributor on the account by itself ("Automatically assigned the role when you provision
 *   the hub. Don't manually change this role assignment.", Learn: disable-local-auth, see
 *   config/roles.ts AUTOMATIC_ROLE_ASSIGNMENTS), so the stack does NOT assign it: a second
 *   assignment of the same (principal, role, scope) fails with 409 RoleAssignmentExists.
 * - Application Insights keeps local (instrumentation-key) ingestion on. With local auth off,
 *   "only telemetry exclusively authenticated by using managed identities and Microsoft Entra
 *   ID is ingested", and each sender needs "Monitoring Metrics Publisher" plus an Entra-enabled
 *   SDK (https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication). The
 *   hub's senders (deployments, prompt flow tracing) are configured by Azure ML with the
 *   component's connection string, not with an identity the stack could grant that role to,
 *   so turning local auth off would silently drop the hub's telemetry. The key only writes
 *   telemetry; reading it still needs Entra ID.
 * - Key vault: RBAC authorization (no access policies to drift); purge protection and
 *   retention come from the environment kind, so test stacks can be purged and prod cannot.
 * - AI Services is connected to the hub with Microsoft Entra ID (`authType: AAD`): no API key is
 *   read with `listKeys`, copied into the connection or stored in Pulumi state (the quickstart
 *   `aistudio-basics` does copy a key; local auth is disabled on the account here).
 * - Network (issue 10): public access, firewalls and the hub's managed network follow the
 *   stack's network mode (components/networkRules.ts); in a `private` stack each of storage
 *   (`blob`, `file`), key vault (`vault`), AI Services (`account`) and the hub (`amlworkspace`)
 *   gets its private endpoint and DNS zone group right here, next to the resource it exposes.
 *   The project has none of its own: "Project workspaces reuse the FQDNs of the associated hub
 *   workspaces" (azure-ai-docs articles/ai-foundry/how-to/hub-configure-private-link.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import type { StackArmIds } from "../config/armIds";
import { typeToken, type NetworkSettings, type PlacementArgs } from "./common";
import { grantRole } from "./grants";
import { hubManagedNetwork, publicNetworkAccess, serviceNetworkAcls, storageNetworkRuleSet } from "./networkRules";
import { exposePrivately, type ExposedPrivately } from "./privateEndpoint";

export interface AiHubArgs extends PlacementArgs {
  subscriptionId: string;
  tenantId: string;
  /** ARM ids of the stack's resources (role-assignment scopes). */
  ids: StackArmIds;
  names: {
    storageAccount: string;
    keyVault: string;
    logAnalytics: string;
    appInsights: string;
    aiServices: string;
    hub: string;
  };
  /** Storage redundancy, e.g. `Standard_LRS` or `Standard_ZRS`. */
  storageSku: string;
  /** `protect` the stores that hold data (storage account, key vault, hub). */
  protectData: boolean;
  keyVaultPurgeProtection: boolean;
  keyVaultSoftDeleteRetentionDays: number;
  network: NetworkSettings;
  /** Resources that must exist first (the resource provider registrations). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class AiHub extends pulumi.ComponentResource {
  readonly storageAccount: storage.StorageAccount;
  readonly keyVault: keyvault.Vault;
  readonly logAnalytics: operationalinsights.Workspace;
  readonly appInsights: applicationinsights.Component;
  readonly aiServices: cognitiveservices.Account;
  readonly hub: machinelearningservices.Workspace;
  readonly aiServicesConnection: machinelearningservices.WorkspaceConnection;
  /** `private` stacks: the private endpoint and DNS zone group of each exposed resource, by `<resource>-<group>`. */
  readonly privateEndpoints: Record<string, ExposedPrivately> = {};

  constructor(name: string, args: AiHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("hub", "AiHub"), name, {}, opts);
    const placed = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const publicAccess = publicNetworkAccess(args.network);
    const acls = serviceNetworkAcls(args.network);
    const first = { parent: this, dependsOn: args.dependsOn };

    this.storageAccount = new storage.StorageAccount(
      `${name}-storage`,
      {
        ...placed,
        accountName: args.names.storageAccount,
        kind: "StorageV2",
        sku: { name: args.storageSku },
        allowBlobPublicAccess: false,
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        // The datastore and the hub use identities; no one needs the account key.
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        publicNetworkAccess: publicAccess,
        // The hub and project read and write it as trusted services (resource instance rules).
        networkRuleSet: storageNetworkRuleSet(args.network, { tenantId: args.tenantId, resourceIds: [args.ids.hub, args.ids.project] }),
      },
      { ...first, protect: args.protectData },
    );

    this.keyVault = new keyvault.Vault(
      `${name}-keyvault`,
      {
        ...placed,
        vaultName: args.names.keyVault,
        properties: {
          tenantId: args.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: args.keyVaultSoftDeleteRetentionDays,
          // Azure refuses `false` here once set; leaving it unset is how "off" is said.
          enablePurgeProtection: args.keyVaultPurgeProtection ? true : undefined,
          publicNetworkAccess: publicAccess,
          networkAcls: acls,
        },
      },
      { ...first, protect: args.protectData },
    );

    this.logAnalytics = new operationalinsights.Workspace(
      `${name}-logs`,
      { ...placed, workspaceName: args.names.logAnalytics, sku: { name: "PerGB2018" }, retentionInDays: 30 },
      first,
    );

    this.appInsights = new applicationinsights.Component(
      `${name}-appinsights`,
      {
        ...placed,
        resourceName: args.names.appInsights,
        kind: "web",
        applicationType: "web",
        workspaceResourceId: this.logAnalytics.id,
        // Kept on on purpose: see the header (Entra-only ingestion would drop the hub's telemetry).
        disableLocalAuth: false,
      },
      { parent: this },
    );

    this.aiServices = new cognitiveservices.Account(
      `${name}-aiservices`,
      {
        ...placed,
        accountName: args.names.aiServices,
        kind: "AIServices",
        sku: { name: "S0" },
        identity: { type: "SystemAssigned" },
        properties: {
          customSubDomainName: args.names.aiServices,
          // Entra ID only: no keys to leak.
          disableLocalAuth: true,
          publicNetworkAccess: publicAccess,
          networkAcls: acls,
        },
      },
      first,
    );

    this.hub = new machinelearningservices.Workspace(
      `${name}-hub`,
      {
        ...placed,
        workspaceName: args.names.hub,
        kind: "Hub",
        friendlyName: args.names.hub,
        identity: { type: "SystemAssigned" },
        storageAccount: this.storageAccount.id,
        keyVault: this.keyVault.id,
        applicationInsights: this.appInsights.id,
        publicNetworkAccess: publicAccess,
        systemDatastoresAuthMode: "Identity",
        // Restricted and private stacks: approved outbound only (components/networkRules.ts).
        ...hubManagedNetwork(args.network, args.ids.aiServices),
        sku: { name: "Basic", tier: "Basic" },
      },
      { parent: this, protect: args.protectData },
    );

    this.aiServicesConnection = new machinelearningservices.WorkspaceConnection(
      `${name}-aiservices-connection`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: this.hub.name,
        connectionName: `${args.names.aiServices}-aad`,
        properties: {
          authType: "AAD",
          category: "AIServices",
          target: this.aiServices.properties.endpoint,
          isSharedToAll: true,
          metadata: { ApiType: "Azure", ResourceId: this.aiServices.id, Location: args.location },
        },
      },
      { parent: this },
    );

    // The hub's identity calls AI Services with Entra ID tokens through the AAD connection.
    // (Its storage access is assigned by Azure itself: see the header.)
    grantRole(
      `${name}-hub-aiservices`,
      {
        role: "cognitiveServicesUser",
        principalId: this.hub.identity.apply((identity) => identity?.principalId ?? ""),
        principalType: "ServicePrincipal",
        scope: args.ids.aiServices,
        scopeResource: this.aiServices,
        subscriptionId: args.subscriptionId,
      },
      { parent: this },
    );

    const link = args.network.privateLink;
    if (link) {
      const targets = [
        { key: "storage-blob", name: args.names.storageAccount, id: args.ids.storageAccount, resource: this.storageAccount, group: "blob" as const },
        { key: "storage-file", name: args.names.storageAccount, id: args.ids.storageAccount, resource: this.storageAccount, group: "file" as const },
        { key: "keyvault-vault", name: args.names.keyVault, id: args.ids.keyVault, resource: this.keyVault, group: "vault" as const },
        { key: "aiservices-account", name: args.names.aiServices, id: args.ids.aiServices, resource: this.aiServices, group: "account" as const },
        { key: "hub-amlworkspace", name: args.names.hub, id: args.ids.hub, resource: this.hub, group: "amlworkspace" as const },
      ];
      for (const { key, ...target } of targets) this.privateEndpoints[key] = exposePrivately(`${name}-${key}`, link, target, { parent: this });
    }

    this.registerOutputs({ hubId: this.hub.id, hubName: this.hub.name, storageAccountId: this.storageAccount.id });
  }
}
