#!/usr/bin/env bash
# Does a stack exist in the state backend named by $PULUMI_BACKEND_URL? Writes exists=true or
# exists=false to $GITHUB_OUTPUT, so a preview of a stack that its first `up` has not created yet
# is skipped with a notice instead of failing.
#
# A new, empty Azure Blob container has no .pulumi/meta.yaml; the first `pulumi login` writes it
# (pulumi/pulumi pkg/backend/diy/meta.go, ensurePulumiMeta), which a read-only preview identity
# cannot. That case also means "no stack yet"; any other login failure is an error.
#
# Usage: bash .github/scripts/stack-exists.sh <stack>
set -euo pipefail

stack="$1"
output="${GITHUB_OUTPUT:-/dev/stdout}"
log="$(mktemp)"
if ! pulumi login "$PULUMI_BACKEND_URL" > "$log" 2>&1; then
  cat "$log" >&2
  if grep -q 'meta\.yaml' "$log"; then
    echo "exists=false" >> "$output"
    echo "::notice title=No state yet::The state container is new and empty, and this read-only identity cannot initialise it: the first deployment of ${stack} does. Nothing to preview."
    exit 0
  fi
  echo "::error title=State backend::pulumi login to the state backend failed (output above)."
  exit 1
fi
stacks="$(pulumi stack ls --json)"
if jq -e --arg stack "$stack" 'any(.[]; (.name | split("/") | last) == $stack)' <<< "$stacks" > /dev/null; then
  echo "exists=true" >> "$output"
else
  echo "exists=false" >> "$output"
  echo "::notice title=No stack yet::Stack ${stack} does not exist in the state backend yet: its first 'pulumi up' (deploy.yml) creates it. Nothing to preview."
fi
