/**
 * A data version is registered only after the file it points at is uploaded.
 *
 * Azure behaviour: a data version's `dataUri` is not checked for existence when it is
 * registered (DataVersions_CreateOrUpdate, specification/machinelearningservices/resource-manager/
 * Microsoft.MachineLearningServices/stable/2025-12-01, example DataVersionBase/createOrUpdate.json
 * takes any URI), so a version created before its upload points at nothing, and a fine-tuning
 * job started right after `up` fails to read it. Pulumi creates in parallel whatever does not
 * depend on each other.
 */
import { dependencyOracle, get, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

export const dataAfterUploadRule: PlanRule = {
  name: "data-version-after-upload",
  description: "Each data version that points at an uploaded blob depends on that upload.",
  source: "specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01 (DataVersions_CreateOrUpdate)",
  check(plan: PlanFacts): Finding[] {
    const uploads = ofType(plan.resources, T.blobUpload);
    const dependsOn = dependencyOracle(plan.resources);
    const findings: Finding[] = [];
    for (const version of [...ofType(plan.resources, T.dataVersion), ...ofType(plan.resources, T.dataAssetVersion)]) {
      const path = known(get(version.inputs, "properties.dataUri"))?.split("/paths/").pop();
      const upload = uploads.find((u) => known(u.inputs.blobName) === path);
      if (!upload || dependsOn(version.urn, upload.urn)) continue;
      findings.push({ severity: "error", urn: version.urn, resourceName: version.name, message: `data version "${version.name}" does not depend on "${upload.name}", the upload of the file it points at: it can be registered before the file exists. Fix: dependsOn the upload.` });
    }
    return findings;
  },
};
