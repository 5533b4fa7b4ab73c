/**
 * Serverless (pay-per-token) endpoints: one for the base model and, once the stack config
 * names it, one for the fine-tuned model.
 *
 * Each endpoint declares Azure AI Content Safety explicitly (on unless the stack turns it off)
 * so the choice is visible in every preview, and depends on the marketplace subscription, so
 * Pulumi creates the subscription first and deletes every endpoint (the deployment) before the
 * subscription (the model it serves). Endpoint names are unique per region and fixed per stack,
 * so a replacement deletes the old endpoint before creating the new one.
 *
 * Authentication (config/endpointAuth.ts): `AAD` wherever the catalog records Microsoft Entra ID
 * for the model, so no key exists to leak and none is read; `Key` otherwise (or when the stack
 * asks for it), and then the primary key is read at deploy time and exported only as a Pulumi
 * secret. The endpoints follow the hub's public network access: "Endpoints for models deployed as
 * serverless API deployments follow the public network access flag setting of the Foundry hub"
 * (azure-ai-docs articles/ai-foundry/how-to/model-catalog-overview.md, "Network isolation for
 * models deployed via serverless API deployments"), so in a private stack they are reached
 * through the hub's private endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import type { ServerlessAuthMode } from "../config/models";
import { typeToken } from "./common";

export interface EndpointSpec {
  /** Physical endpoint name (see config/naming.ts). */
  name: string;
  /** Registry model id or fine-tuned model id. */
  modelId: string;
}

export interface ServerlessEndpointsArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  tags: Record<string, string>;
  projectName: pulumi.Input<string>;
  contentSafety: boolean;
  /** `properties.authMode` of every endpoint. */
  authMode: ServerlessAuthMode;
  base: EndpointSpec;
  fineTuned?: EndpointSpec;
  /** The marketplace subscription every endpoint needs. */
  subscription: pulumi.Resource;
}

export interface EndpointOutputs {
  name: pulumi.Output<string>;
  scoringUri: pulumi.Output<string>;
  authMode: ServerlessAuthMode;
  /** The primary key, as a Pulumi secret; absent with Entra ID auth (no key is read at all). */
  primaryKey?: pulumi.Output<string>;
}

export class ServerlessEndpoints extends pulumi.ComponentResource {
  readonly base: machinelearningservices.ServerlessEndpoint;
  readonly fineTuned?: machinelearningservices.ServerlessEndpoint;
  readonly authMode: ServerlessAuthMode;

  constructor(name: string, args: ServerlessEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("endpoints", "ServerlessEndpoints"), name, {}, opts);
    this.authMode = args.authMode;
    this.base = this.endpoint(`${name}-base`, args.base, args);
    if (args.fineTuned) this.fineTuned = this.endpoint(`${name}-finetuned`, args.fineTuned, args);
    this.registerOutputs({ baseEndpointName: this.base.name, fineTunedEndpointName: this.fineTuned?.name });
  }

  /** Name, scoring URI and (with key auth only) key of an endpoint; the key is read at deploy time and kept secret. */
  outputsOf(endpoint: machinelearningservices.ServerlessEndpoint, resourceGroupName: pulumi.Input<string>, projectName: pulumi.Input<string>): EndpointOutputs {
    const shown = { name: endpoint.name, scoringUri: endpoint.properties.apply((p) => p.inferenceEndpoint?.uri ?? ""), authMode: this.authMode };
    if (this.authMode === "AAD") return shown;
    const keys = machinelearningservices.listServerlessEndpointKeysOutput(
      { resourceGroupName, workspaceName: projectName, name: endpoint.name },
      { parent: this },
    );
    return { ...shown, primaryKey: pulumi.secret(keys.apply((k) => k.primaryKey ?? "")) };
  }

  private endpoint(resourceName: string, spec: EndpointSpec, args: ServerlessEndpointsArgs): machinelearningservices.ServerlessEndpoint {
    return new machinelearningservices.ServerlessEndpoint(
      resourceName,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.projectName,
        location: args.location,
        tags: args.tags,
        name: spec.name,
        sku: { name: "Consumption" },
        properties: {
          authMode: args.authMode,
          modelSettings: { modelId: spec.modelId },
          contentSafety: { contentSafetyStatus: args.contentSafety ? "Enabled" : "Disabled" },
        },
      },
      { parent: this, dependsOn: [args.subscription], deleteBeforeReplace: true },
    );
  }
}
