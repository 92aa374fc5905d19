#!/usr/bin/env bash
# Validates the data·inclusion export with the data-inclusion-schema package itself.
# That package needs pydantic 2 and Rasa 3.6 pins pydantic 1: it gets its own
# small virtualenv, .venv-export-check (created on first run, about a minute).
#
# Usage: scripts/check_export.sh [EXPORT_DIR]   (default build/export; built
# from knowledge/ with the project's .venv when it does not exist yet)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-export-check
# Exact pin, as the project pins what it depends on (any 1.0.x speaks schema v1).
SCHEMA_PACKAGE="data-inclusion-schema==1.0.10"
EXPORT_DIR="${1:-build/export}"
PROJECT_PYTHON="${PYTHON:-.venv/bin/python}"

if ! "$VENV/bin/python" -c "import data_inclusion.schema.v1" 2>/dev/null; then
  base_python="$(command -v python3.11 || command -v python3.10 || scripts/find-python310.sh)"
  echo "Creating $VENV with $base_python and $SCHEMA_PACKAGE" >&2
  rm -rf "$VENV"
  "$base_python" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$SCHEMA_PACKAGE"
fi

if [ ! -f "$EXPORT_DIR/services.json" ] || [ ! -f "$EXPORT_DIR/structures.json" ]; then
  echo "Exporting knowledge/ to $EXPORT_DIR" >&2
  "$PROJECT_PYTHON" -c "import sys; from orientation.knowledge.loader import load_knowledge; \
from orientation.knowledge.export import export_data_inclusion; \
print(export_data_inclusion(load_knowledge(), sys.argv[1]))" "$EXPORT_DIR"
fi

exec "$VENV/bin/python" scripts/check_export.py "$EXPORT_DIR"
