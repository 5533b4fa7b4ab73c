/**
 * The blob-endpoint preflight against the local HTTPS Blob service stand-in (which answers a
 * firewall refusal as Storage does: 403 AuthorizationFailure), a closed port and a name that
 * cannot resolve (.invalid, RFC 6761).
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { classifyBlobProbe, probeBlobEndpoint } from "../../arm/blobPreflight";
import { fakeCredential, FAKE_TOKEN } from "./fakeArm";
import { startFakeBlob, storageError } from "./fakeBlob";
import type { FakeBlob } from "./fakeBlob";

let blob: FakeBlob;
beforeEach(async () => {
  blob = await startFakeBlob();
});
afterEach(() => blob.close());

const probe = (extra: object = {}) => probeBlobEndpoint({ accountName: "stllama", containerName: "datasets", credential: fakeCredential, endpoint: blob.endpoint, trustedCaPem: blob.caPem, ...extra });

test("reachable: one Get Container Properties with the token, nothing else", async () => {
  await expect(probe()).resolves.toMatchObject({ kind: "reachable", networkOk: true });
  expect(blob.requests).toHaveLength(1);
  expect(blob.requests[0]).toMatchObject({ op: "GetContainerProperties", method: "GET", path: "/datasets", query: { restype: "container" } });
  expect(blob.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
  blob.missingContainers.add("datasets");
  await expect(probe()).resolves.toMatchObject({ kind: "reachable", networkOk: true, statusCode: 404, code: "ContainerNotFound" });
});

test("the firewall's 403 AuthorizationFailure is told apart from RBAC's 403 AuthorizationPermissionMismatch", async () => {
  blob.always = storageError(403, "AuthorizationFailure");
  const firewall = await probe();
  expect(firewall).toMatchObject({ kind: "networkRules", networkOk: false, statusCode: 403, code: "AuthorizationFailure" });
  expect(firewall.message).toMatch(/network rules .*firewall.*public network access/);

  blob.always = storageError(403, "AuthorizationPermissionMismatch");
  const rbac = await probe();
  expect(rbac).toMatchObject({ kind: "missingRole", networkOk: true, code: "AuthorizationPermissionMismatch" });
  expect(rbac.message).toContain("Storage Blob Data Contributor");
  expect(blob.requests).toHaveLength(2); // no retries
});

test("a rejected token is an authentication problem", async () => {
  blob.always = storageError(401, "InvalidAuthenticationInfo");
  await expect(probe()).resolves.toMatchObject({ kind: "authentication", networkOk: true, statusCode: 401 });
});

test("a name that does not resolve, a closed port and an untrusted certificate", async () => {
  const dns = await probe({ endpoint: "https://stllama.blob.core.windows.invalid", timeoutMs: 10_000 });
  expect(dns.kind).toBe("nameNotResolved");
  expect(dns.message).toMatch(/does not resolve.*privatelink/);

  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  await expect(probe({ endpoint: `https://127.0.0.1:${port}` })).resolves.toMatchObject({ kind: "unreachable", networkOk: false, code: "ECONNREFUSED" });

  const untrusted = await probeBlobEndpoint({ accountName: "stllama", containerName: "datasets", credential: fakeCredential, endpoint: blob.endpoint });
  expect(untrusted.kind).toBe("tls");
});

test("classifyBlobProbe is pure: a timeout and an unexpected status", () => {
  expect(classifyBlobProbe("https://a.blob.core.windows.net", { message: "no answer within 15s", code: "ETIMEDOUT" }).kind).toBe("unreachable");
  expect(classifyBlobProbe("https://a.blob.core.windows.net", { statusCode: 500, code: "InternalError", message: "boom" })).toMatchObject({ kind: "other", networkOk: false });
});
