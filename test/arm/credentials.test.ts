import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCredential, isTruthy, OIDC_AUDIENCE, planCredential, readAzureNativeConfig, readSetting, requestOidcToken } from "../../arm/credentials";
import { resolveArmCloud, resolveArmEndpoint } from "../../arm/environment";

const AUTH = "https://login.microsoftonline.com";
const SP = { ARM_CLIENT_ID: "cid", ARM_TENANT_ID: "tid" };

describe("planCredential", () => {
  test("client secret when id, tenant and secret are set; the plan says where the secret is, not what it is", () => {
    const plan = planCredential({ ...SP, ARM_CLIENT_SECRET: "hunter2" }, AUTH);
    expect(plan).toEqual({ kind: "clientSecret", secret: { source: "env", key: "ARM_CLIENT_SECRET" }, tenantId: "tid", clientId: "cid", authorityHost: AUTH });
    expect(JSON.stringify(plan)).not.toContain("hunter2");
  });

  test("a client secret without a tenant is an error naming both the config key and the variable", () => {
    expect(() => planCredential({ ARM_CLIENT_ID: "cid", ARM_CLIENT_SECRET: "x" }, AUTH)).toThrow(
      "ARM_CLIENT_SECRET is set, but azure-native:tenantId (or ARM_TENANT_ID) is not set. Set it, or unset ARM_CLIENT_SECRET.",
    );
  });

  test("OIDC takes a given token, then a token file, then GitHub Actions' request endpoint (with the configured audience)", () => {
    const oidc = { ...SP, ARM_USE_OIDC: "true" };
    expect(planCredential({ ...oidc, ARM_OIDC_TOKEN: "jwt", ARM_OIDC_TOKEN_FILE_PATH: "/f", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh" }, AUTH)).toMatchObject({
      kind: "oidcToken",
      token: { source: "env", key: "ARM_OIDC_TOKEN" },
    });
    expect(planCredential({ ...oidc, ARM_OIDC_TOKEN_FILE_PATH: "/f", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh" }, AUTH)).toMatchObject({ kind: "oidcToken", tokenFile: "/f" });
    expect(planCredential({ ...oidc, ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" }, AUTH)).toEqual({
      kind: "oidcRequest",
      requestUrl: "https://gh",
      requestToken: { source: "env", key: "ACTIONS_ID_TOKEN_REQUEST_TOKEN" },
      audience: OIDC_AUDIENCE,
      tenantId: "tid",
      clientId: "cid",
      authorityHost: AUTH,
    });
    expect(planCredential({ ...oidc, ARM_OIDC_AUDIENCE: "api://custom", ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" }, AUTH)).toMatchObject({ audience: "api://custom" });
  });

  test("azure-native's order: default credential, certificate, secret, OIDC, MSI, CLI", () => {
    const all = { ...SP, ARM_USE_DEFAULT_AZURE_CREDENTIAL: "true", ARM_CLIENT_CERTIFICATE_PATH: "/c.pfx", ARM_CLIENT_SECRET: "x", ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt", ARM_USE_MSI: "true" };
    const order: string[] = [];
    let env: Record<string, string> = { ...all };
    for (const unset of ["ARM_USE_DEFAULT_AZURE_CREDENTIAL", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_SECRET", "ARM_USE_OIDC", "ARM_USE_MSI", ""]) {
      order.push(planCredential(env, AUTH).kind);
      const { [unset]: _gone, ...rest } = env;
      env = rest;
    }
    expect(order).toEqual(["defaultAzureCredential", "clientCertificate", "clientSecret", "oidcToken", "managedIdentity", "azureCli"]);
  });

  test("OIDC without a token source explains what to set", () => {
    expect(() => planCredential({ ...SP, ARM_USE_OIDC: "true" }, AUTH)).toThrow(/azure-native:oidcToken \(or ARM_OIDC_TOKEN\).*id-token: write/);
    expect(() => planCredential({ ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt" }, AUTH)).toThrow(/azure-native:clientId \(or ARM_CLIENT_ID\) and azure-native:tenantId \(or ARM_TENANT_ID\) are not set/);
  });

  test("flags count only when exactly \"true\", as azure-native compares them", () => {
    for (const v of ["1", "TRUE", "yes", "t"]) expect(planCredential({ ...SP, ARM_USE_MSI: v }, AUTH).kind).toBe("azureCli");
    expect(planCredential({ ARM_USE_MSI: "true" }, AUTH)).toEqual({ kind: "managedIdentity" });
    expect(planCredential({ ARM_USE_MSI: "true", ARM_CLIENT_ID: "uai" }, AUTH)).toEqual({ kind: "managedIdentity", clientId: "uai" });
  });

  test("falls back to the Azure CLI, in the configured tenant when set; blanks are ignored", () => {
    expect(planCredential({}, AUTH)).toEqual({ kind: "azureCli" });
    expect(planCredential({ ARM_TENANT_ID: "tid", ARM_USE_OIDC: "false", ARM_CLIENT_SECRET: "  " }, AUTH)).toEqual({ kind: "azureCli", tenantId: "tid" });
  });

  test("stack config (azure-native:*) wins over the environment, key by key, and the plan points at the config key", () => {
    const config = readAzureNativeConfig((k) => ({ "azure-native:clientId": "cfg-client", "azure-native:clientSecret": "cfg-secret", "other:clientId": "no" })[k]);
    expect(config).toEqual({ clientId: "cfg-client", clientSecret: "cfg-secret" });
    const plan = planCredential({ ARM_CLIENT_ID: "env-client", ARM_TENANT_ID: "env-tenant", ARM_CLIENT_SECRET: "env-secret" }, AUTH, config);
    expect(plan).toEqual({ kind: "clientSecret", secret: { source: "config", key: "azure-native:clientSecret" }, clientId: "cfg-client", tenantId: "env-tenant", authorityHost: AUTH });
    expect(JSON.stringify(plan)).not.toContain("cfg-secret");
    expect(readSetting(plan.kind === "clientSecret" ? plan.secret : { source: "env", key: "x" }, {}, config)).toBe("cfg-secret");
    // A config flag turns OIDC on even with nothing in the environment.
    expect(planCredential({}, AUTH, { useOidc: "true", clientId: "c", tenantId: "t", oidcToken: "jwt" })).toMatchObject({ kind: "oidcToken", token: { source: "config", key: "azure-native:oidcToken" } });
  });

  test("a client certificate from config, with its password named by reference", () => {
    const plan = planCredential({ ARM_CLIENT_CERTIFICATE_PASSWORD: "pw" }, AUTH, { clientCertificatePath: "/certs/sp.pfx", clientId: "c", tenantId: "t" });
    expect(plan).toEqual({
      kind: "clientCertificate",
      certificatePath: "/certs/sp.pfx",
      password: { source: "env", key: "ARM_CLIENT_CERTIFICATE_PASSWORD" },
      clientId: "c",
      tenantId: "t",
      authorityHost: AUTH,
    });
    expect(() => planCredential({ ARM_CLIENT_CERTIFICATE_PATH: "/c.pem" }, AUTH)).toThrow(/ARM_CLIENT_CERTIFICATE_PATH is set, but azure-native:clientId/);
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
    expect(createCredential(planCredential({ ...SP, ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "jwt" }, AUTH), env)).toBeInstanceOf(ClientAssertionCredential);
    expect(createCredential({ kind: "managedIdentity", clientId: "uai" }, {})).toBeInstanceOf(ManagedIdentityCredential);
    expect(createCredential({ kind: "azureCli" }, {})).toBeInstanceOf(AzureCliCredential);
    expect(createCredential({ kind: "defaultAzureCredential", authorityHost: AUTH }, {})).toBeInstanceOf(DefaultAzureCredential);
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
    expect(() => resolveArmCloud({ ARM_ENVIRONMENT: "german" })).toThrow(/ARM_ENVIRONMENT="german".*public, usgovernment, china/);
    // azure-native's order: the stack config, then ARM_ENVIRONMENT, then AZURE_ENVIRONMENT.
    expect(resolveArmCloud({ ARM_ENVIRONMENT: "public", AZURE_ENVIRONMENT: "china" }, { environment: "usgovernment" }).name).toBe("usgovernment");
    expect(resolveArmCloud({ AZURE_ENVIRONMENT: "AzureChinaCloud" }).name).toBe("china");
    expect(() => resolveArmCloud({}, { environment: "mars" })).toThrow(/azure-native:environment="mars"/);
  });

  test("an endpoint override must be https and loses its trailing slash", () => {
    const cloud = resolveArmCloud({});
    expect(resolveArmEndpoint(cloud)).toBe("https://management.azure.com");
    expect(resolveArmEndpoint(cloud, "https://127.0.0.1:8443/")).toBe("https://127.0.0.1:8443");
    expect(() => resolveArmEndpoint(cloud, "http://127.0.0.1:8080")).toThrow(/must use https/);
    expect(() => resolveArmEndpoint(cloud, "not a url")).toThrow(/is not a URL/);
  });
});
