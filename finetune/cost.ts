/**
 * The cost gate: the estimated training cost of a job against the stack's budget, decided
 * before anything is submitted.
 *
 * Billing basis. Meta's models are fine-tuned as a serverless ("pay-as-you-go") offer through the Azure
 * Marketplace, and Learn sends you to that offer for the price: "Non-Microsoft models ... are offered
 * through Azure Marketplace ... You can find Azure Marketplace pricing when deploying or fine-tuning
 * these models", on one Marketplace resource per project whose "multiple meters" track inference and
 * fine-tuning separately (Learn, "Fine-tune models by using serverless API deployments in Microsoft
 * Foundry", section "Cost for non-Microsoft models"; MicrosoftDocs/azure-ai-docs
 * articles/ai-foundry/how-to/fine-tune-serverless.md, 01/28/2026; the retired Llama page,
 * articles/ai-studio/how-to/fine-tune-model-llama.md, said the same). Learn gives no figure and no unit
 * for those meters, so the stack config names the basis its offer uses:
 * - per token (`finetune.pricePer1kTokens`): tokens of the training file × epochs × price, the
 *   formula Learn gives for token-billed supervised fine-tuning of Azure OpenAI models ("price =
 *   # training tokens × # epochs × price per token", articles/ai-foundry/how-to/fine-tuning-cost-management.md) and
 *   the figure the data gate already reports (`trainingTokensTimesEpochs`, counted with the
 *   model's own tokenizer);
 * - per hour (`finetune.pricePerHour` with `finetune.maxHours`): the longest run you accept ×
 *   the hourly price (that page bills Azure OpenAI's reinforcement fine-tuning by time).
 * Without a price the cost is unknown, which refuses like an over-budget job: spending without
 * an estimate is the thing this gate exists to stop. `--force` overrides both refusals.
 *
 * The budget compared with is the stack's `budget.amount` (one budget period, the
 * subscription's billing currency; the price must be in the same currency).
 */
import type { FinetuneConfig } from "../config/finetune";

export type CostEstimate =
  | { basis: "tokens"; trainingTokensTimesEpochs: number; pricePer1kTokens: number; cost: number }
  | { basis: "time"; pricePerHour: number; maxHours: number; cost: number }
  | { basis: "unknown"; reason: string };

export interface CostDecision {
  estimate: CostEstimate;
  budget: number;
  allowed: boolean;
  /** One line for people: the estimate and the verdict. */
  message: string;
}

export function estimateCost(ft: FinetuneConfig, trainingTokensTimesEpochs: number | null): CostEstimate {
  if (ft.pricePerHour !== undefined && ft.maxHours !== undefined) {
    return { basis: "time", pricePerHour: ft.pricePerHour, maxHours: ft.maxHours, cost: round(ft.pricePerHour * ft.maxHours) };
  }
  if (ft.pricePer1kTokens !== undefined) {
    if (trainingTokensTimesEpochs === null) return { basis: "unknown", reason: "the data gate did not count tokens" };
    return { basis: "tokens", trainingTokensTimesEpochs, pricePer1kTokens: ft.pricePer1kTokens, cost: round((trainingTokensTimesEpochs / 1000) * ft.pricePer1kTokens) };
  }
  return {
    basis: "unknown",
    reason:
      "no price is configured: set finetune.pricePer1kTokens (or finetune.pricePerHour and finetune.maxHours) from the model's Azure Marketplace offer (Marketplace offer details in the fine-tune wizard)",
  };
}

export function decideCost(estimate: CostEstimate, budget: number, force: boolean): CostDecision {
  const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 4 });
  if (estimate.basis === "unknown") {
    return {
      estimate,
      budget,
      allowed: force,
      message: force ? `estimated cost unknown (${estimate.reason}); submitting anyway because of --force` : `estimated cost unknown: ${estimate.reason}; or pass --force to submit without an estimate`,
    };
  }
  const how =
    estimate.basis === "tokens"
      ? `${fmt(estimate.trainingTokensTimesEpochs)} training tokens (× epochs) at ${fmt(estimate.pricePer1kTokens)} per 1k tokens`
      : `${fmt(estimate.maxHours)} h at most at ${fmt(estimate.pricePerHour)} per hour`;
  const within = estimate.cost <= budget;
  const verdict = within
    ? `within the stack's budget of ${fmt(budget)}`
    : force
      ? `over the stack's budget of ${fmt(budget)}; submitting anyway because of --force`
      : `over the stack's budget of ${fmt(budget)}: lower finetune.epochs or the data, raise budget.amount, or pass --force`;
  return { estimate, budget, allowed: within || force, message: `estimated training cost ${fmt(estimate.cost)} (${how}), ${verdict}` };
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
