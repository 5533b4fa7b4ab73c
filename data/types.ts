/**
 * The shapes the data validator exchanges with its callers (the CLI, the Pulumi stack, tests).
 * Everything here is plain JSON-serialisable data so `--json` can print a report as is.
 */
import type { LlamaModel } from "../config/models";

export type Severity = "error" | "warning";

export interface DataIssue {
  /** The path as the caller gave it (not resolved), so messages match what the user typed. */
  file: string;
  /** 1-based line number; 0 for issues about the whole file (missing file, too few examples). */
  line: number;
  /** Stable code, e.g. `INVALID_JSON`; see data/README.md for the table. */
  code: string;
  /** What is wrong and how to fix it. */
  message: string;
  severity: Severity;
}

/** min / median / p95 / max of tokens per example, from an exact histogram. */
export interface TokenDistribution {
  min: number;
  median: number;
  p95: number;
  max: number;
  total: number;
}

export interface FileStats {
  file: string;
  bytes: number;
  /** Lines in the file, empty ones included. */
  lines: number;
  emptyLines: number;
  /** Non-empty lines, i.e. examples as the service would count them. */
  examples: number;
  /** Examples that passed every error-level check. */
  validExamples: number;
  /** Messages per valid example (chat format only; null for prompt/completion files). */
  messagesPerExample: { min: number; mean: number; max: number } | null;
  /** Messages by role over the valid examples (chat format only). */
  roles: { system: number; user: number; assistant: number } | null;
  /** Tokens per valid example, chat template included; null when token counting was off. */
  tokensPerExample: TokenDistribution | null;
}

export interface DatasetStats {
  model: string;
  format: "chat" | "prompt-completion";
  tokenizer: LlamaModel["tokenizer"];
  maxSequenceLength: number;
  tokensCounted: boolean;
  training: FileStats;
  validation: FileStats | null;
  epochs: number;
  /** Tokens of the training file (valid examples) × epochs; null when tokens were not counted. */
  trainingTokensTimesEpochs: number | null;
  /** The price the caller gave; never a built-in figure, prices change. */
  pricePer1kTokens: number | null;
  /** trainingTokensTimesEpochs / 1000 × pricePer1kTokens, when both are known. */
  estimatedTrainingCost: number | null;
  durationMs: number;
  /** Worker threads that checked the lines (0: the calling thread); `workers` in ValidateOptions. */
  workers: number;
}

export interface ValidationReport {
  valid: boolean;
  /** The first `maxIssues` errors, in file then line order. */
  errors: DataIssue[];
  /** All errors found, including those not listed. */
  errorCount: number;
  warnings: DataIssue[];
  warningCount: number;
  stats: DatasetStats;
}

export interface ValidateOptions {
  trainingFile: string;
  validationFile?: string;
  model: LlamaModel;
  /** Count tokens with the model's real tokenizer (default true); the slow part. */
  countTokens?: boolean;
  pricePer1kTokens?: number;
  /** Default 1. */
  epochs?: number;
  /** How many errors (and, separately, warnings) to keep in the report; default 100. */
  maxIssues?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** What the path "-" reads (the CLI passes process.stdin); without it, "-" is reported as unreadable. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Worker threads that check lines: "auto" (default) uses up to 4 (one per core) for inputs of
   * 16 MiB or more when a core is idle (measured over 100 ms: data/executor.ts `autoWorkers`), else none; 0 checks
   * in the calling thread.
   */
  workers?: number | "auto";
}
