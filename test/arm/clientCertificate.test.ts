/**
 * Client certificates in both formats azure-native accepts (PEM and PKCS#12), made with the
 * `openssl` CLI at test time (throwaway key, never committed). The .pfx conversion is checked
 * against Node's own X.509 parser: same certificate, and a private key that matches it.
 */
import { ClientCertificateCredential } from "@azure/identity";
import { execFileSync } from "node:child_process";
import { constants, createPrivateKey, verify as cryptoVerify, X509Certificate } from "node:crypto";
import { createServer as createHttpsServer } from "node:https";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadClientCertificate } from "../../arm/clientCertificate";
import { createCredential, planCredential } from "../../arm/credentials";
import { listenOnLoopback, makeCertificate } from "./loopbackHttps";

const PASSWORD = "pfx-pass-Secret-123";
let dir: string;
let certPem: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "client-cert-"));
  const run = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=llama-finetune-sp", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")]);
  certPem = readFileSync(join(dir, "cert.pem"), "utf8");
  // openssl 3's defaults (AES-256 + PBKDF2, SHA-256 MAC) and the legacy RC2/3DES + SHA-1 format.
  run(["pkcs12", "-export", "-inkey", join(dir, "key.pem"), "-in", join(dir, "cert.pem"), "-out", join(dir, "sp.pfx"), "-passout", `pass:${PASSWORD}`]);
  run(["pkcs12", "-export", "-legacy", "-inkey", join(dir, "key.pem"), "-in", join(dir, "cert.pem"), "-out", join(dir, "legacy.pfx"), "-passout", `pass:${PASSWORD}`]);
  writeFileSync(join(dir, "both.pem"), readFileSync(join(dir, "key.pem"), "utf8") + certPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectMatchingPem(pem: string): void {
  const cert = new X509Certificate(pem);
  expect(cert.fingerprint256).toBe(new X509Certificate(certPem).fingerprint256);
  expect(cert.checkPrivateKey(createPrivateKey(pem))).toBe(true);
}

test.each(["sp.pfx", "legacy.pfx"])("a PKCS#12 file (%s) becomes PEM with the same certificate and its key, in memory", (file) => {
  const loaded = loadClientCertificate(join(dir, file), PASSWORD);
  expect(loaded.format).toBe("pfx");
  expect(loaded.pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  expectMatchingPem(loaded.pem);
});

test("a PEM file with key and certificate is used as it is", () => {
  const loaded = loadClientCertificate(join(dir, "both.pem"), undefined);
  expect(loaded).toEqual({ format: "pem", pem: readFileSync(join(dir, "both.pem"), "utf8") });
  expectMatchingPem(loaded.pem);
});

test("a wrong password, a PEM without key and a missing file fail clearly, never echoing the password", () => {
  const wrong = (() => {
    try {
      loadClientCertificate(join(dir, "sp.pfx"), "not-the-password");
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  })();
  expect(wrong).toMatch(/Cannot read the client certificate .*sp\.pfx.*Invalid password.*azure-native:clientCertificatePassword/);
  expect(wrong).not.toContain("not-the-password");
  expect(() => loadClientCertificate(join(dir, "cert.pem"), undefined)).toThrow(/PEM without a private key/);
  expect(() => loadClientCertificate(join(dir, "nope.pfx"), undefined)).toThrow(/Cannot read the client certificate .*nope\.pfx.*ENOENT/);
});

test("createCredential builds a ClientCertificateCredential from a .pfx named in stack config, its password from the environment", () => {
  const env = { ARM_CLIENT_CERTIFICATE_PASSWORD: PASSWORD };
  const config = { clientCertificatePath: join(dir, "sp.pfx"), clientId: "c", tenantId: "t" };
  const plan = planCredential(env, "https://login.microsoftonline.com", config);
  expect(JSON.stringify(plan)).not.toContain(PASSWORD);
  expect(createCredential(plan, env, config)).toBeInstanceOf(ClientCertificateCredential);
  expect(() => createCredential(plan, {}, config)).toThrow(/password is wrong or missing/);
});

/**
 * End to end: the PEM made from the .pfx signs a real client assertion that a local HTTPS stand-in
 * for Microsoft Entra ID verifies with the certificate's public key (RFC 7523 JWT bearer client
 * authentication, the flow @azure/identity's ClientCertificateCredential uses; Learn
 * "Microsoft identity platform certificate credentials", identity-platform/certificate-credentials.md).
 */
test("the converted .pfx signs a client assertion that verifies against the certificate", async () => {
  const { cert, key } = makeCertificate();
  const spCert = new X509Certificate(certPem);
  const seen: { assertion?: string; form?: URLSearchParams } = {};
  const server = createHttpsServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const base = `https://${req.headers.host}`;
      if (req.url === "/tenant-1/v2.0/.well-known/openid-configuration") {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            token_endpoint: `${base}/tenant-1/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/tenant-1/oauth2/v2.0/authorize`,
            issuer: `${base}/tenant-1/v2.0`,
            jwks_uri: `${base}/tenant-1/discovery/v2.0/keys`,
            end_session_endpoint: `${base}/tenant-1/oauth2/v2.0/logout`,
          }),
        );
        return;
      }
      if (req.url?.startsWith("/tenant-1/oauth2/v2.0/token")) {
        seen.form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        seen.assertion = seen.form.get("client_assertion") ?? undefined;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token_type: "Bearer", expires_in: 3599, access_token: "entra-access-token" }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  const { endpoint, close } = await listenOnLoopback(server);
  try {
    const loaded = loadClientCertificate(join(dir, "sp.pfx"), PASSWORD);
    const credential = new ClientCertificateCredential("tenant-1", "client-1", { certificate: loaded.pem }, { authorityHost: endpoint, disableInstanceDiscovery: true, tlsOptions: { ca: cert } });
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(token?.token).toBe("entra-access-token");
    expect(seen.form?.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(seen.form?.get("client_id")).toBe("client-1");
    const [h, p, sig] = seen.assertion!.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg: string; "x5t#S256"?: string };
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as { iss: string; sub: string; aud: string };
    expect(payload).toMatchObject({ iss: "client-1", sub: "client-1" });
    expect(payload.aud).toContain("/tenant-1/");
    // The thumbprint in the header is the certificate's, and the signature verifies with its public key.
    expect(header.alg).toBe("PS256");
    expect(header["x5t#S256"]).toBe(Buffer.from(spCert.fingerprint256.replace(/:/g, ""), "hex").toString("base64url"));
    const pss = { key: spCert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(cryptoVerify("sha256", Buffer.from(`${h}.${p}`), pss, Buffer.from(sig, "base64url"))).toBe(true);
    expect(cryptoVerify("sha256", Buffer.from(`${h}.${p}x`), pss, Buffer.from(sig, "base64url"))).toBe(false);
  } finally {
    await close();
  }
});
