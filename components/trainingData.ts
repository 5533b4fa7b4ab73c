/**
 * The project's default datastore for training data, the training/validation files in it,
 * and their registration as data assets.
 *
 * - The blob container is private; the datastore reaches it with the workspace's identity
 *   (`credentials: None` + `serviceDataAccessAuthIdentity`), so no key or SAS is stored. The
 *   project's identity gets Storage Blob Data Reader on the container for that.
 * - Each file is uploaded under a path that contains its content hash, and its data asset
 *   version is that hash. A new file is a NEW blob resource and a NEW data version resource
 *   (the version is part of their Pulumi names), created next to the old ones.
 * - Azure ML refuses DELETE on data containers and data versions (archive only: "Method not
 *   supported for versions", "DataContainers_Workspace_Delete is not supported",
 *   https://github.com/cloud-custodian/cloud-custodian/issues/11012), and azure-native's own
 *   DataVersion refuses to create a version that already exists ("cannot create already
 *   existing resource", pulumi-azure-native provider/pkg/azure/client_azcore.go `CanCreate`).
 *   So the asset (`DataAsset`) and its versions (`DataAssetVersion`) are this project's dynamic
 *   resources (arm/dataAssetResource.ts): creating one adopts an existing one with the same
 *   data URI and `sha256` tag (and un-archives it: going back to an earlier file, a state
 *   restored from backup, a stack re-created against a surviving project), refuses one with
 *   other data, and removing one from the stack ARCHIVES it instead of deleting it. So when a
 *   file changes, the new version is created, then the old one is archived (hidden from AI
 *   Studio's lists, still usable by the jobs that trained on it); `pulumi destroy` archives them
 *   and never sends DELETE. They go for good with the project workspace.
 * - The blobs stay when their version leaves the stack (`retainOnDelete`): an archived version
 *   still points at its blob, and going back to that file adopts the version again. They go
 *   with the storage container.
 * - Files are uploaded with Microsoft Entra ID (`BlobUpload`, arm/, on @azure/storage-blob), not
 *   with azure-native's `storage.Blob`, which needs the account key (pulumi-azure-native#2015)
 *   while the storage account has shared-key access off. The identity running `pulumi up` is
 *   granted Storage Blob Data Contributor on the container first, with its real principal type
 *   (a user after `az login`, a service principal in CI: see stack/deployer.ts); the upload
 *   retries while that grant propagates and checks each file's SHA-256. Each data version
 *   depends on its upload, so it is registered only once its blob exists.
 * - Asset names, versions and blob paths come from config/dataAssets.ts, which the fine-tuning
 *   loop uses to find the same assets again.
 * - Names are passed as plain strings (with `dependsOn` for the order), so the preview of a
 *   fresh stack sees them instead of unknowns.
 * - Private stacks (issue 10): the uploads wait for the blob private endpoint and its DNS zone
 *   group, so the deployer inside the network resolves the account to its private address; and
 *   the project's identity gets Reader on each storage private endpoint, which Learn lists for a
 *   private storage account ("Reader | Azure AI Foundry project | Private endpoint of the storage
 *   account | Read data from the private storage account", azure-ai-docs
 *   articles/ai-foundry/how-to/hub-configure-private-link.md, "Private storage configuration").
 * - The files were validated before this component is constructed (see stack/inputs.ts):
 *   nothing here runs unless the data passed the gate.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as storage from "@pulumi/azure-native/storage";
import { BlobUpload } from "../arm/blobUploadResource";
import { DataAsset, DataAssetVersion } from "../arm/dataAssetResource";
import { blobPath, contentVersion } from "../config/dataAssets";
import type { PrincipalType } from "../config/roles";
import { typeToken } from "./common";
import { grantRole } from "./grants";
import type { ExposedPrivately } from "./privateEndpoint";

export interface DatasetFile {
  /** Data asset name, e.g. `training`. */
  assetName: string;
  /** Local path of the (validated) JSONL file. */
  path: string;
  /** SHA-256 of the file's content, hex. */
  sha256: string;
  description: string;
}

export interface TrainingDataArgs {
  resourceGroupName: string;
  subscriptionId: string;
  storageAccountName: string;
  /** The storage account (the container is created after it). */
  storageAccount: pulumi.Resource;
  containerName: string;
  /** ARM id of the container (role-assignment scope). */
  containerId: string;
  /** The identity running `pulumi up` (it uploads the files), with its real principal type. */
  deployer: { objectId: string; principalType: PrincipalType };
  /** The AI project (workspace) that gets the datastore and the data assets. */
  project: { name: string; resource: pulumi.Resource; principalId: pulumi.Input<string> };
  datastoreName: string;
  files: readonly DatasetFile[];
  tags: Record<string, string>;
  protectData: boolean;
  /** Private stacks: the storage account's private endpoints (blob first). */
  privateStorage?: readonly ExposedPrivately[];
}

