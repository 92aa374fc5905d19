"""One concept, one description: the engine's model is the validated documents, copied by name.

Every field of a schema model is either a field of the engine's model (copied by
`snapshot.copied`, no hand mapping) or listed in `snapshot.NOT_FOR_THE_ENGINE` with
the reason. A field added to the schema without that decision fails here, before a
service silently loses it on its way to the person.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pytest

from orientation.engine.model import Platform, Prescriber, Service
from orientation.knowledge import schema, store
from orientation.knowledge.snapshot import NOT_FOR_THE_ENGINE, copied

PAIRS = [
    ("Service", (schema.Service, schema.ServiceImporte), Service),
    ("Plateforme", (schema.Plateforme, schema.PlateformeImportee), Platform),
    ("Prescripteur", (schema.Prescripteur,), Prescriber),
]


@pytest.mark.parametrize("name, models, engine_model", PAIRS, ids=[p[0] for p in PAIRS])
def test_every_schema_field_reaches_the_engine_or_says_why_not(name, models, engine_model):
    engine_fields = {f.name for f in fields(engine_model)}
    skipped = NOT_FOR_THE_ENGINE[name]
    schema_fields = {f for model in models for f in model.__fields__}
    undecided = sorted(schema_fields - engine_fields - set(skipped))
    assert (
        not undecided
    ), f"{name}: fields neither in engine.model.{engine_model.__name__} nor skipped: {undecided}"
    stale = sorted(set(skipped) - schema_fields)
    assert not stale, f"{name}: NOT_FOR_THE_ENGINE lists fields the schema no longer has: {stale}"
    both = sorted(set(skipped) & engine_fields)
    assert not both, f"{name}: both copied and skipped: {both}"


def test_copied_takes_every_field_by_name_and_keeps_defaults():
    @dataclass(frozen=True)
    class Model:
        id: str
        horaires: str | None
        mots: tuple[str, ...] = ()
        ouvert: bool = False

    built = copied(Model, {"id": "x", "horaires": "9h-12h", "mots": ["a", "b"], "autre": 1, "ouvert": None})
    assert built == Model(id="x", horaires="9h-12h", mots=("a", "b"), ouvert=False)
    assert copied(Model, {"id": "x"}, horaires="derived").horaires == "derived"
    assert copied(Model, {"id": "x"}).horaires is None


def test_the_engine_sees_every_copied_field_of_every_document(kb_url, snapshot):
    """Over the whole base: each same-named field holds the document's value."""
    engine = store.connect(kb_url)
    try:
        docs = {r["id"]: r["document"] for r in store.read_all(engine, store.PlateformeRow)}
        prescriber_docs = {r["id"]: r["document"] for r in store.read_all(engine, store.PrescripteurRow)}
    finally:
        engine.dispose()

    def check(obj, doc):
        for f in fields(obj):
            if f.name in doc and doc[f.name] is not None and f.name not in ("conditions", "services"):
                value = getattr(obj, f.name)
                expected = tuple(doc[f.name]) if isinstance(doc[f.name], list) else doc[f.name]
                if isinstance(value, tuple) and expected and isinstance(expected[0], dict):
                    continue
                assert value == expected, (obj.id, f.name)

    assert docs and prescriber_docs
    for platform in snapshot.platforms:
        check(platform, docs[platform.id])
        service_docs = {s["id"]: s for s in docs[platform.id]["services"]}
        assert {s.id for s in platform.services} == set(service_docs)
        for service in platform.services:
            check(service, service_docs[service.id])
            own = [c for c in service_docs[service.id].get("conditions") or ()]
            assert len(service.conditions) >= len(own)
    for prescriber in snapshot.prescribers:
        check(prescriber, prescriber_docs[prescriber.id])
