/**
 * The only actions the workflows may use, each pinned to the full commit SHA of a release tag.
 * A tag can be moved to other code; a commit SHA cannot. Dependabot (.github/dependabot.yml)
 * proposes new SHAs with their "# vX.Y.Z" comment; when it does, update this table in the same PR.
 *
 * Where each SHA was found (docs/delivery.md lists the same):
 * - pulumi/actions v7.0.0: `git rev-parse v7.0.0` in a clone of github.com/pulumi/actions (lightweight tag).
 * - actions/checkout v6.0.1, actions/setup-node v6.2.0, actions/github-script v8.0.0,
 *   actions/upload-artifact v5.0.0, actions/download-artifact v5.0.0, azure/login v2.3.0:
 *   public workflows pinning `<action>@<sha> # <tag>`, several independent repositories each
 *   (e.g. yonatangross/orchestkit .github/action-versions.md for checkout, setup-node,
 *   upload/download-artifact and github-script; azure/login in the Azure samples that pin
 *   a457da9… "# v2.3.0", whose tag object is eec3c95).
 */
export interface PinnedAction {
  sha: string;
  version: string;
}

export const PINNED_ACTIONS: Readonly<Record<string, PinnedAction>> = {
  "actions/checkout": { sha: "8e8c483db84b4bee98b60c0593521ed34d9990e8", version: "v6.0.1" },
  "actions/setup-node": { sha: "6044e13b5dc448c55e2357c09f80417699197238", version: "v6.2.0" },
  "actions/upload-artifact": { sha: "330a01c490aca151604b8cf639adc76d48f6c5d4", version: "v5.0.0" },
  "actions/download-artifact": { sha: "634f93cb2916e3fdff6788551b99b062d0335ce0", version: "v5.0.0" },
  "actions/github-script": { sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd", version: "v8.0.0" },
  "azure/login": { sha: "a457da9ea143d694b1b9c7c869ebb04ebe844ef5", version: "v2.3.0" },
  "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", version: "v7.0.0" },
};
