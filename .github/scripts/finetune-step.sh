#!/usr/bin/env bash
# One watching segment of the Fine-tune workflow (.github/workflows/finetune.yml): submits the
# stack's fine-tuning job, or attaches to it when it was submitted before (its name is a hash of
# model, data and hyperparameters), and watches it for up to FINETUNE_MAX_WAIT_MINUTES (330, so a
# 350-minute runner job has room for setup and the evaluation).
#
# Usage: bash .github/scripts/finetune-step.sh [--last]
#   env STACK (required), FORCE=true to pass --force, GITHUB_OUTPUT (set by GitHub Actions).
# Writes finetune-out/result.json (the command's --json document) and, once the job completed,
# finetune-out/config.patch (what --write-config changed in Pulumi.$STACK.yaml). Sets the step
# output state=completed or state=running. Exits 0 when completed or still running (1 with
# --last, the final segment), otherwise with the command's exit code.
set -uo pipefail

last="${1:-}"
: "${STACK:?STACK is not set}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set (run inside GitHub Actions, or set it to a file)}"
mkdir -p finetune-out
args=(--stack "$STACK" --max-wait "${FINETUNE_MAX_WAIT_MINUTES:-330}" --write-config --json)
if [ "${FORCE:-false}" = "true" ]; then args+=(--force); fi

npm run --silent finetune -- "${args[@]}" > finetune-out/result.json
code=$?
cat finetune-out/result.json

case "$code" in
  0)
    git diff -- "Pulumi.$STACK.yaml" > finetune-out/config.patch
    echo "state=completed" >> "$GITHUB_OUTPUT"
    ;;
  3)
    echo "state=running" >> "$GITHUB_OUTPUT"
    if [ "$last" = "--last" ]; then
      echo "::error title=Still running::the fine-tuning job outlasted three watches (16.5 h); run this workflow again to keep watching: it attaches to the same job"
      exit 1
    fi
    ;;
  *)
    echo "::error title=Fine-tuning did not succeed::npm run finetune exited with $code; its messages are above"
    exit "$code"
    ;;
esac
