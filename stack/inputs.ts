/**
 * Everything a stack needs before it may declare a single resource: the validated config and
 * the validated data files. `pulumi up`/`preview` (index.ts) and the offline plan both come
 * through here, so they refuse bad input the same way and with the same messages.
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { ModelCatalog } from "../config/models";
import { parsePulumiConfig, type StackConfig } from "../config/schema";
import { formatReport, validateDataset, type ValidationReport } from "../data";
import type { DatasetFile } from "../components/trainingData";
import { sha256File } from "../arm/blobUpload";

export interface StackInputs {
  config: StackConfig;
  datasets: DatasetFile[];
  /** The data gate's report (warnings and statistics), for the plan to show. */
  dataReport: ValidationReport;
}

/** The training or validation data failed validation: nothing may be uploaded. */
export class DataGateError extends Error {
  constructor(readonly report: ValidationReport) {
    super(`Training data failed validation; nothing was uploaded or created. Fix these and run again:\n${formatReport(report)}`);
    this.name = "DataGateError";
  }
}

export interface LoadStackInputsOptions {
  /** Config as Pulumi passes it: `namespace:key` → string. */
  allConfig: Readonly<Record<string, string>>;
  /** Where the config came from, for messages (e.g. `Pulumi.dev.yaml`). */
  source: string;
  /** Directory that data paths in the config are relative to (the project directory). */
  projectDir: string;
  /** The day the deployment runs, YYYY-MM-DD (UTC): dates in the config are checked against it. */
  today: string;
  /** The model catalog (default: config/models.ts); tests pass their own. */
  catalog?: ModelCatalog;
}

/** Validates config, then data; throws ConfigError or DataGateError with every problem listed. */
export async function loadStackInputs(options: LoadStackInputsOptions): Promise<StackInputs> {
  const config = parsePulumiConfig(options.allConfig, options.source, { today: options.today, ...(options.catalog ? { catalog: options.catalog } : {}) });
  const trainingFile = resolveDataPath(options.projectDir, config.data.trainingFile);
  const validationFile = config.data.validationFile ? resolveDataPath(options.projectDir, config.data.validationFile) : undefined;

  const dataReport = await validateDataset({
    trainingFile,
    validationFile,
    model: config.model,
    epochs: config.finetune.epochs,
    pricePer1kTokens: config.finetune.pricePer1kTokens,
  });
  if (!dataReport.valid) throw new DataGateError(dataReport);

  const datasets: DatasetFile[] = [
    { assetName: "training", path: trainingFile, sha256: await sha256File(trainingFile), description: `Training data for ${config.model.name}` },
  ];
  if (validationFile) {
    datasets.push({ assetName: "validation", path: validationFile, sha256: await sha256File(validationFile), description: `Validation data for ${config.model.name}` });
  }
  return { config, datasets, dataReport };
}

/** Paths in config are relative to the project; messages show them that way too. */
function resolveDataPath(projectDir: string, path: string): string {
  const absolute = isAbsolute(path) ? path : resolve(projectDir, path);
  const shown = relative(process.cwd(), absolute);
  return shown.startsWith("..") ? absolute : shown || absolute;
}
