/**
 * The training data's identity in Azure: the data asset names and how a file's content hash
 * becomes its asset version and its blob path.
 *
 * Pure and shared: the TrainingData component registers the assets with these names and
 * versions, and the fine-tuning loop (finetune/) derives the very same names and versions
 * from the stack's files to find them again, without reading Pulumi state. A job can only
 * reference data this stack uploaded if both sides compute them the same way, hence one module.
 */

/** Data asset names in the project, one per role. */
export const DATA_ASSET_NAMES = { training: "training", validation: "validation" } as const;

export type DataAssetRole = keyof typeof DATA_ASSET_NAMES;

/** Short content version: 12 hex characters of the SHA-256 (collisions are not a concern at this scale). */
export function contentVersion(sha256: string): string {
  return sha256.slice(0, 12);
}

/** Where a file lands in the container: `<asset>/<version>/<asset>.jsonl`. */
export function blobPath(file: { assetName: string; sha256: string }): string {
  return `${file.assetName}/${contentVersion(file.sha256)}/${file.assetName}.jsonl`;
}
