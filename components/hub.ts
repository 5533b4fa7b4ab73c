/**
 * The AI hub and what it needs: storage, key vault, monitoring and an AI Services account,
 * all secure by default.
 *
 * Why these choices:
 * - Storage: no public blob access, HTTPS only, TLS 1.2, and the hub's system datastores use
 *   its managed identity (`systemDatastoresAuthMode: identity`) instead of the account key.
 * - Key vault: RBAC authorization (no access policies to drift); purge protection and
 *   retention come from the environment kind, so test stacks can be purged and prod cannot.
 * - AI Services is connected to the hub with Microsoft Entra ID (`authType: AAD`): no API key is
 *   read with `listKeys`, copied into the connection or stored in Pulumi state (the quickstart
 *   `aistudio-basics` does copy a key; local auth is disabled on the account here).
 */
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import { typeToken, type PlacementArgs } from "./common";
import { grantRole } from "./grants";

export interface AiHubArgs extends PlacementArgs {
  subscriptionId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
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
  publicNetworkAccess: boolean;
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

  constructor(name: string, args: AiHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("hub", "AiHub"), name, {}, opts);
    const placed = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const publicAccess = args.publicNetworkAccess ? "Enabled" : "Disabled";
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
        disableLocalAuth: true,
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
        systemDatastoresAuthMode: "identity",
        // With public access off, the hub's managed network reaches its own storage, key vault
        // and AI Services through private endpoints it creates itself.
        managedNetwork: args.publicNetworkAccess ? undefined : { isolationMode: "AllowInternetOutbound" },
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

    // The hub's identity reads and writes its own storage (identity-based system datastores)
    // and calls AI Services with Entra ID tokens through the AAD connection.
    const hubPrincipal = this.hub.identity.apply((identity) => identity?.principalId ?? "");
    const grant = { principalId: hubPrincipal, principalType: "ServicePrincipal" as const, subscriptionId: args.subscriptionId };
    grantRole(`${name}-hub-storage`, { ...grant, role: "storageBlobDataContributor", scope: this.storageAccount.id, key: [args.names.hub, "storage"] }, { parent: this });
    grantRole(`${name}-hub-aiservices`, { ...grant, role: "cognitiveServicesUser", scope: this.aiServices.id, key: [args.names.hub, "aiservices"] }, { parent: this });

    this.registerOutputs({ hubId: this.hub.id, hubName: this.hub.name, storageAccountId: this.storageAccount.id });
  }
}
