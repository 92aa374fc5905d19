#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter: PATH first, then pyenv's versions.
# Rasa 3.6 supports Python 3.8-3.10 only; on 3.11 pip silently falls back to rasa 1.10.
set -eu
for candidate in "$(command -v python3.10 2>/dev/null || true)" \
                 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "Python 3.10 is required (Rasa 3.6 runs on 3.8-3.10) and none was found." >&2
echo "Install it, e.g. 'pyenv install 3.10.13' or Debian/Ubuntu 'apt-get install python3.10 python3.10-venv', then retry." >&2
exit 1
