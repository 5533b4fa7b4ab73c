/**
 * The AI project inside the hub, and the people who may fine-tune and deploy in it.
 *
 * People get "Azure AI Developer" on the project only (least privilege: they can fine-tune,
 * register data and deploy serverless endpoints, but cannot change the hub, its connections or
 * the stack's networking). The project's own identity reads the training container, because
 * the datastore uses identity-based access rather than an account key.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { typeToken, type PlacementArgs } from "./common";
import { grantRole } from "./grants";

export interface Principal {
  /** Microsoft Entra object id. */
  objectId: string;
  type: "User" | "Group" | "ServicePrincipal";
}

export interface AiProjectArgs extends PlacementArgs {
  subscriptionId: pulumi.Input<string>;
  projectName: string;
  hubId: pulumi.Input<string>;
  publicNetworkAccess: boolean;
  protectData: boolean;
  principals: readonly Principal[];
}

export class AiProject extends pulumi.ComponentResource {
  readonly project: machinelearningservices.Workspace;
  readonly developerAssignments: authorization.RoleAssignment[];

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
        publicNetworkAccess: args.publicNetworkAccess ? "Enabled" : "Disabled",
        sku: { name: "Basic", tier: "Basic" },
      },
      { parent: this, protect: args.protectData },
    );

    this.developerAssignments = args.principals.map((principal) =>
      grantRole(
        `${name}-developer-${principal.objectId}`,
        {
          role: "azureAiDeveloper",
          principalId: principal.objectId,
          principalType: principal.type,
          scope: this.project.id,
          subscriptionId: args.subscriptionId,
          key: [args.projectName, principal.objectId],
        },
        { parent: this },
      ),
    );

    this.registerOutputs({ projectId: this.project.id, projectName: this.project.name });
  }
}
