#!/usr/bin/env bash
# `make run` / `make shell`: start the servers (the Makefile has installed, built and trained).
# The virtualenv is $VENV (default .venv, relative to the repository), as in the Makefile.
set -euo pipefail
cd "$(dirname "$0")/.."
export VENV="${VENV:-.venv}"  # scripts/stack.py starts the servers from the same one
exec "$VENV/bin/python" scripts/stack.py "$@"
