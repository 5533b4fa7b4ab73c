/**
 * The AI project inside the hub. Who may work in it is granted by `Access` (components/access.ts);
 * the project's own identity is granted read access to the training data by `TrainingData`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import type { PrincipalType } from "../config/roles";
import { typeToken, type NetworkSettings, type PlacementArgs } from "./common";
import { publicNetworkAccess } from "./networkRules";

export interface Principal {
  /** Microsoft Entra object id. */
  objectId: string;
  type: PrincipalType;
}

export interface AiProjectArgs extends PlacementArgs {
  projectName: string;
  hubId: pulumi.Input<string>;
  network: NetworkSettings;
  protectData: boolean;
}

export class AiProject extends pulumi.ComponentResource {
  readonly project: machinelearningservices.Workspace;
  /** Object id of the project's system-assigned identity (known once the project exists). */
  readonly principalId: pulumi.Output<string>;

  constructor(name: string, args: AiProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("project", "AiProject"), name, {}, opts);

    this.project = new machinelearningservices.Workspace(
      `${name}-project`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        workspaceName: args.projectName,
        friendlyName: args.projectName,
        kind: "Project",
        hubResourceId: args.hubId,
        identity: { type: "SystemAssigned" },
        // Same as the hub; the project carries no managed network of its own (the hub's is shared).
        publicNetworkAccess: publicNetworkAccess(args.network),
        sku: { name: "Basic", tier: "Basic" },
      },
      { parent: this, protect: args.protectData },
    );
    this.principalId = this.project.identity.apply((identity) => identity?.principalId ?? "");

    this.registerOutputs({ projectId: this.project.id, projectName: this.project.name });
  }
}
