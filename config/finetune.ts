/**
 * The `finetune` block of `Pulumi.<stack>.yaml`: hyperparameters of the serverless
 * (model-as-a-service) fine-tuning job, the base model version, and the price the cost gate
 * multiplies by. One home for everything about a training run, so the data gate (tokens ×
 * epochs × price) and the fine-tuning job read the same epochs and the same price.
 *
 * Ranges, from Microsoft Learn "Fine-tune Meta Llama models in Azure AI Foundry portal"
 * (MicrosoftDocs/azure-ai-docs, articles/ai-studio/how-to/fine-tune-model-llama.md, both tabs):
 * - batch size: "When set to -1, batch_size is calculated as 0.2% of examples in training set
 *   and the max is 256";
 * - learning-rate multiplier: "Must be between 0.0 and 5.0" ("We recommend experimenting with
 *   values between 0.5 and 2"); 0 itself would train nothing, so it is excluded;
 * - epochs: no bound is documented (Llama 2 also allows -1, "determined dynamically"). The cost
 *   gate needs a known number of epochs, so -1 is not offered, and 10 is this project's cap
 *   (the bound `data.epochs` had before this block existed).
 *
 * Prices are never built in (they change, and differ per offer): they come from the model's
 * Azure Marketplace offer ("Marketplace offer details" in the fine-tune wizard, per the same page).
 */
import { z } from "zod";

export const EPOCHS = { min: 1, max: 10, default: 1 } as const;
export const BATCH_SIZE = { automatic: -1, min: 1, max: 256 } as const;
export const LEARNING_RATE_MULTIPLIER = { max: 5, recommended: [0.5, 2] } as const;

const LEARN_LLAMA = "learn.microsoft.com/azure/ai-studio/how-to/fine-tune-model-llama";

export const finetuneSchema = z
  .strictObject(
    {
      epochs: z
        .number({ error: `must be a whole number of epochs from ${EPOCHS.min} to ${EPOCHS.max}` })
        .int({ error: `must be a whole number of epochs from ${EPOCHS.min} to ${EPOCHS.max}` })
        .min(EPOCHS.min, { error: `must be from ${EPOCHS.min} to ${EPOCHS.max} epochs` })
        .max(EPOCHS.max, { error: `must be from ${EPOCHS.min} to ${EPOCHS.max} epochs (this project's cap; more epochs rarely help and cost linearly)` })
        .default(EPOCHS.default),
      batchSize: z
        .number({ error: `must be ${BATCH_SIZE.automatic} (automatic) or a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max}` })
        .int({ error: `must be ${BATCH_SIZE.automatic} (automatic) or a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max}` })
        .refine((n) => n === BATCH_SIZE.automatic || (n >= BATCH_SIZE.min && n <= BATCH_SIZE.max), {
          error: `must be ${BATCH_SIZE.automatic} (automatic: 0.2% of the training examples, at most ${BATCH_SIZE.max}) or a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max} (${LEARN_LLAMA})`,
        })
        .optional(),
      learningRateMultiplier: z
        .number({ error: `must be a number greater than 0 and at most ${LEARNING_RATE_MULTIPLIER.max}` })
        .gt(0, { error: `must be greater than 0 and at most ${LEARNING_RATE_MULTIPLIER.max} (${LEARN_LLAMA}; 0.5 to 2 recommended)` })
        .max(LEARNING_RATE_MULTIPLIER.max, { error: `must be greater than 0 and at most ${LEARNING_RATE_MULTIPLIER.max} (${LEARN_LLAMA}; 0.5 to 2 recommended)` })
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
      maxHours: z
        .number({ error: "must be a number of hours greater than 0 and at most 720" })
        .positive({ error: "must be greater than 0 and at most 720 hours" })
        .max(720, { error: "must be greater than 0 and at most 720 hours" })
        .optional(),
    },
    { error: "must be a map: { epochs?, batchSize?, learningRateMultiplier?, modelVersion?, pricePer1kTokens? | pricePerHour? + maxHours? }" },
  )
  .superRefine((value, ctx) => {
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
