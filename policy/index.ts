/**
 * The CrossGuard policy pack, run by the Pulumi CLI:
 *   pulumi preview --stack dev --policy-pack policy
 *
 * Side effect on import: `new PolicyPack` starts the analyzer's gRPC server and prints its
 * port for the engine. Nothing else may import this file; tests and the offline plan use
 * `./policies` and `./offline`. `PolicyPack` reads its version from `./package.json` in the
 * working directory, which the CLI sets to this folder.
 */
// Stryker disable all: loading this file starts the analyzer's gRPC server, so no test may import it; the policies it serves are tested through ./policies.
import { PolicyPack } from "@pulumi/policy";
import { policies, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  description: "Guardrails for the Llama fine-tuning environment: content safety, storage and key vault hardening, private prod workspaces, budgets, tags, supported models, protected data.",
  policies,
});
