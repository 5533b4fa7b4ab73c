/**
 * The `finetune` block of `Pulumi.<stack>.yaml`: hyperparameters of the serverless
 * (model-as-a-service) fine-tuning job, the base model version, and the price the cost gate
 * multiplies by. One home for everything about a training run, so the data gate (tokens ×
 * epochs × price) and the fine-tuning job read the same epochs and the same price.
 *
 * Ranges, from Microsoft Learn "Fine-tune models by using serverless API deployments in Microsoft
 * Foundry" (MicrosoftDocs/azure-ai-docs articles/ai-foundry/how-to/fine-tune-serverless.md,
 * ms.date 01/28/2026), "Configure task parameters": "Batch size (1-32)", "Learning rate multiplier
 * (0.0-10.0)" ("We recommend experimenting with values in the range 0.02 to 0.2") and "Number of
 * epochs (1-10)". A multiplier of 0 would train nothing, so it is excluded. Values left out are
 * chosen by the service ("we determine the correct value algorithmically based on your training
 * data"), except the epochs, which the cost gate needs: they default to 1.
 * The same page's Python tab sends an absolute `learning_rate` ("0.00002") instead of a multiplier;
 * `learningRate` offers that, exclusive of `learningRateMultiplier`. Learn gives no range for it,
 * so it is only checked to be over 0 and under 1.
 *
 * Prices are never built in (they change, and differ per offer): they come from the model's Azure
 * Marketplace offer, which is where Learn sends you for them (see finetune/cost.ts).
 */
import { z } from "zod";

export const EPOCHS = { min: 1, max: 10, default: 1 } as const;
export const BATCH_SIZE = { min: 1, max: 32 } as const;
export const LEARNING_RATE_MULTIPLIER = { max: 10, recommended: [0.02, 0.2] } as const;

const LEARN_FT = "learn.microsoft.com/azure/ai-foundry/how-to/fine-tune-serverless";

export const finetuneSchema = z
  .strictObject(
    {
      epochs: z
        .number({ error: `must be a whole number of epochs from ${EPOCHS.min} to ${EPOCHS.max}` })
        .int({ error: `must be a whole number of epochs from ${EPOCHS.min} to ${EPOCHS.max}` })
        .min(EPOCHS.min, { error: `must be from ${EPOCHS.min} to ${EPOCHS.max} epochs (${LEARN_FT})` })
        .max(EPOCHS.max, { error: `must be from ${EPOCHS.min} to ${EPOCHS.max} epochs (${LEARN_FT})` })
        .default(EPOCHS.default),
      batchSize: z
        .number({ error: `must be a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max}` })
        .int({ error: `must be a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max}` })
        .min(BATCH_SIZE.min, { error: `must be from ${BATCH_SIZE.min} to ${BATCH_SIZE.max} (${LEARN_FT}); leave it out for the service's choice` })
        .max(BATCH_SIZE.max, { error: `must be from ${BATCH_SIZE.min} to ${BATCH_SIZE.max} (${LEARN_FT}); leave it out for the service's choice` })
        .optional(),
      learningRateMultiplier: z
        .number({ error: `must be a number greater than 0 and at most ${LEARNING_RATE_MULTIPLIER.max}` })
        .gt(0, { error: `must be greater than 0 and at most ${LEARNING_RATE_MULTIPLIER.max} (${LEARN_FT}; 0.02 to 0.2 recommended)` })
        .max(LEARNING_RATE_MULTIPLIER.max, { error: `must be greater than 0 and at most ${LEARNING_RATE_MULTIPLIER.max} (${LEARN_FT}; 0.02 to 0.2 recommended)` })
        .optional(),
      learningRate: z
        .number({ error: "must be a number greater than 0 and less than 1 (an absolute learning rate, e.g. 0.00002)" })
        .gt(0, { error: "must be greater than 0 and less than 1 (an absolute learning rate, e.g. 0.00002)" })
        .lt(1, { error: "must be greater than 0 and less than 1 (an absolute learning rate, e.g. 0.00002)" })
        .optional(),
      modelVersion: z
        .string({ error: 'must be a registry model version as a string of digits, e.g. "4"' })
        .regex(/^[1-9][0-9]{0,5}$/, { error: 'must be a registry model version: digits only, e.g. "4" (see the model card\'s "Version")' })
        .optional(),
      pricePer1kTokens: z
        .number({ error: "must be a number: the offer's training price per 1,000 tokens, at least 0" })
        .nonnegative({ error: "must be at least 0 (the offer's training price per 1,000 tokens)" })
        .optional(),
      pricePerHour: z
        .number({ error: "must be a number: the offer's training price per hour, greater than 0" })
        .positive({ error: "must be greater than 0 (the offer's training price per hour)" })
        .optional(),
      // A failed or canceled job keeps its name (the hash of its inputs), so the same inputs would
      // attach to it again; a new attempt number is a new job, recorded in the stack file.
      attempt: z
        .number({ error: "must be a whole number from 1: the attempt of training with these same inputs (raise it to retrain after a failed job)" })
        .int({ error: "must be a whole number from 1: the attempt of training with these same inputs (raise it to retrain after a failed job)" })
        .min(1, { error: "must be a whole number from 1: the attempt of training with these same inputs (raise it to retrain after a failed job)" })
        .max(1000, { error: "must be at most 1000" })
        .optional(),
      maxHours: z
        .number({ error: "must be a number of hours greater than 0 and at most 720" })
        .positive({ error: "must be greater than 0 and at most 720 hours" })
        .max(720, { error: "must be greater than 0 and at most 720 hours" })
        .optional(),
    },
    { error: "must be a map: { epochs?, batchSize?, learningRateMultiplier? | learningRate?, modelVersion?, attempt?, pricePer1kTokens? | pricePerHour? + maxHours? }" },
  )
  .superRefine((value, ctx) => {
    if (value.learningRate !== undefined && value.learningRateMultiplier !== undefined) {
      ctx.addIssue({ code: "custom", path: ["learningRate"], message: "cannot be set together with learningRateMultiplier: give the multiplier or the absolute rate" });
    }
    if (value.pricePer1kTokens !== undefined && value.pricePerHour !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["pricePerHour"],
        message: "cannot be set together with pricePer1kTokens: set the one basis the model's Marketplace offer bills fine-tuning by",
      });
    }
    if ((value.pricePerHour === undefined) !== (value.maxHours === undefined)) {
      const [missing, given] = value.pricePerHour === undefined ? ["pricePerHour", "maxHours"] : ["maxHours", "pricePerHour"];
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: `is required with ${given}: a time-billed offer is estimated as pricePerHour × maxHours (the longest run you accept)`,
      });
    }
  });

/** The validated `finetune` block (defaults applied). */
export type FinetuneConfig = z.output<typeof finetuneSchema>;