export interface RegisteredDataset {
  blob: BlobUpload;
  container: DataAsset;
  version: DataAssetVersion;
}

export { blobPath, contentVersion };

export class TrainingData extends pulumi.ComponentResource {
  readonly blobContainer: storage.BlobContainer;
  readonly uploaderAccess: authorization.RoleAssignment;
  readonly projectReadAccess: authorization.RoleAssignment;
  /** Private stacks: Reader for the project's identity on each storage private endpoint. */
  readonly endpointReadAccess: authorization.RoleAssignment[] = [];
  readonly datastore: machinelearningservices.Datastore;
  readonly datasets: Record<string, RegisteredDataset> = {};

  constructor(name: string, args: TrainingDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("data", "TrainingData"), name, {}, opts);
    const inWorkspace = { resourceGroupName: args.resourceGroupName, workspaceName: args.project.name };

    this.blobContainer = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: args.resourceGroupName, accountName: args.storageAccountName, containerName: args.containerName, publicAccess: "None" },
      { parent: this, protect: args.protectData, dependsOn: [args.storageAccount] },
    );

    this.datastore = new machinelearningservices.Datastore(
      `${name}-datastore`,
      {
        ...inWorkspace,
        name: args.datastoreName,
        properties: {
          datastoreType: "AzureBlob",
          accountName: args.storageAccountName,
          containerName: args.containerName,
          endpoint: "core.windows.net",
          protocol: "https",
          credentials: { credentialsType: "None" },
          serviceDataAccessAuthIdentity: "WorkspaceSystemAssignedIdentity",
          description: "Training and validation data (JSON Lines), identity-based access",
          tags: args.tags,
        },
      },
      { parent: this, dependsOn: [args.project.resource, this.blobContainer] },
    );

    const onContainer = { scope: args.containerId, scopeResource: this.blobContainer, subscriptionId: args.subscriptionId };
    this.uploaderAccess = grantRole(
      `${name}-uploader-access`,
      { ...onContainer, role: "storageBlobDataContributor", principalId: args.deployer.objectId, principalType: args.deployer.principalType },
      { parent: this },
    );
    // The identity-based datastore reads with the project's identity.
    this.projectReadAccess = grantRole(
      `${name}-project-reads-data`,
      { ...onContainer, role: "storageBlobDataReader", principalId: args.project.principalId, principalType: "ServicePrincipal" },
      { parent: this },
    );

    for (const [i, exposed] of (args.privateStorage ?? []).entries()) {
      this.endpointReadAccess.push(
        grantRole(
          `${name}-project-reads-endpoint-${i}`,
          { scope: exposed.id, scopeResource: exposed.endpoint, subscriptionId: args.subscriptionId, role: "reader", principalId: args.project.principalId, principalType: "ServicePrincipal" },
          { parent: this },
        ),
      );
    }
    const reachable = (args.privateStorage ?? []).flatMap((e) => [e.endpoint, e.zoneGroup]);

    for (const file of args.files) {
      const version = contentVersion(file.sha256);
      const path = blobPath(file);
      // Kept when the file changes: the old data version points at it (see the header).
      const blob = new BlobUpload(
        `${name}-${file.assetName}-blob-${version}`,
        {
          accountName: args.storageAccountName,
          containerName: args.containerName,
          blobName: path,
          filePath: file.path,
          sha256: file.sha256,
          contentType: "application/jsonl",
        },
        { parent: this, retainOnDelete: true, dependsOn: [this.blobContainer, this.uploaderAccess, ...reachable] },
      );
      // Archived, not deleted, when the asset leaves the stack (see the header).
      const container = new DataAsset(
        `${name}-${file.assetName}-asset`,
        { ...inWorkspace, subscriptionId: args.subscriptionId, name: file.assetName, properties: { dataType: "uri_file", description: file.description, tags: args.tags } },
        { parent: this, dependsOn: [args.project.resource] },
      );
      // One resource per content version: a new file is created next to this one, which is then archived.
      const dataVersion = new DataAssetVersion(
        `${name}-${file.assetName}-version-${version}`,
        {
          ...inWorkspace,
          subscriptionId: args.subscriptionId,
          name: file.assetName,
          version,
          identityTag: "sha256",
          properties: {
            dataType: "uri_file",
            dataUri: `azureml://subscriptions/${args.subscriptionId}/resourcegroups/${args.resourceGroupName}/workspaces/${args.project.name}/datastores/${args.datastoreName}/paths/${path}`,
            description: `${file.description} (sha256 ${file.sha256})`,
            tags: { ...args.tags, sha256: file.sha256 },
          },
        },
        { parent: this, dependsOn: [container, this.datastore, blob] },
      );
      this.datasets[file.assetName] = { blob, container, version: dataVersion };
    }

    this.registerOutputs({
      datastoreName: this.datastore.name,
      dataAssetIds: Object.fromEntries(Object.entries(this.datasets).map(([k, v]) => [k, v.version.id])),
    });
  }
}
