"""Communes of France: loading, the index, resolution of what a person types, mentions in a sentence.

Pure Python (no Rasa): `CommuneIndex.resolve("j'habite à St Nazaire")` answers
in well under a millisecond once the index is built from knowledge/communes/.
"""

from orientation.language.communes.commune import (  # noqa: F401 - the package's public names
    AMBIGUOUS,
    FOUND,
    UNKNOWN,
    CommuneResolution,
)
from orientation.language.communes.index import CommuneIndex  # noqa: F401
