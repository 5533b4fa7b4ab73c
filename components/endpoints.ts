/**
 * Serverless (pay-per-token) endpoints: one for the base model and, once the stack config
 * names it, one for the fine-tuned model.
 *
 * Each endpoint declares Azure AI Content Safety explicitly (on unless the stack turns it off)
 * so the choice is visible in every preview, and depends on the marketplace subscription, so
 * Pulumi creates the subscription first and deletes every endpoint (the deployment) before the
 * subscription (the model it serves). Endpoint names are unique per region and fixed per stack,
 * so a replacement deletes the old endpoint before creating the new one.
 */
import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
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
  base: EndpointSpec;
  fineTuned?: EndpointSpec;
  /** The marketplace subscription every endpoint needs. */
  subscription: pulumi.Resource;
}

export interface EndpointOutputs {
  name: pulumi.Output<string>;
  scoringUri: pulumi.Output<string>;
  /** The primary key, as a Pulumi secret. */
  primaryKey: pulumi.Output<string>;
}

export class ServerlessEndpoints extends pulumi.ComponentResource {
  readonly base: machinelearningservices.ServerlessEndpoint;
  readonly fineTuned?: machinelearningservices.ServerlessEndpoint;

  constructor(name: string, args: ServerlessEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("endpoints", "ServerlessEndpoints"), name, {}, opts);
    this.base = this.endpoint(`${name}-base`, args.base, args);
    if (args.fineTuned) this.fineTuned = this.endpoint(`${name}-finetuned`, args.fineTuned, args);
    this.registerOutputs({ baseEndpointName: this.base.name, fineTunedEndpointName: this.fineTuned?.name });
  }

  /** Name, scoring URI and key of an endpoint; the key is read at deploy time and kept secret. */
  outputsOf(endpoint: machinelearningservices.ServerlessEndpoint, resourceGroupName: pulumi.Input<string>, projectName: pulumi.Input<string>): EndpointOutputs {
    const keys = machinelearningservices.listServerlessEndpointKeysOutput(
      { resourceGroupName, workspaceName: projectName, name: endpoint.name },
      { parent: this },
    );
    return {
      name: endpoint.name,
      scoringUri: endpoint.properties.apply((p) => p.inferenceEndpoint?.uri ?? ""),
      primaryKey: pulumi.secret(keys.apply((k) => k.primaryKey ?? "")),
    };
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
          authMode: "Key",
          modelSettings: { modelId: spec.modelId },
          contentSafety: { contentSafetyStatus: args.contentSafety ? "Enabled" : "Disabled" },
        },
      },
      { parent: this, dependsOn: [args.subscription], deleteBeforeReplace: true },
    );
  }
}
