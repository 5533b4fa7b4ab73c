/**
 * Client certificates in both formats azure-native accepts (PEM and PKCS#12), made with the
 * `openssl` CLI at test time (throwaway key, never committed). The .pfx conversion is checked
 * against Node's own X.509 parser: same certificate, and a private key that matches it.
 */
import { ClientCertificateCredential } from "@azure/identity";
import { execFileSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadClientCertificate } from "../../arm/clientCertificate";
import { createCredential, planCredential } from "../../arm/credentials";

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
