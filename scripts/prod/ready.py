"""Readiness of one Rasa server: a real message gets a real answer (exit 0), else exit 1.

Kubernetes' readiness probe (deploy/k8s): the same round trip as `make run`
and `make prod` (scripts/topology.py, `READINESS["rasa"]`), since Rasa
answers GET / and /status before its model can reply.

    python scripts/prod/ready.py http://127.0.0.1:5005
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from topology import READINESS  # noqa: E402


def main(url: str) -> int:
    parts = urlsplit(url)
    if READINESS["rasa"].check(parts.port or 5005, parts.hostname or "127.0.0.1"):
        return 0
    print(f"Rasa ne répond pas encore sur {url}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5005"))
