/**
 * Writing the fine-tuned model id into `Pulumi.<stack>.yaml`, so the next `pulumi up` deploys
 * the fine-tuned endpoint. The file is edited through the `yaml` package's Document API, which
 * keeps every comment, blank line and the order of keys; only the one value changes. The new
 * file is written beside the old one and renamed over it, so a crash never leaves half a file.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { isMap, isScalar, parseDocument } from "yaml";
import { CONFIG_NAMESPACE } from "../config/schema";

export const FINE_TUNED_MODEL_KEY = `${CONFIG_NAMESPACE}:fineTunedModelId`;

export class ConfigWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigWriteError";
  }
}

export interface WriteResult {
  path: string;
  previous?: string;
  changed: boolean;
}

/** Sets `config.<namespace>:fineTunedModelId` in the stack file, keeping its comments. */
export function writeFineTunedModelId(path: string, modelId: string): WriteResult {
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigWriteError(`${path} is not valid YAML (${doc.errors[0]!.message}); nothing was written`);
  const config = doc.get("config", true);
  if (config !== undefined && !isMap(config)) throw new ConfigWriteError(`${path}: "config" is not a map; nothing was written`);
  const current = doc.getIn(["config", FINE_TUNED_MODEL_KEY], true);
  if (current !== undefined && !isScalar(current)) {
    throw new ConfigWriteError(`${path}: ${FINE_TUNED_MODEL_KEY} is not a plain value (a secret?); set it by hand to ${modelId}`);
  }
  const previous = isScalar(current) ? String(current.value) : undefined;
  if (previous === modelId) return { path, previous, changed: false };
  doc.setIn(["config", FINE_TUNED_MODEL_KEY], modelId);
  const tmp = `${path}.${process.pid}.tmp`;
  // flowCollectionPadding: false keeps `[50, 80, 100]` as written (the default pads it to `[ 50, 80, 100 ]`).
  writeFileSync(tmp, doc.toString({ flowCollectionPadding: false }));
  renameSync(tmp, path);
  return { path, previous, changed: true };
}
