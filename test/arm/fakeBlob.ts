/**
 * A local HTTPS server that answers the Blob service operations storage-blob sends, the way the
 * Blob service does, and keeps the blobs it is given (so an upload can be read back byte for byte).
 *
 *  - Put Blob, Put Block (?comp=block&blockid=), Put Block List (?comp=blocklist, XML body),
 *    Get Blob Properties (HEAD), Delete Blob (If-Match), Get Container Properties (?restype=container);
 *  - a Content-MD5 request header is checked against the body (400 Md5Mismatch), as the service does;
 *  - every answer carries x-ms-request-id, x-ms-version (echoed), Date and Server; errors carry
 *    x-ms-error-code and, except for HEAD, an XML `<Error><Code/><Message/></Error>` body whose
 *    message ends in RequestId/Time lines.
 * Sources: Learn rest/api/storageservices "Put Blob", "Put Block", "Put Block List",
 * "Get Blob Properties", "Delete Blob", "Get Container Properties", "Blob Storage error codes".
 * Same certificate approach as fakeArm.ts: a throwaway self-signed cert for 127.0.0.1, trusted only
 * by the client under test.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback, makeCertificate } from "./loopbackHttps";

export type BlobOp = "PutBlob" | "PutBlock" | "PutBlockList" | "GetBlobProperties" | "DeleteBlob" | "GetContainerProperties" | "Other";

export interface BlobAnswer {
  status: number;
  /** Storage error code: sent as x-ms-error-code and in the XML body. */
  code?: string;
  message?: string;
  headers?: Record<string, string>;
}

