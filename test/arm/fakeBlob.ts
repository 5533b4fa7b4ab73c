/**
 * A local HTTPS server that answers Put Blob and Delete Blob like Azure Storage does, recording
 * every request (method, path, headers, the exact body bytes). Same certificate approach as
 * fakeArm.ts: a throwaway self-signed cert for 127.0.0.1, trusted only by the client under test.
 *
 * Requests with `Expect: 100-continue` are answered like Storage answers them: a refusal
 * (any scripted non-2xx) is sent at once, without asking for the body; otherwise `100
 * Continue` is sent and the body read.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback, makeCertificate } from "./loopbackHttps";

export interface BlobAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Storage error code: sent as x-ms-error-code and in the XML body. */
  code?: string;
  message?: string;
}

export interface BlobRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received; empty when the server refused before asking for it. */
  body: Buffer;
  bodyRequested: boolean;
}

export interface FakeBlob {
  endpoint: string;
  caPem: string;
  requests: BlobRequest[];
  /** Answers per method, in order; the last repeats. Defaults: PUT 201, DELETE 202. */
  script: { PUT?: BlobAnswer[]; DELETE?: BlobAnswer[] };
  close(): Promise<void>;
}

export const storageError = (status: number, code: string, headers?: Record<string, string>): BlobAnswer => ({
  status,
  code,
  message: code.startsWith("Authorization") ? "This request is not authorized to perform this operation using this permission.\nRequestId:00000000-0000" : `${code}.\nRequestId:00000000-0000`,
  ...(headers ? { headers } : {}),
});

export async function startFakeBlob(): Promise<FakeBlob> {
  const { key, cert } = makeCertificate();
  const requests: BlobRequest[] = [];
  const script: FakeBlob["script"] = {};
  const served: Record<string, number> = {};
  let etagCounter = 0;

  const nextAnswer = (method: string): BlobAnswer => {
    const list = method === "PUT" || method === "DELETE" ? script[method] : undefined;
    if (list === undefined || list.length === 0) return method === "PUT" ? { status: 201 } : method === "DELETE" ? { status: 202 } : { status: 405, code: "UnsupportedHttpVerb" };
    const i = served[method] ?? 0;
    served[method] = i + 1;
    return list[Math.min(i, list.length - 1)]!;
  };

  const respond = (res: ServerResponse, answer: BlobAnswer, body?: Buffer, close = false) => {
    const headers: Record<string, string> = { "x-ms-request-id": "00000000-0000", "x-ms-version": "2023-11-03", ...answer.headers };
    if (close) headers.connection = "close";
    let text = "";
    if (answer.code !== undefined) {
      headers["x-ms-error-code"] = answer.code;
      headers["content-type"] = "application/xml";
      text = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${answer.code}</Code><Message>${answer.message ?? answer.code}</Message></Error>`;
    }
    if (answer.status === 201 && body !== undefined) {
      headers.etag = `"0x8DC${(++etagCounter).toString().padStart(12, "0")}"`;
      headers["x-ms-content-crc64"] = "AAAAAAAAAAA=";
      headers["x-ms-request-server-encrypted"] = "true";
      headers["content-md5"] = createHash("md5").update(body).digest("base64");
    }
    res.writeHead(answer.status, headers);
    res.end(text);
  };

  const record = (req: IncomingMessage, bodyRequested: boolean): BlobRequest => {
    const entry: BlobRequest = { method: req.method ?? "", path: new URL(req.url ?? "/", "https://127.0.0.1").pathname, headers: { ...req.headers }, body: Buffer.alloc(0), bodyRequested };
    requests.push(entry);
    return entry;
  };

  const readAndRespond = (req: IncomingMessage, res: ServerResponse, entry: BlobRequest, answer: BlobAnswer) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      entry.body = Buffer.concat(chunks);
      respond(res, answer, entry.body);
    });
  };

  const server = createServer({ key, cert }, (req, res) => {
    const entry = record(req, true);
    readAndRespond(req, res, entry, nextAnswer(req.method ?? ""));
  });
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const answer = nextAnswer(req.method ?? "");
    if (answer.status >= 300) {
      record(req, false);
      respond(res, answer, undefined, true);
      return;
    }
    const entry = record(req, true);
    res.writeContinue();
    readAndRespond(req, res, entry, answer);
  });
  const { endpoint, close } = await listenOnLoopback(server);
  return { endpoint, caPem: cert, requests, script, close };
}
