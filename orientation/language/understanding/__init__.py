"""What a French message says about the person, and what it changes in the profile.

- `reading`: `read(text)` finds what the message states, whatever the conversation;
- `updates`: `profile_updates(reading, context)` decides what that changes;
- `intents`: `corrected_intent`, DIET's intent unless the words plainly say otherwise;
- `entities`: `clean_entities`, DIET's entity spans checked against the words.

All pure functions: tested without Rasa (tests/test_understanding.py).
"""

from orientation.language.understanding.entities import clean_entities  # noqa: F401 - public names
from orientation.language.understanding.intents import corrected_intent  # noqa: F401
from orientation.language.understanding.reading import (  # noqa: F401
    ASKED,
    LACKING,
    MENTIONED,
    RESIDENCE,
    Reading,
    ages_stated,
    find_age,
    find_besoin,
    find_besoin_strength,
    find_situation,
    find_situations,
    prepare,
    read,
)
from orientation.language.understanding.updates import (  # noqa: F401
    Context,
    profile_updates,
    speaks_as_professional,
)