export interface BlobRequest {
  op: BlobOp;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface StoredBlob {
  content: Buffer;
  etag: string;
  contentType?: string;
  contentMd5?: string;
  metadata: Record<string, string>;
}

export interface FakeBlob {
  endpoint: string;
  caPem: string;
  requests: BlobRequest[];
  /** Committed blobs by path (`/container/blob`, as sent). */
  blobs: Map<string, StoredBlob>;
  /** Answers to give, in order, before the operation behaves normally ("pass" lets one through). */
  script: Partial<Record<BlobOp, (BlobAnswer | "pass")[]>>;
  /** An answer to every request, e.g. a firewall's 403 AuthorizationFailure. */
  always?: BlobAnswer;
  missingContainers: Set<string>;
  /** The most requests that were being served at the same time. */
  maxConcurrent: number;
  close(): Promise<void>;
}

/** The service's messages for the codes the tests use (Learn: "Blob Storage error codes", "Common REST API error codes"). */
export const STORAGE_MESSAGES: Record<string, string> = {
  AuthorizationPermissionMismatch: "This request is not authorized to perform this operation using this permission.",
  AuthorizationFailure: "This request is not authorized to perform this operation.",
  InvalidAuthenticationInfo: "Authentication information is not given in the correct format. Check the value of Authorization header.",
  BlobNotFound: "The specified blob does not exist.",
  ContainerNotFound: "The specified container does not exist.",
  ConditionNotMet: "The condition specified using HTTP conditional header(s) is not met.",
  Md5Mismatch: "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
  InvalidBlockList: "The specified block list is invalid.",
  ServerBusy: "The server is currently unable to receive requests. Please retry your request.",
  InternalError: "The server encountered an internal error. Please retry the request.",
  OperationTimedOut: "The operation could not be completed within the permitted time.",
};

export const storageError = (status: number, code: string, headers?: Record<string, string>): BlobAnswer => ({
  status,
  code,
  message: STORAGE_MESSAGES[code] ?? code,
  ...(headers ? { headers } : {}),
});

function operation(method: string, q: URLSearchParams): BlobOp {
  if (method === "PUT" && q.get("comp") === "block") return "PutBlock";
  if (method === "PUT" && q.get("comp") === "blocklist") return "PutBlockList";
  if (method === "PUT" && !q.has("comp")) return "PutBlob";
  if (method === "HEAD" && !q.has("comp") && !q.has("restype")) return "GetBlobProperties";
  if (method === "DELETE" && !q.has("comp")) return "DeleteBlob";
  if ((method === "GET" || method === "HEAD") && q.get("restype") === "container" && !q.has("comp")) return "GetContainerProperties";
  return "Other";
}

export async function startFakeBlob(): Promise<FakeBlob> {
  const { key, cert } = makeCertificate();
  const fake: Omit<FakeBlob, "endpoint" | "close"> = { caPem: cert, requests: [], blobs: new Map(), script: {}, missingContainers: new Set(), maxConcurrent: 0 };
  let serving = 0;
  const staged = new Map<string, Map<string, Buffer>>();
  let etagCounter = 0;
  const nextEtag = () => `"0x8DC${(++etagCounter).toString(16).toUpperCase().padStart(11, "0")}"`;
  const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");

  const server = createServer({ key, cert }, (req: IncomingMessage, res: ServerResponse) => {
    fake.maxConcurrent = Math.max(fake.maxConcurrent, ++serving);
    res.on("close", () => serving--);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      const method = req.method ?? "";
      const op = operation(method, url.searchParams);
      const body = Buffer.concat(chunks);
      fake.requests.push({ op, method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, body });
      const requestId = randomUUID();
      const base: Record<string, string> = {
        "x-ms-request-id": requestId,
        "x-ms-version": String(req.headers["x-ms-version"] ?? "2026-10-06"),
        date: new Date().toUTCString(),
        server: "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0",
        ...(typeof req.headers["x-ms-client-request-id"] === "string" ? { "x-ms-client-request-id": req.headers["x-ms-client-request-id"] } : {}),
      };
      const fail = (a: BlobAnswer) => {
        const headers: Record<string, string> = { ...base, ...a.headers };
        let text = "";
        if (a.code !== undefined) {
          headers["x-ms-error-code"] = a.code;
          if (method !== "HEAD") {
            headers["content-type"] = "application/xml";
            text = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${a.code}</Code><Message>${a.message ?? a.code}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
          }
        }
        res.writeHead(a.status, headers);
        res.end(text);
      };
      const ok = (status: number, headers: Record<string, string> = {}) => {
        res.writeHead(status, { ...base, "content-length": "0", ...headers });
        res.end();
      };
      if (fake.always) return fail(fake.always);
      const queued = fake.script[op]?.shift();
      if (queued !== undefined && queued !== "pass") return fail(queued);

      const container = decodeURIComponent(url.pathname.split("/")[1] ?? "");
      if (fake.missingContainers.has(container)) return fail(storageError(404, "ContainerNotFound"));
      const sentMd5 = req.headers["content-md5"];
      if (typeof sentMd5 === "string" && (op === "PutBlob" || op === "PutBlock") && sentMd5 !== md5(body)) return fail(storageError(400, "Md5Mismatch"));
      const metadata = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k.startsWith("x-ms-meta-"))
          .map(([k, v]) => [k.slice("x-ms-meta-".length), String(v)]),
      );
      const stored = fake.blobs.get(url.pathname);
      const written = { "last-modified": new Date().toUTCString(), "x-ms-request-server-encrypted": "true" };
      switch (op) {
        case "PutBlob": {
          const etag = nextEtag();
          const contentType = req.headers["x-ms-blob-content-type"];
          fake.blobs.set(url.pathname, { content: body, etag, metadata, contentMd5: md5(body), ...(typeof contentType === "string" ? { contentType } : {}) });
          return ok(201, { etag, "content-md5": md5(body), ...written });
        }
        case "PutBlock": {
          const blocks = staged.get(url.pathname) ?? new Map<string, Buffer>();
          blocks.set(url.searchParams.get("blockid") ?? "", body);
          staged.set(url.pathname, blocks);
          return ok(201, { "content-md5": md5(body), "x-ms-request-server-encrypted": "true" });
        }
        case "PutBlockList": {
          const ids = [...body.toString("utf8").matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]!);
          const blocks = staged.get(url.pathname);
          if (ids.length === 0 || blocks === undefined || ids.some((id) => !blocks.has(id))) return fail(storageError(400, "InvalidBlockList"));
          const etag = nextEtag();
          const contentType = req.headers["x-ms-blob-content-type"];
          const contentMd5 = req.headers["x-ms-blob-content-md5"];
          fake.blobs.set(url.pathname, {
            content: Buffer.concat(ids.map((id) => blocks.get(id)!)),
            etag,
            metadata,
            ...(typeof contentType === "string" ? { contentType } : {}),
            ...(typeof contentMd5 === "string" ? { contentMd5 } : {}),
          });
          staged.delete(url.pathname);
          return ok(201, { etag, ...written });
        }
        case "GetBlobProperties": {
          if (stored === undefined) return fail(storageError(404, "BlobNotFound"));
          return ok(200, {
            etag: stored.etag,
            "content-length": String(stored.content.length),
            "content-type": stored.contentType ?? "application/octet-stream",
            ...(stored.contentMd5 ? { "content-md5": stored.contentMd5 } : {}),
            "x-ms-blob-type": "BlockBlob",
            "x-ms-server-encrypted": "true",
            "accept-ranges": "bytes",
            ...Object.fromEntries(Object.entries(stored.metadata).map(([k, v]) => [`x-ms-meta-${k}`, v])),
          });
        }
        case "DeleteBlob": {
          if (stored === undefined) return fail(storageError(404, "BlobNotFound"));
          const ifMatch = req.headers["if-match"];
          if (typeof ifMatch === "string" && ifMatch !== "*" && ifMatch !== stored.etag) return fail(storageError(412, "ConditionNotMet"));
          fake.blobs.delete(url.pathname);
          return ok(202, { "x-ms-delete-type-permanent": "true" });
        }
        case "GetContainerProperties":
          return ok(200, { etag: '"0x8DC0000000C0FFEE"', "last-modified": new Date(0).toUTCString(), "x-ms-lease-status": "unlocked", "x-ms-lease-state": "available", "x-ms-has-immutability-policy": "false", "x-ms-has-legal-hold": "false" });
        default:
          return fail({ status: 400, code: "UnsupportedHttpVerb", message: `The fake Blob service does not implement ${method} ${url.pathname}${url.search}` });
      }
    });
  });
  const { endpoint, close } = await listenOnLoopback(server);
  return Object.assign(fake, { endpoint, close });
}
