/**
 * The project's default datastore for training data, the training/validation files in it,
 * and their registration as data assets.
 *
 * - The blob container is private; the datastore reaches it with the workspace's identity
 *   (`credentials: None` + `serviceDataAccessAuthIdentity`), so no key or SAS is stored.
 * - Each file is uploaded under a path that contains its content hash, and its data asset
 *   version is that hash: changing a file's content makes a new blob and a new asset version,
 *   while an unchanged file plans no change at all.
 * - Files are uploaded with Microsoft Entra ID (`BlobUpload`, arm/, on @azure/storage-blob), not
 *   with azure-native's `storage.Blob`, which needs the account key (pulumi-azure-native#2015)
 *   while the storage account has shared-key access off. The identity running `pulumi up` is
 *   granted Storage Blob Data Contributor on the container first; the upload retries while that
 *   grant propagates, and checks each file's SHA-256 before the blob becomes visible.
 * - The files were validated before this component is constructed (see stack/inputs.ts):
 *   nothing here runs unless the data passed the gate.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as storage from "@pulumi/azure-native/storage";
import { BlobUpload } from "../arm/blobUploadResource";
import { typeToken } from "./common";
import { grantRole } from "./grants";

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
  resourceGroupName: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  storageAccountName: pulumi.Input<string>;
  storageAccountId: pulumi.Input<string>;
  containerName: string;
  /** Object id of the identity running `pulumi up` (it uploads the files). */
  deployerObjectId: pulumi.Input<string>;
  /** The AI project (workspace) that gets the datastore and the data assets. */
  projectName: pulumi.Input<string>;
  datastoreName: string;
  files: readonly DatasetFile[];
  tags: Record<string, string>;
  protectData: boolean;
}

export interface RegisteredDataset {
  blob: BlobUpload;
  container: machinelearningservices.DataContainer;
  version: machinelearningservices.DataVersion;
}

/** Short content version: 12 hex characters of the SHA-256 (collisions are not a concern at this scale). */
export function contentVersion(sha256: string): string {
  return sha256.slice(0, 12);
}

/** Where a file lands in the container: `<asset>/<version>/<asset>.jsonl`. */
export function blobPath(file: DatasetFile): string {
  return `${file.assetName}/${contentVersion(file.sha256)}/${file.assetName}.jsonl`;
}

export class TrainingData extends pulumi.ComponentResource {
  readonly blobContainer: storage.BlobContainer;
  readonly uploaderAccess: authorization.RoleAssignment;
  readonly datastore: machinelearningservices.Datastore;
  readonly datasets: Record<string, RegisteredDataset> = {};

  constructor(name: string, args: TrainingDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("data", "TrainingData"), name, {}, opts);

    this.blobContainer = new storage.BlobContainer(
      `${name}-container`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.storageAccountName,
        containerName: args.containerName,
        publicAccess: "None",
      },
      { parent: this, protect: args.protectData },
    );

    this.datastore = new machinelearningservices.Datastore(
      `${name}-datastore`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.projectName,
        name: args.datastoreName,
        properties: {
          datastoreType: "AzureBlob",
          accountName: args.storageAccountName,
          containerName: this.blobContainer.name,
          endpoint: "core.windows.net",
          protocol: "https",
          credentials: { credentialsType: "None" },
          serviceDataAccessAuthIdentity: "WorkspaceSystemAssignedIdentity",
          description: "Training and validation data (JSON Lines), identity-based access",
          tags: args.tags,
        },
      },
      { parent: this },
    );

    this.uploaderAccess = grantRole(
      `${name}-uploader-access`,
      {
        role: "storageBlobDataContributor",
        principalId: args.deployerObjectId,
        scope: pulumi.interpolate`${args.storageAccountId}/blobServices/default/containers/${this.blobContainer.name}`,
        subscriptionId: args.subscriptionId,
        key: [args.containerName, "deployer"],
      },
      { parent: this },
    );

    for (const file of args.files) {
      const path = blobPath(file);
      const blob = new BlobUpload(
        `${name}-${file.assetName}-blob`,
        {
          accountName: args.storageAccountName,
          containerName: this.blobContainer.name,
          blobName: path,
          filePath: file.path,
          sha256: file.sha256,
          contentType: "application/jsonl",
        },
        { parent: this, dependsOn: [this.uploaderAccess] },
      );
      const container = new machinelearningservices.DataContainer(
        `${name}-${file.assetName}-asset`,
        {
          resourceGroupName: args.resourceGroupName,
          workspaceName: args.projectName,
          name: file.assetName,
          properties: { dataType: "uri_file", description: file.description, tags: args.tags },
        },
        { parent: this },
      );
      const version = new machinelearningservices.DataVersion(
        `${name}-${file.assetName}-version`,
        {
          resourceGroupName: args.resourceGroupName,
          workspaceName: args.projectName,
          name: container.name,
          version: contentVersion(file.sha256),
          properties: {
            dataType: "uri_file",
            dataUri: pulumi.interpolate`azureml://subscriptions/${args.subscriptionId}/resourcegroups/${args.resourceGroupName}/workspaces/${args.projectName}/datastores/${this.datastore.name}/paths/${path}`,
            description: `${file.description} (sha256 ${file.sha256})`,
            tags: { ...args.tags, sha256: file.sha256 },
          },
        },
        { parent: this },
      );
      this.datasets[file.assetName] = { blob, container, version };
    }

    this.registerOutputs({
      datastoreName: this.datastore.name,
      dataAssetIds: Object.fromEntries(Object.entries(this.datasets).map(([k, v]) => [k, v.version.id])),
    });
  }
}
