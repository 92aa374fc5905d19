#!/usr/bin/env bash
# Validates deploy/k8s offline: every base manifest and the rendered
# production overlay (`kubectl kustomize`, with the example secrets) against
# Kubernetes' schemas with kubernetes-validate, in its own small virtualenv
# .venv-k8s (created on first run). Prints the rendered overlay's path.
set -euo pipefail
cd "$(dirname "$0")/../.."

K8S_VENV=.venv-k8s  # not $VENV: that one is the project's, exported by the Makefile
if ! "$K8S_VENV/bin/kubernetes-validate" --version >/dev/null 2>&1; then
  base_python="$(command -v python3.11 || command -v python3.10 || scripts/find-python310.sh)"
  echo "Creating $K8S_VENV with $base_python" >&2
  rm -rf "$K8S_VENV"
  "$base_python" -m venv "$K8S_VENV"
  "$K8S_VENV/bin/pip" install --quiet --disable-pip-version-check -r deploy/k8s/requirements-validate.txt
fi

out=build/k8s
rm -rf "$out" && mkdir -p "$out"
cp -r deploy/k8s "$out/src"
cp "$out/src/overlays/production/secrets.env.example" "$out/src/overlays/production/secrets.env"
if command -v kubectl >/dev/null; then
  kubectl kustomize "$out/src/overlays/production" > "$out/production.yaml"
else
  echo "kubectl absent: the overlay is not rendered, only the base is validated" >&2
fi
"$K8S_VENV/bin/kubernetes-validate" --strict --quiet deploy/k8s/base/[!k]*.yaml \
  $( [ -f "$out/production.yaml" ] && echo "$out/production.yaml" )
echo "$out/production.yaml"
