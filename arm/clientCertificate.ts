/**
 * Client certificates for a service principal, in either format azure-native accepts.
 *
 * azure-native reads `clientCertificatePath` with azidentity's `ParseCertificates`, which takes
 * PEM or PKCS#12 (.pfx) (pulumi/pulumi-azure-native provider/pkg/provider/auth_azidentity.go,
 * `readCertificate`). `@azure/identity`'s ClientCertificateCredential for Node takes PEM only
 * (its `certificatePath`/`certificate` options, dist/commonjs/credentials/clientCertificateCredential.d.ts),
 * and Node's crypto cannot read PKCS#12. So a .pfx is converted to PEM in memory with node-forge
 * and handed over as the `certificate` string: the private key is never written to disk, and
 * neither the password nor the key appears in any message.
 */
import { readFileSync } from "node:fs";
import { asn1, pkcs12, pki } from "node-forge";

export interface LoadedCertificate {
  format: "pem" | "pfx";
  /** PEM text with the private key and the certificate chain (for ClientCertificateCredential's `certificate`). */
  pem: string;
}

/** True when the bytes look like PEM text (`-----BEGIN ...`) rather than DER. */
export function isPem(bytes: Buffer): boolean {
  return bytes.subarray(0, 4096).toString("latin1").includes("-----BEGIN ");
}

/** Converts a PKCS#12 (.pfx) file's bytes to PEM (key first, then the certificates). Throws a message that names `label`, never the password. */
export function pfxToPem(der: Buffer, password: string | undefined, label: string): string {
  let p12: pkcs12.Pkcs12Pfx;
  try {
    p12 = pkcs12.pkcs12FromAsn1(asn1.fromDer(der.toString("binary")), password ?? "");
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const hint = /password|MAC/i.test(why)
      ? " The password is wrong or missing: set azure-native:clientCertificatePassword (pulumi config set --secret) or ARM_CLIENT_CERTIFICATE_PASSWORD."
      : " Expected a PKCS#12 (.pfx) or PEM file.";
    throw new Error(`Cannot read the client certificate ${label}: ${why}.${hint}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag! })[pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: pki.oids.keyBag! })[pki.oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: pki.oids.certBag! })[pki.oids.certBag!] ?? [];
  const key = keyBags.find((b) => b.key !== undefined && b.key !== null)?.key;
  const certs = certBags.flatMap((b) => (b.cert ? [b.cert] : []));
  if (key === undefined || key === null) {
    throw new Error(`The client certificate ${label} holds no RSA private key; Microsoft Entra ID needs the certificate with its private key.`);
  }
  if (certs.length === 0) throw new Error(`The client certificate ${label} holds a private key but no certificate.`);
  return [pki.privateKeyToPem(key), ...certs.map((c) => pki.certificateToPem(c))].join("");
}

/** Reads a client certificate file (PEM or .pfx) as PEM. */
export function loadClientCertificate(path: string, password: string | undefined, label = path): LoadedCertificate {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read the client certificate ${label}: ${err instanceof Error ? err.message : String(err)}.`);
  }
  if (isPem(bytes)) {
    const text = bytes.toString("utf8");
    if (!text.includes("PRIVATE KEY-----")) throw new Error(`The client certificate ${label} is PEM without a private key; it must hold both the certificate and its key.`);
    return { format: "pem", pem: text };
  }
  return { format: "pfx", pem: pfxToPem(bytes, password, label) };
}
