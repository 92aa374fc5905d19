"""Former entry point, kept for the callers not moved yet: `python -m rasa_server …` replaces it.

    python scripts/rasa_fast.py run …   ≡   python -m rasa_server run …

The patches it installed, and the checks of the Rasa code they replace, are
all in rasa_server/patches.py now.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # rasa_server/

if __name__ == "__main__":
    from rasa_server.__main__ import main

    sys.exit(main())
