"""The reading inside the Rasa server is the reading `tests/test_reading.py` checks.

Rasa's `SpacyNLP` loads fr_core_news_md without its parser; the reading needs the
parse (negation scope, tenses, a verb's objects), so `rasa_server.understanding` parses
the doc it is given. Checked on the held-out utterances and on sentences whose reading
depends on the parse: the trained model's `lecture` equals `Reader.read` on the text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from model_run import run_on_model

ROOT = Path(__file__).resolve().parent.parent

# Sentences whose reading depends on the parse (the objects of a verb, a negation, a tense).
PARSED = [
    "je cherche une aide financière, il doit payer son assurance et le contrôle technique",
    "en plus d'être au chômage, je ne peux rien faire",
    "j'étais au RSA, maintenant je suis en CDD",
    "là où je travaille, c'est Angers",
    # and on the named entities, which the reading runs only when a place needs them
    "j'adore les recettes de Cyril Lignac, je suis au RSA à Laval",
    "Bonjour, Saint-Nazaire, RSA, je veux le permis",
]

_PARSE_ALL = """
import asyncio, json, sys
from rasa.core.agent import Agent

agent = Agent.load(sys.argv[1])
texts = json.load(sys.stdin)

async def parse_all():
    return [(await agent.parse_message(text)).get("lecture") for text in texts]

print()
print("READINGS", json.dumps(asyncio.run(parse_all())))
"""


@pytest.mark.model  # the trained model and ~380 parses: about 40 s
def test_the_reading_in_rasa_is_the_reading_of_the_text(reader):
    from rasa.shared.nlu.training_data.loading import load_data

    model = next((ROOT / "models").glob("*.tar.gz"), None)
    if model is None:
        pytest.fail("No trained model in models/: run `make train` (make test does it).")
    heldout = load_data(str(ROOT / "tests" / "nlu" / "heldout.yml")).training_examples
    texts = PARSED + [m.get("text") for m in heldout]
    in_rasa = run_on_model(_PARSE_ALL, model, texts, "READINGS")
    expected = [json.loads(json.dumps(reader.read(text).as_dict())) for text in texts]
    differ = [(t, r, e) for t, r, e in zip(texts, in_rasa, expected, strict=True) if r != e]
    assert not differ, differ[:3]


_LANGUAGES = """
import gc, sys
from rasa.core.agent import Agent
from spacy.language import Language

agent = Agent.load(sys.argv[1])
print()
print("LANGUAGES", sum(isinstance(o, Language) for o in gc.get_objects()))
"""


@pytest.mark.model
def test_the_rasa_server_holds_one_spacy_model():
    """Rasa's graph has a node that provides the spaCy model and one that runs it; each
    loaded its own copy (337 MB) until rasa_server.spacy_model shared it."""
    model = next((ROOT / "models").glob("*.tar.gz"), None)
    if model is None:
        pytest.fail("No trained model in models/: run `make train` (make test does it).")
    assert run_on_model(_LANGUAGES, model, [], "LANGUAGES") == 1
