"""The review of real conversations by maintainers (/revue): what went wrong, turned into training data.

- `masking`: what a coordinator may read of a message (long numbers and e-mail addresses masked);
- `moments`: the moments a stored conversation went wrong (with markers.yml's hits);
- `groups`: the moments grouped by kind and by message, most frequent first;
- `training`: a chosen reading → a Rasa training example (data/nlu/revue.yml) and the
  phrases the reader learns (orientation/language/lexique_revu.yml), checked first;
- `page`: the review page (HTML, no script);
- `simulation`: `make review-demo`'s invented people.

Pure Python: the Rasa server finds the moments (rasa_server/review.py), the web page
shows them and writes what the maintainer chose (web/revue.py).
"""

from __future__ import annotations

import os

ENABLED_ENV = "REVUE_ACTIVE"
TOKEN_ENV = "OBSERVATOIRE_TOKEN"  # the observatory's token opens the review too


def enabled() -> bool:
    """One setting turns the review off everywhere: REVUE_ACTIVE=0."""
    return (os.environ.get(ENABLED_ENV) or "1").strip().lower() not in ("0", "non", "false", "off", "no")
