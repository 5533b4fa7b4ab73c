/**
 * A local HTTPS server that answers Azure ML's data asset routes the way the service does, so
 * the DataAsset/DataAssetVersion providers run end to end (core-rest-pipeline, bearer token,
 * TLS, JSON) against something with state. Every request is recorded, DELETEs included, so a
 * test can prove that none was sent.
 *
 * Behaviour, with its source:
 *  - PUT .../data/{name}/versions/{version} creates (201) or updates (200) a version; bodies shaped
 *    like DataVersions_CreateOrUpdate's example (stable/2025-12-01,
 *    examples/Workspace/DataVersionBase/createOrUpdate.json): `id`, `name`, `type`, `properties`
 *    (dataType, dataUri, description, tags, properties, isAnonymous, isArchived), `systemData`.
 *  - An existing version keeps its data URI and type: a PUT that changes them is refused with the
 *    service's UserError ("... the existing asset's data uri cannot be changed. Only tags,
 *    description, and isArchived can be updated."); tags, description and isArchived change
 *    (Learn "Create and manage data assets", how-to-create-data-assets.md). The HTTP status of
 *    that refusal is not documented; 400 is assumed (the providers never rely on it).
 *  - A version of an archived asset cannot be restored alone (Learn, same page: "If all data
 *    asset versions were archived, you can't restore individual versions").
 *  - DELETE is refused on versions and containers ("Method not supported for versions",
 *    "DataContainers_Workspace_Delete is not supported",
 *    https://github.com/cloud-custodian/cloud-custodian/issues/11012).
 *  - A workspace that does not exist answers ARM's 404 ResourceNotFound.
 *  - Stricter than needed: a version PUT under a container that does not exist is a 404 (whether
 *    the service creates the container implicitly is not documented; the stack creates it first).
 */
import { createServer } from "node:https";
import type { Server } from "node:https";
import { listenOnLoopback, makeCertificate } from "./loopbackHttps";
import type { CannedResponse } from "./fakeArm";
import { armError } from "./fakeArm";

export interface MlRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
  body: unknown;
}

export interface StoredAsset {
  properties: Record<string, unknown>;
  createdAt: string;
}

export interface FakeMlData {
  endpoint: string;
  caPem: string;
  requests: MlRequest[];
  /** Existing workspaces, as `<resourceGroup>/<workspace>`. */
  workspaces: Set<string>;
  /** Containers by `<resourceGroup>/<workspace>/<name>`, versions by `.../<name>/<version>`. */
  containers: Map<string, StoredAsset>;
  versions: Map<string, StoredAsset>;
  /** Answers sent before the real handling, one per request, in order (throttling, outages). */
  inject: CannedResponse[];
  close(): Promise<void>;
}

const ROUTE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/data\/([^/]+)(?:\/versions\/([^/]+))?$/i;
const IMMUTABLE_VERSION = ["dataType", "dataUri"];
const WRITABLE_VERSION = ["dataType", "dataUri", "description", "tags", "properties", "isAnonymous", "isArchived"];
const WRITABLE_CONTAINER = ["dataType", "description", "tags", "properties", "isArchived"];

const pick = (obj: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]]));

function systemData(createdAt: string) {
  const now = new Date().toISOString();
  return { createdAt, createdBy: "fake", createdByType: "User", lastModifiedAt: now, lastModifiedBy: "fake", lastModifiedByType: "User" };
}

