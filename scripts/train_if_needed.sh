#!/usr/bin/env bash
# Trains the Rasa model only when config.yml, domain.yml or data/ changed.
# The knowledge base is not an input: a data change never needs retraining.
# The virtualenv is $VENV (default .venv, relative to the repository), as in the Makefile.
# DATA_VALIDATED_BESIDE=1 (make test, where `make validate` runs beside the training,
# failing on warnings) skips Rasa's own, laxer validation: about 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."
fingerprint=$(cat config.yml domain.yml $(find data -name '*.yml' | sort) | sha256sum | cut -c1-16)
stamp="models/.fingerprint-$fingerprint"
if [ -f "$stamp" ] && ls models/*.tar.gz >/dev/null 2>&1; then
  echo "Modèle à jour (données et configuration inchangées) : pas d'entraînement."
  exit 0
fi
mkdir -p models
start=$(date +%s)
flags=()
[ "${DATA_VALIDATED_BESIDE:-}" = 1 ] && flags+=(--skip-validation)
# The log is kept (models/training.log): `make benchmark` prints the time of each component.
"${VENV:-.venv}/bin/rasa" train --fixed-model-name mobilite --out models "${flags[@]}" 2>&1 | tee models/training.log
rm -f models/.fingerprint-*
touch "$stamp"
echo "Modèle entraîné en $(( $(date +%s) - start )) s."
