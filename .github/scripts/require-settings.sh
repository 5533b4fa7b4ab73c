#!/usr/bin/env bash
# Fails with one clear message per empty setting, before anything logs in to Azure or the state
# backend (where an empty value gives an obscure error). Fork and Dependabot pull requests get no
# variables at all, so this is where they would stop (the workflows skip those jobs for them).
#
# Usage: bash .github/scripts/require-settings.sh <github-environment> NAME...
# Each NAME is an environment variable of the step; ARM_* are filled from the AZURE_* variables.
set -euo pipefail

environment="$1"
shift
missing=0
for name in "$@"; do
  if [ -z "${!name:-}" ]; then
    case "$name" in
      ARM_CLIENT_ID) variable=AZURE_CLIENT_ID ;;
      ARM_TENANT_ID) variable=AZURE_TENANT_ID ;;
      ARM_SUBSCRIPTION_ID) variable=AZURE_SUBSCRIPTION_ID ;;
      *) variable="$name" ;;
    esac
    echo "::error title=Missing setting ${variable}::The variable ${variable} is empty for the GitHub environment '${environment}'. Set it under Settings > Environments > ${environment} > Environment variables (see docs/delivery.md, 'GitHub environments')."
    missing=$((missing + 1))
  fi
done
if [ "$missing" -gt 0 ]; then
  echo "${missing} required setting(s) missing for environment '${environment}': stopping before anything is run against Azure or the state backend." >&2
  exit 1
fi
echo "All $# required settings are present for environment '${environment}'."