export async function startFakeMlData(): Promise<FakeMlData> {
  const { key, cert } = makeCertificate();
  const fake = { requests: [] as MlRequest[], workspaces: new Set<string>(), containers: new Map<string, StoredAsset>(), versions: new Map<string, StoredAsset>(), inject: [] as CannedResponse[] };

  const handle = (method: string, path: string, body: unknown): CannedResponse => {
    const m = ROUTE.exec(path);
    if (m === null) return armError(404, "NotFound", `No route for ${method} ${path}`);
    const [sub, rg, ws, name, version] = [m[1]!, m[2]!, m[3]!, decodeURIComponent(m[4]!), m[5] === undefined ? undefined : decodeURIComponent(m[5])];
    if (!fake.workspaces.has(`${rg}/${ws}`)) {
      return armError(404, "ResourceNotFound", `The Resource 'Microsoft.MachineLearningServices/workspaces/${ws}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}/data/${name}`;
    const containerKey = `${rg}/${ws}/${name}`;
    const props = (body as { properties?: Record<string, unknown> } | undefined)?.properties;

    if (version === undefined) {
      const stored = fake.containers.get(containerKey);
      const answer = (status: number, s: StoredAsset) => {
        const versions = [...fake.versions.keys()].filter((k) => k.startsWith(`${containerKey}/`)).map((k) => k.slice(containerKey.length + 1));
        const latest = versions.at(-1);
        return { status, body: { id: base, name, type: "Microsoft.MachineLearningServices/workspaces/data", properties: { ...s.properties, ...(latest ? { latestVersion: latest } : {}), nextVersion: null }, systemData: systemData(s.createdAt) } };
      };
      if (method === "GET") return stored ? answer(200, stored) : armError(404, "UserError", `Not found: data container ${name}`);
      if (method === "DELETE") return armError(400, "UserError", "DataContainers_Workspace_Delete is not supported");
      if (method !== "PUT") return armError(405, "UserError", "Method not supported");
      if (props === undefined || typeof props.dataType !== "string") return armError(400, "UserError", "properties.dataType is required");
      if (stored && stored.properties.dataType !== props.dataType) return armError(400, "UserError", `The data type of an existing data asset cannot be changed (${String(stored.properties.dataType)})`);
      const next: StoredAsset = { properties: { isArchived: false, ...pick(props, WRITABLE_CONTAINER) }, createdAt: stored?.createdAt ?? new Date().toISOString() };
      fake.containers.set(containerKey, next);
      return answer(stored ? 200 : 201, next);
    }

    const versionKey = `${containerKey}/${version}`;
    const stored = fake.versions.get(versionKey);
    const answer = (status: number, s: StoredAsset) => ({ status, body: { id: `${base}/versions/${version}`, name: version, type: "Microsoft.MachineLearningServices/workspaces/data/versions", properties: s.properties, systemData: systemData(s.createdAt) } });
    if (method === "GET") return stored ? answer(200, stored) : armError(404, "UserError", `Not found: data version ${name}:${version}`);
    if (method === "DELETE") return armError(405, "UserError", "Method not supported for versions");
    if (method !== "PUT") return armError(405, "UserError", "Method not supported");
    if (props === undefined || typeof props.dataType !== "string" || typeof props.dataUri !== "string") return armError(400, "UserError", "properties.dataType and properties.dataUri are required");
    const container = fake.containers.get(containerKey);
    if (!container) return armError(404, "UserError", `Not found: data container ${name}`);
    if (stored) {
      if (IMMUTABLE_VERSION.some((k) => stored.properties[k] !== props[k])) {
        return armError(
          400,
          "UserError",
          "A data version with this name and version already exists. If you are trying to create a new data version, use a different name or version. If you are trying to update an existing data version, the existing asset's data uri cannot be changed. Only tags, description, and isArchived can be updated.",
        );
      }
      if (container.properties.isArchived === true && stored.properties.isArchived === true && props.isArchived === false) {
        return armError(400, "UserError", `All versions of data asset ${name} are archived: restore the asset, not one version.`);
      }
    }
    const next: StoredAsset = {
      properties: { isAnonymous: false, isArchived: false, ...(stored ? stored.properties : {}), ...pick(props, WRITABLE_VERSION), ...(stored ? pick(stored.properties, IMMUTABLE_VERSION) : {}) },
      createdAt: stored?.createdAt ?? new Date().toISOString(),
    };
    fake.versions.set(versionKey, next);
    return answer(stored ? 200 : 201, next);
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const method = req.method ?? "";
      fake.requests.push({ method, path: url.pathname, apiVersion: url.searchParams.get("api-version"), authorization: req.headers.authorization, body });
      const answer = fake.inject.shift() ?? handle(method, url.pathname, body);
      const ids = { "x-ms-request-id": "00000000-0000-0000-0000-00000000000c", "x-ms-correlation-request-id": "00000000-0000-0000-0000-00000000000d" };
      res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...ids, ...answer.headers });
      res.end(answer.rawBody ?? (answer.body === undefined ? "" : JSON.stringify(answer.body)));
    });
  });
  const { endpoint, close } = await listenOnLoopback(server);
  return { ...fake, endpoint, caPem: cert, close };
}
