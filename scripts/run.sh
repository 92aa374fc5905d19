#!/usr/bin/env bash
# `make run` / `make shell`: start the servers (the Makefile has installed, built and trained).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python scripts/stack.py "$@"
