#!/usr/bin/env bash
# Opens the pull request that sets fineTunedModelId (Fine-tune workflow, job pull-request), from
# what the watching job left in finetune-out/: result.json (npm run finetune --json), config.patch
# (the change to Pulumi.$STACK.yaml) and evaluation.md (npm run evaluate --markdown, if it ran).
# The pull request's body names the job, the model id, the base model and the data versions; its
# first comment carries the evaluation. Running it again for the same job updates the branch and
# the body of the pull request already open.
#
# env: STACK, GH_TOKEN (used by gh and for the push), USES_OWN_TOKEN=true when GH_TOKEN is the
#      workflow's GITHUB_TOKEN, RUN_URL; GITHUB_REPOSITORY, GITHUB_SERVER_URL and GITHUB_REF_NAME
#      are set by GitHub Actions.
set -euo pipefail

: "${STACK:?}" "${GH_TOKEN:?}" "${GITHUB_REPOSITORY:?}" "${GITHUB_REF_NAME:?}"
out=finetune-out
model=$(jq -r '.fineTunedModelId // empty' "$out/result.json")
job=$(jq -r '.job // empty' "$out/result.json")
if [ -z "$model" ] || [ -z "$job" ]; then
  echo "::error title=No model id::$out/result.json names no fineTunedModelId; see the watching job's log"
  exit 1
fi
if [ ! -s "$out/config.patch" ]; then
  echo "::notice title=Nothing to change::Pulumi.$STACK.yaml already sets fineTunedModelId to $model"
  exit 0
fi

branch="finetune/$STACK/$job"
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git checkout -B "$branch"
git apply "$out/config.patch"
git add "Pulumi.$STACK.yaml"
git commit -m "$STACK: deploy the fine-tuned model of $job" -m "fineTunedModelId: $model"
# The checkout keeps no credentials (persist-credentials: false): the token is given to this push only.
auth=$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)
git -c "http.extraheader=AUTHORIZATION: basic $auth" push --force "${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY.git" "HEAD:refs/heads/$branch"

{
  echo "## Deploy the fine-tuned model of \`$STACK\`"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| fine-tuning job | \`$job\` |"
  echo "| fine-tuned model | \`$model\` |"
  echo "| base model | \`$(jq -r '.resolvedBaseModel // .baseModel' "$out/result.json")\` |"
  jq -r '.dataAssets[]? | "| \(.role) data | `\(.name):\(.version)` (sha256 `\(.sha256)`) |"' "$out/result.json"
  echo
  echo "Merging sets \`fineTunedModelId\` in \`Pulumi.$STACK.yaml\`; the next \`pulumi up\` creates the fine-tuned serverless endpoint (see this pull request's preview)."
  echo "Once it is deployed, run the **Fine-tune** workflow with \`mode: evaluate\`, \`stack: $STACK\`, \`pr: <this number>\` to compare it with the base model here."
  if [ "${USES_OWN_TOKEN:-false}" = "true" ]; then
    echo
    echo "> [!NOTE]"
    echo "> Opened with the workflow's own token, which starts no workflow: close and reopen this pull request to run its checks and preview (or set the FINETUNE_PR_TOKEN secret, see README, Fine-tune and evaluate)."
  fi
  echo
  echo "_Opened by [this run](${RUN_URL:-})._"
} > "$out/pr-body.md"

if gh pr view "$branch" --json number > /dev/null 2>&1; then
  gh pr edit "$branch" --body-file "$out/pr-body.md"
else
  gh pr create --base "$GITHUB_REF_NAME" --head "$branch" --title "$STACK: deploy the fine-tuned model of $job" --body-file "$out/pr-body.md"
fi

if [ -s "$out/evaluation.md" ]; then
  { echo "<!-- llama-finetune-env:evaluation:$STACK -->"; cat "$out/evaluation.md"; echo; echo "_Evaluated on the endpoints deployed before this pull request, so without the new model. Run the Fine-tune workflow with mode: evaluate once it is deployed._"; } > "$out/comment.md"
  gh pr comment "$branch" --body-file "$out/comment.md"
fi
