import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCredential, isTruthy, OIDC_AUDIENCE, planCredential, requestOidcToken } from "../../arm/credentials";
import { resolveArmCloud, resolveArmEndpoint } from "../../arm/environment";

const AUTH = "https://login.microsoftonline.com";
const SP = { ARM_CLIENT_ID: "cid", ARM_TENANT_ID: "tid" };

describe("planCredential", () => {
  test("client secret when id, tenant and secret are set; the plan names the variable, not the secret", () => {
    const plan = planCredential({ ...SP, ARM_CLIENT_SECRET: "hunter2" }, AUTH);
    expect(plan).toEqual({ kind: "clientSecret", secretVar: "ARM_CLIENT_SECRET", tenantId: "tid", clientId: "cid", authorityHost: AUTH });
    expect(JSON.stringify(plan)).not.toContain("hunter2");
  });

  test("a client secret without a tenant is an error naming the missing variable", () => {
    expect(() => planCredential({ ARM_CLIENT_ID: "cid", ARM_CLIENT_SECRET: "x" }, AUTH)).toThrow(/ARM_CLIENT_SECRET is set, but ARM_TENANT_ID is not set/);
  });

  test("OIDC prefers a given token, then a token file, then the ARM request URL, then GitHub Actions'", () => {
    const oidc = { ...SP, ARM_USE_OIDC: "true" };
    expect(planCredential({ ...oidc, ARM_OIDC_TOKEN: "jwt", ARM_OIDC_TOKEN_FILE_PATH: "/f", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh" }, AUTH)).toMatchObject({ kind: "oidcToken", tokenVar: "ARM_OIDC_TOKEN" });
    expect(planCredential({ ...oidc, ARM_OIDC_TOKEN_FILE_PATH: "/f", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh" }, AUTH)).toMatchObject({ kind: "oidcToken", tokenFile: "/f" });
    expect(planCredential({ ...oidc, ARM_OIDC_REQUEST_URL: "https://a", ARM_OIDC_REQUEST_TOKEN: "t", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh" }, AUTH)).toMatchObject({
      kind: "oidcRequest",
      requestUrl: "https://a",
      requestTokenVar: "ARM_OIDC_REQUEST_TOKEN",
    });
    expect(planCredential({ ...oidc, ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" }, AUTH)).toEqual({
      kind: "oidcRequest",
      requestUrl: "https://gh",
      requestTokenVar: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      tenantId: "tid",
      clientId: "cid",
      authorityHost: AUTH,
    });
  });

  test("OIDC wins over a client secret and MSI; without a token source it explains what to set", () => {
    expect(planCredential({ ...SP, ARM_USE_OIDC: "1", ARM_USE_MSI: "true", ARM_CLIENT_SECRET: "x", ARM_OIDC_TOKEN: "jwt" }, AUTH).kind).toBe("oidcToken");
    expect(() => planCredential({ ...SP, ARM_USE_OIDC: "true" }, AUTH)).toThrow(/ARM_OIDC_TOKEN.*id-token: write/);
    expect(() => planCredential({ ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt" }, AUTH)).toThrow(/ARM_CLIENT_ID and ARM_TENANT_ID are not set/);
  });

  test("MSI, with ARM_CLIENT_ID selecting a user-assigned identity", () => {
    expect(planCredential({ ARM_USE_MSI: "true" }, AUTH)).toEqual({ kind: "managedIdentity" });
    expect(planCredential({ ARM_USE_MSI: "TRUE", ARM_CLIENT_ID: "uai", ARM_CLIENT_SECRET: "ignored" }, AUTH)).toEqual({ kind: "managedIdentity", clientId: "uai" });
  });

  test("falls back to the Azure CLI, in ARM_TENANT_ID's tenant when set; false flags and blanks are ignored", () => {
    expect(planCredential({}, AUTH)).toEqual({ kind: "azureCli" });
    expect(planCredential({ ARM_TENANT_ID: "tid", ARM_USE_OIDC: "false", ARM_USE_MSI: "0", ARM_CLIENT_SECRET: "  " }, AUTH)).toEqual({ kind: "azureCli", tenantId: "tid" });
  });

  test("isTruthy follows Go's ParseBool spellings", () => {
    expect(["1", "t", "TRUE", "True", "yes"].map(isTruthy)).toEqual([true, true, true, true, true]);
    expect(["0", "false", "", "no", undefined].map(isTruthy)).toEqual([false, false, false, false, false]);
  });
});

describe("createCredential", () => {
  test("builds the @azure/identity credential each plan names", () => {
    const env = { ...SP, ARM_CLIENT_SECRET: "s", ARM_OIDC_TOKEN: "jwt" };
    expect(createCredential(planCredential(env, AUTH), env)).toBeInstanceOf(ClientSecretCredential);
    expect(createCredential(planCredential({ ...env, ARM_USE_OIDC: "true" }, AUTH), env)).toBeInstanceOf(ClientAssertionCredential);
    expect(createCredential({ kind: "managedIdentity", clientId: "uai" }, {})).toBeInstanceOf(ManagedIdentityCredential);
    expect(createCredential({ kind: "azureCli" }, {})).toBeInstanceOf(AzureCliCredential);
  });
});

describe("requestOidcToken", () => {
  test("asks the CI issuer for the Entra audience with the request token, keeping existing query parameters", async () => {
    const seen: { url?: string; auth?: string } = {};
    const server = createServer((req, res) => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value: "the-jwt" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(requestOidcToken(`http://127.0.0.1:${port}/token?api-version=2.0`, "req-token")).resolves.toBe("the-jwt");
      const url = new URL(seen.url!, "http://x");
      expect(url.searchParams.get("api-version")).toBe("2.0");
      expect(url.searchParams.get("audience")).toBe(OIDC_AUDIENCE);
      expect(seen.auth).toBe("Bearer req-token");
    } finally {
      server.close();
    }
  });
});

describe("ARM cloud and endpoint", () => {
  test("ARM_ENVIRONMENT picks the cloud; unknown names are an error listing the valid ones", () => {
    expect(resolveArmCloud({}).resourceManagerEndpoint).toBe("https://management.azure.com");
    expect(resolveArmCloud({ ARM_ENVIRONMENT: "usgovernment" }).resourceManagerEndpoint).toBe("https://management.usgovcloudapi.net");
    expect(resolveArmCloud({ ARM_ENVIRONMENT: "AzureChinaCloud" })).toMatchObject({ name: "china", authorityHost: "https://login.chinacloudapi.cn" });
    expect(() => resolveArmCloud({ ARM_ENVIRONMENT: "german" })).toThrow(/public, usgovernment, china/);
  });

  test("an endpoint override must be https and loses its trailing slash", () => {
    const cloud = resolveArmCloud({});
    expect(resolveArmEndpoint(cloud)).toBe("https://management.azure.com");
    expect(resolveArmEndpoint(cloud, "https://127.0.0.1:8443/")).toBe("https://127.0.0.1:8443");
    expect(() => resolveArmEndpoint(cloud, "http://127.0.0.1:8080")).toThrow(/must use https/);
    expect(() => resolveArmEndpoint(cloud, "not a url")).toThrow(/is not a URL/);
  });
});
