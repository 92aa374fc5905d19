"""Invariants of any valid knowledge base, checked on knowledge/ as it is today.

Each invariant is a function of the loaded base that returns what breaks it
(nothing: it holds). None counts platforms, services or prescribers, names an
id or pins a date: a coordinator may add, remove or edit them, and a test
fails only when a rule of docs/orientation-rules.md or of the source is
broken. `BREAKAGES` breaks a copy of the base on purpose for each invariant
and checks that the invariant sees it, so that none holds by construction.

Already refused by the loader, and tested in tests/test_loader_errors.py:
duplicate ids, an unknown prescriber, glossary term or geographic code, a
service's extract missing from its platform's fiche or a fiche row without a
service, description words absent from the extract, two entry points on one
platform, a service on prescription whose access conditions do not say so.
The rules the engine applies to the data (a strict public refuses, an
indicative one asks to check…) are tested on a small knowledge base written by
the test itself: tests/test_knowledge_rules.py.

"The seed" is the 2017 Cerema study under ../shared/seed/; the tests that
read it are skipped where it is absent.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from kbfixture import COMMUNES, platform, service, write_platform

from orientation import vocabulary as voc
from orientation.knowledge.loader import Knowledge, load_knowledge, words_not_in_source
from orientation.knowledge.schema import ConditionAge, ConditionSituation, PlateformeImportee, phone_e164
from orientation.language.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
# Where the files a source cites ("shared/seed/…", "shared/reference/…") live.
CITED_ROOTS = [ROOT.parent, Path("/work")]
SEED_PREFIX = "shared/seed/"
SEED_FILES = sorted({p for base in CITED_ROOTS for p in (base / SEED_PREFIX).glob("*.md")})
needs_seed = pytest.mark.skipif(not SEED_FILES, reason="shared/seed absent (only beside a checkout)")

PRESCRIPTION_MARK = re.compile(r"\((?:p|prescription)\)")
PHONE = re.compile(r"(?:\+33|\b0)[1-9](?:[ .-]?\d{2}){4}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]«»\"']+", re.I)
CITED_PATH = re.compile(r"\b(?:shared|knowledge|docs)/[\w./-]+\.\w+")
CONTACT_LABELS = {
    "telephone": "téléphone",
    "courriel": "courriel",
    "adresse": "adresse",
    "site_web": "site web",
}


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(KNOWLEDGE)


# ------------------------------------------------------------------ helpers


def one_line(text: str) -> str:
    return " ".join(text.split())


def seed_format(plateforme) -> bool:
    """Written from a study's table (a fiche, quoted cells), not imported from data·inclusion."""
    return not isinstance(plateforme, PlateformeImportee)


def cites_seed(plateforme) -> bool:
    return (plateforme.source.fichier or "").startswith(SEED_PREFIX)


def cited_file(relative: str) -> Path | None:
    return next((base / relative for base in CITED_ROOTS if (base / relative).is_file()), None)


def stems(text: str) -> set[str]:
    return {w.rstrip("sx") for w in normalize(text).split() if len(w) > 2}


def strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def contact_details(text: str) -> set[str]:
    """Phone numbers (E.164), e-mail addresses and web addresses in a text, normalized."""
    found = {phone_e164(m) or m for m in PHONE.findall(text)}
    found |= {m.lower().rstrip(".") for m in EMAIL.findall(text)}
    found |= {re.sub(r"^(https?://)?(www\.)?", "", m.lower()).rstrip("/.") for m in URL.findall(text)}
    return found


def seed_table(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """The seed's "plate-formes ligériennes" tables: column names and, per row, its cells."""
    columns, rows = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and not columns:
            columns = [re.sub(r"</?b>", "", c).strip() for c in line.split("\t")[1:]]
        match = re.match(r"<i>(.*?)</i>\t(.*)", line)
        if match:
            rows[match.group(1)] = match.group(2).split("\t")
    return columns, rows


def seed_cell(cell: str) -> str:
    """A seed cell as the YAML keeps it (tags and the PDF's spacing removed)."""
    cell = re.sub(r"\s*<sup>(.*?)</sup>", r"\1", cell)
    cell = re.sub(r"</?(b|i|p)>", "", cell)
    cell = re.sub(r"\s+,", ",", cell)
    cell = re.sub(r"(\w')\s+", r"\1", cell)
    return one_line(cell)


# ------------------------------------------------------------ the invariants
# Each returns the list of what breaks it.


def prescribed_exactly_where_the_source_marks_it(k: Knowledge) -> list[str]:
    """Rules §6: "oui" where the cell marks "(p)" or "(prescription)", for the words the mark follows.

    A cell naming two services ("Diagnostics mobilité (p) et ateliers
    mobilité") prescribes the one quoted before its mark, not the other.
    """
    problems = []
    for _, s in k.services():
        if s.extrait_source is None:
            continue
        parts = PRESCRIPTION_MARK.split(s.extrait_source)[:-1]  # the text before each mark
        marked = any(not words_not_in_source(s.description, part) for part in parts)
        if marked != (s.prescription == "oui"):
            problems.append(f"{s.id}: prescription {s.prescription}, cell « {s.extrait_source} »")
    return problems


def never_direct_where_the_source_never_says_it(k: Knowledge) -> list[str]:
    """Rules §6: "non" only where a source says access is direct; the 2017 seed never does."""
    return [f"{s.id}: prescription non" for p, s in k.services() if cites_seed(p) and s.prescription == "non"]


def prescribed_services_are_for_people_and_say_who_prescribes(k: Knowledge) -> list[str]:
    """A professional prescribes a service to a person; unnamed prescribers are listed as unknown."""
    problems = []
    for p, s in k.services():
        if s.prescription != "oui":
            continue
        if s.destinataires != "personnes":
            problems.append(f"{s.id}: on prescription but for {s.destinataires}")
        said = any(re.search(r"prescripteurs?\b.*non précisé", i, re.I) for i in s.inconnu)
        if seed_format(p) and not s.prescripteurs and not said:
            problems.append(f"{s.id}: no prescriber named, and `inconnu` does not say so")
    return problems


def public_is_the_source_words(k: Knowledge) -> list[str]:
    return [
        f"{p.id}: public « {p.public.texte} » is not in the fiche's « {one_line(p.fiche.public_vise)} »"
        for p in k.plateformes
        if seed_format(p) and one_line(p.public.texte) not in one_line(p.fiche.public_vise)
    ]


def strict_public_is_not_widened_by_a_service(k: Knowledge) -> list[str]:
    """Rules §4: a strict public (the source excludes the others) stays so for every service."""
    return [
        f"{s.id}: opens {sorted(set(c.values) - set(p.public.situations))} on a strict public"
        for p, s in k.services()
        if p.public.restriction == "stricte"
        for c in s.conditions
        if c.type == "situation" and not set(c.values) <= set(p.public.situations)
    ]


def insertion_publics_are_the_insertion_situations(k: Knowledge) -> list[str]:
    """Rules §4: "publics en insertion" are exactly the insertion situations."""
    return [
        f"{p.id}: « {p.public.texte} » but situations {p.public.situations}"
        for p in k.plateformes
        if "publics en insertion" in normalize(p.public.texte or "")
        and tuple(p.public.situations) != voc.INSERTION_SITUATIONS
    ]


def criteria_left_to_services_are_said_unknown(k: Knowledge) -> list[str]:
    """Where the source says "critères selon services", the platform says they are unknown."""
    return [
        f"{p.id}: « selon services » without an unknown saying so"
        for p in k.plateformes
        if "selon services" in (p.public.texte or "")
        and not any("selon services" in item for item in p.inconnu)
    ]


def territory_quotes_the_source_perimeter(k: Knowledge) -> list[str]:
    return [
        f"{p.id}: precision does not quote « {one_line(p.fiche.perimetre)} »"
        for p in k.plateformes
        if seed_format(p)
        and f"« {one_line(p.fiche.perimetre)} »" not in one_line(p.territoire.precision or "")
    ]


def departement_platforms_cover_their_departement(k: Knowledge) -> list[str]:
    """A "CD nn" column is département nn; a "Département" perimeter is département codes, and only it."""
    problems = []
    for p in k.plateformes:
        if not seed_format(p):
            continue
        zone = p.territoire.zone_eligibilite
        column = re.fullmatch(r"CD (\d{2}|2[AB])", p.nom_seed or "")
        if column and zone != [column.group(1)]:
            problems.append(f"{p.id}: column {p.nom_seed} but zone {zone}")
        departements = all(len(code) in (2, 3) for code in zone)
        if ("departement" in normalize(p.fiche.perimetre)) != departements:
            problems.append(f"{p.id}: perimeter « {p.fiche.perimetre} » but zone {zone}")
    return problems


def epci_mapping_is_said_to_be_ours(k: Knowledge) -> list[str]:
    """The seed names no EPCI: mapping its words to one is our reading, and the precision says so."""
    return [
        f"{p.id}: zone {p.territoire.zone_eligibilite} without saying the mapping is ours"
        for p in k.plateformes
        if seed_format(p)
        and any(len(code) == 9 for code in p.territoire.zone_eligibilite)
        and "nôtre" not in (p.territoire.precision or "")
    ]


def approximate_territory_is_a_caveat(k: Knowledge) -> list[str]:
    """Rules §8: an approximate perimeter ("~ Département") is a caveat the person reads."""
    problems = []
    for p in k.plateformes:
        if seed_format(p) and p.fiche.perimetre.lstrip().startswith("~"):
            quote = f"« {one_line(p.fiche.perimetre)} »"
            if not any(quote in a for a in p.avertissements):
                problems.append(f"{p.id}: approximate perimeter {quote} not among the caveats")
    return problems


def porteur_and_networks_are_the_source_words(k: Knowledge) -> list[str]:
    """The porteur is the fiche's; a network is listed exactly when the porteur is of it."""
    problems = []
    for p in k.plateformes:
        if not seed_format(p):
            continue
        porteur = p.fiche.gestion.porteur
        if not stems(porteur) <= stems(p.porteur):
            problems.append(f"{p.id}: porteur « {p.porteur} » is not the fiche's « {porteur} »")
        of_porteur = {code for code, label in voc.RESEAUX_PORTEURS.items() if stems(label) <= stems(porteur)}
        if set(p.reseaux_porteurs) != of_porteur:
            problems.append(f"{p.id}: networks {p.reseaux_porteurs}, porteur « {porteur} »")
    return problems


def indicative_conditions_quote_the_source(k: Knowledge) -> list[str]:
    """Rules §4: an indicative condition ("pour adultes") is the source's own words."""
    return [
        f"{s.id}: « {c.texte_source} » is not in « {s.extrait_source} »"
        for _, s in k.services()
        if s.extrait_source is not None
        for c in s.conditions
        if getattr(c, "stricte", True) is False and c.texte_source not in s.extrait_source
    ]


def every_platform_for_people_has_one_entry_point(k: Knowledge) -> list[str]:
    """Rules §5: a vague need, or none answered, goes to each covering platform's entry point."""
    return [
        f"{p.id}: {len([s for s in p.services if s.porte_entree])} entry points"
        for p in k.plateformes
        if seed_format(p)
        and any(s.destinataires == "personnes" for s in p.services)
        and len([s for s in p.services if s.porte_entree and s.destinataires == "personnes"]) != 1
    ]


def unknown_contact_fields_are_said(k: Knowledge) -> list[str]:
    """The contact fields left empty are exactly those the "Coordonnées" unknown names."""
    problems = []
    for p in k.plateformes:
        empty = {CONTACT_LABELS[f] for f, v in p.contact.dict().items() if not v}
        lines = [i for i in p.inconnu if i.startswith("Coordonnées")]
        said = {label for label in CONTACT_LABELS.values() for line in lines if label in line}
        if empty != said:
            problems.append(f"{p.id}: empty {sorted(empty)}, said unknown {sorted(said)}")
    return problems


def information_is_not_older_than_its_source(k: Knowledge) -> list[str]:
    problems = []
    for p in k.plateformes:
        if not (seed_format(p) and p.source.date):
            continue
        dated = [(p.id, p.date_maj)] + [(s.id, s.date_maj) for s in p.services]
        problems += [
            f"{what}: {day} before its source ({p.source.date})" for what, day in dated if day < p.source.date
        ]
    return problems


def every_situation_has_a_prescriber_and_anyone_a_default(k: Knowledge) -> list[str]:
    """Rules §7: whoever the person is, someone can be named (one default for whom none fits)."""
    problems = [
        f"situation {s}: no prescriber"
        for s in voc.SITUATIONS
        if not any(s in p.situations for p in k.prescripteurs)
    ]
    defaults = [p.id for p in k.prescripteurs if p.par_defaut]
    if len(defaults) != 1:
        problems.append(f"default prescribers: {defaults}")
    return problems


def every_term_is_found_by_its_own_names(k: Knowledge) -> list[str]:
    """Asking "c'est quoi <name> ?" finds that term, for its name and each synonym, and no other
    (the reader's lexicon, on spaCy's French tokens)."""
    import spacy

    from orientation.knowledge.terms import named_terms
    from orientation.language.reading.lexicon import Lexicon, words_of
    from orientation.language.reading.reader import Message

    lexicon = Lexicon.load({term: names for term, (names, _) in named_terms(k).items()})
    tokenizer = spacy.blank("fr")
    problems = []
    for term in k.glossaire:
        for name in (term.terme, *term.synonymes):
            words = words_of(tokenizer(f"c'est quoi {name} ?"))
            asked = Message("", None, words, lexicon.matches(words)).asked_term
            if asked is None or asked.code != term.id:
                problems.append(f"« {name} » finds {asked and asked.code}, not {term.id}")
    return problems


def no_name_belongs_to_two_terms(k: Knowledge) -> list[str]:
    owner, problems = {}, []
    for term in k.glossaire:
        for name in {normalize(n) for n in (term.terme, *term.synonymes)}:
            if name in owner:
                problems.append(f"« {name} »: {owner[name]} and {term.id}")
            owner[name] = term.id
    return problems


INVARIANTS = [
    prescribed_exactly_where_the_source_marks_it,
    never_direct_where_the_source_never_says_it,
    prescribed_services_are_for_people_and_say_who_prescribes,
    public_is_the_source_words,
    strict_public_is_not_widened_by_a_service,
    insertion_publics_are_the_insertion_situations,
    criteria_left_to_services_are_said_unknown,
    territory_quotes_the_source_perimeter,
    departement_platforms_cover_their_departement,
    epci_mapping_is_said_to_be_ours,
    approximate_territory_is_a_caveat,
    porteur_and_networks_are_the_source_words,
    indicative_conditions_quote_the_source,
    every_platform_for_people_has_one_entry_point,
    unknown_contact_fields_are_said,
    information_is_not_older_than_its_source,
    every_situation_has_a_prescriber_and_anyone_a_default,
    every_term_is_found_by_its_own_names,
    no_name_belongs_to_two_terms,
]


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda f: f.__name__)
def test_invariant_holds(knowledge, invariant):
    assert invariant(knowledge) == []


# Invariants over the files a source cites (the seed): skipped without shared/.


def source_texts(k: Knowledge) -> str:
    files = set(SEED_FILES) | {cited_file(p.source.fichier) for p in k.plateformes if p.source.fichier}
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f)


def contact_details_come_from_a_cited_source(k: Knowledge) -> list[str]:
    """No invented phone number, e-mail or web address: each is copied from a source the base cites."""
    known = contact_details(source_texts(k))
    documents = [p.dict() for p in k.plateformes] + [x.dict() for x in (*k.prescripteurs, *k.glossaire)]
    return sorted({d for text in strings(documents) for d in contact_details(text) if d not in known})


def cited_files_exist(k: Knowledge) -> list[str]:
    texts = [p.source.fichier or "" for p in k.plateformes] + [
        x.source for x in (*k.prescripteurs, *k.glossaire)
    ]
    return sorted({path for text in texts for path in CITED_PATH.findall(text) if not cited_file(path)})


def fiche_is_the_seed_word_for_word(k: Knowledge) -> list[str]:
    """A platform citing the seed keeps its column's every row word for word, and only one platform claims a column."""
    problems = []
    claimed = {}
    for p in k.plateformes:
        path = cited_file(p.source.fichier) if cites_seed(p) else None
        if path is None:
            continue
        columns, rows = seed_table(path)
        if p.nom_seed not in columns:
            problems.append(f"{p.id}: « {p.nom_seed} » is no column of the seed ({columns})")
            continue
        if p.nom_seed in claimed:
            problems.append(f"{p.id}: column « {p.nom_seed} » already holds {claimed[p.nom_seed]}")
        claimed[p.nom_seed] = p.id
        index, f = columns.index(p.nom_seed), p.fiche
        ours = {
            "lancement": f.lancement,
            "origine": f.origine,
            "suite donnée": f.suite_donnee,
            "gestion": f"Porteur : {f.gestion.porteur} {f.gestion.gouvernance}",
            "public visé": f.public_vise,
            "périmètre": f.perimetre,
            "personnel dédié": f.personnel_dedie,
            "budget": f.budget,
            "sources financières": ", ".join(f.sources_financieres),
            "bilan": f.bilan,
        }
        for row, text in ours.items():
            if one_line(text) != seed_cell(rows[row][index]):
                problems.append(f"{p.id}: row « {row} » differs from the seed")
        cells = re.findall(r"<p>(.*?)</p>", rows["services de la plateforme"][index])
        if [one_line(c) for c in f.services] != [seed_cell(c) for c in cells]:
            problems.append(f"{p.id}: the services row differs from the seed")
    return problems


SOURCE_INVARIANTS = [
    contact_details_come_from_a_cited_source,
    cited_files_exist,
    fiche_is_the_seed_word_for_word,
]


@needs_seed
@pytest.mark.parametrize("invariant", SOURCE_INVARIANTS, ids=lambda f: f.__name__)
def test_invariant_holds_against_the_sources(knowledge, invariant):
    assert invariant(knowledge) == []


@needs_seed
def test_adding_a_contact_copied_from_the_seed_breaks_nothing(knowledge):
    """A coordinator's legitimate edit: a phone number from the source, and the unknowns updated."""
    number = phone_e164(PHONE.findall("\n".join(f.read_text(encoding="utf-8") for f in SEED_FILES))[0])

    def add_phone(p):
        unknown = [i for i in p.inconnu if not i.startswith("Coordonnées")]
        return {
            "contact": _sub(p.contact, telephone=number),
            "inconnu": [*unknown, "Coordonnées non fournies par la source : courriel, adresse, site web"],
        }

    edited = _platform(knowledge, lambda p: not p.contact.telephone, add_phone)
    assert [(f.__name__, f(edited)) for f in INVARIANTS + SOURCE_INVARIANTS if f(edited)] == []


def test_adding_a_platform_breaks_nothing(tmp_path, knowledge):
    """A coordinator's legitimate edit: a new platform file (from another source, in another département)."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root, ignore=shutil.ignore_patterns("communes"))
    services = [
        service("nouvelle", "Bilans mobilité (p)", prescription="oui", porte_entree=True),
        service("nouvelle", "Garage solidaire", besoins=["reparation"]),
    ]
    write_platform(root, platform("nouvelle", ["01"], services))
    edited = load_knowledge(root, communes_dir=COMMUNES)
    assert len(edited.plateformes) == len(knowledge.plateformes) + 1
    checks = INVARIANTS + (SOURCE_INVARIANTS if SEED_FILES else [])
    assert [(f.__name__, f(edited)) for f in checks if f(edited)] == []


# ------------------------------------------- each invariant can fail
# A copy of the base, broken on purpose; the target is chosen by what it is,
# never by id, so that these still run on tomorrow's knowledge base.


def _sub(model, **changes):
    return model.copy(update=changes)


def _platform(k: Knowledge, pick, change) -> Knowledge:
    """The first platform `pick` accepts, updated with `change(platform)`."""
    target = next((p for p in k.plateformes if pick(p)), None)
    if target is None:
        pytest.skip("no platform of the knowledge base fits this breakage")
    plateformes = [_sub(p, **change(p)) if p is target else p for p in k.plateformes]
    return Knowledge(plateformes, k.prescripteurs, k.glossaire)


def _service(k: Knowledge, pick, change) -> Knowledge:
    """The first service `pick(platform, service)` accepts, updated with `change(platform, service)`."""
    target = next(((p, s) for p, s in k.services() if pick(p, s)), None)
    if target is None:
        pytest.skip("no service of the knowledge base fits this breakage")
    platform, service = target
    services = [_sub(s, **change(platform, s)) if s is service else s for s in platform.services]
    return _platform(k, lambda p: p is platform, lambda p: {"services": services})


def _marked(s) -> bool:
    return bool(s.extrait_source and PRESCRIPTION_MARK.search(s.extrait_source))


def _fiche(p, **changes) -> dict:
    return {"fiche": _sub(p.fiche, **changes)}


def _any(p, *args) -> bool:
    return True


SITUATION_OUTSIDE = ConditionSituation(type="situation", values=["salarie"])
AGE_NOT_QUOTED = ConditionAge(
    type="age", operator=">=", value=60, stricte=False, texte_source="pour les seniors"
)

BREAKAGES = [
    (
        "a prescribed service made non_precise",
        prescribed_exactly_where_the_source_marks_it,
        lambda k: _service(
            k,
            lambda p, s: s.prescription == "oui" and _marked(s),
            lambda p, s: {"prescription": "non_precise"},
        ),
    ),
    (
        "an unmarked cell's service made prescribed",
        prescribed_exactly_where_the_source_marks_it,
        lambda k: _service(
            k, lambda p, s: s.extrait_source and not _marked(s), lambda p, s: {"prescription": "oui"}
        ),
    ),
    (
        "a seed service said to be direct access",
        never_direct_where_the_source_never_says_it,
        lambda k: _service(k, lambda p, s: cites_seed(p), lambda p, s: {"prescription": "non"}),
    ),
    (
        "a prescribed service for professionals",
        prescribed_services_are_for_people_and_say_who_prescribes,
        lambda k: _service(
            k, lambda p, s: s.prescription == "oui", lambda p, s: {"destinataires": "professionnels"}
        ),
    ),
    (
        "a prescribed service that no longer says its prescribers are unknown",
        prescribed_services_are_for_people_and_say_who_prescribes,
        lambda k: _service(
            k,
            lambda p, s: s.prescription == "oui" and seed_format(p) and not s.prescripteurs,
            lambda p, s: {"inconnu": []},
        ),
    ),
    (
        "a public text not in the fiche",
        public_is_the_source_words,
        lambda k: _platform(k, seed_format, lambda p: {"public": _sub(p.public, texte="Tous publics")}),
    ),
    (
        "a service opening a strict public to salariés",
        strict_public_is_not_widened_by_a_service,
        lambda k: _platform(
            k,
            _any,
            lambda p: {
                "public": _sub(p.public, restriction="stricte", situations=["rsa"]),
                "services": [_sub(p.services[0], conditions=[SITUATION_OUTSIDE]), *p.services[1:]],
            },
        ),
    ),
    (
        "publics en insertion read as RSA only",
        insertion_publics_are_the_insertion_situations,
        lambda k: _platform(
            k, _any, lambda p: {"public": _sub(p.public, texte="Publics en insertion", situations=["rsa"])}
        ),
    ),
    (
        "criteria left to services, not said unknown",
        criteria_left_to_services_are_said_unknown,
        lambda k: _platform(
            k,
            _any,
            lambda p: {
                "public": _sub(p.public, texte="Publics en insertion (critères selon services)"),
                "inconnu": [i for i in p.inconnu if "selon services" not in i],
            },
        ),
    ),
    (
        "a precision that does not quote the perimeter",
        territory_quotes_the_source_perimeter,
        lambda k: _platform(
            k, seed_format, lambda p: {"territoire": _sub(p.territoire, precision="Le département.")}
        ),
    ),
    (
        "a CD column covering another département",
        departement_platforms_cover_their_departement,
        lambda k: _platform(
            k,
            seed_format,
            lambda p: {
                "nom_seed": "CD 01",
                "territoire": _sub(p.territoire, zone_eligibilite=["02"]),
                **_fiche(p, perimetre="Département"),
            },
        ),
    ),
    (
        "a Département perimeter mapped to an EPCI",
        departement_platforms_cover_their_departement,
        lambda k: _platform(
            k,
            seed_format,
            lambda p: {
                "nom_seed": "Agglo",
                "territoire": _sub(p.territoire, zone_eligibilite=["123456789"]),
                **_fiche(p, perimetre="Département"),
            },
        ),
    ),
    (
        "an EPCI mapping not said to be ours",
        epci_mapping_is_said_to_be_ours,
        lambda k: _platform(
            k,
            seed_format,
            lambda p: {
                "territoire": _sub(p.territoire, zone_eligibilite=["123456789"], precision="Agglomération.")
            },
        ),
    ),
    (
        "an approximate perimeter without its caveat",
        approximate_territory_is_a_caveat,
        lambda k: _platform(
            k, seed_format, lambda p: {"avertissements": [], **_fiche(p, perimetre="~ Département")}
        ),
    ),
    (
        "a Wimoov porteur without the wimoov network",
        porteur_and_networks_are_the_source_words,
        lambda k: _platform(
            k,
            seed_format,
            lambda p: {
                "porteur": "Wimoov",
                "reseaux_porteurs": [],
                **_fiche(p, gestion=_sub(p.fiche.gestion, porteur="Wimoov")),
            },
        ),
    ),
    (
        "a network its porteur is not of",
        porteur_and_networks_are_the_source_words,
        lambda k: _platform(k, seed_format, lambda p: {"reseaux_porteurs": [*p.reseaux_porteurs, "adie"]}),
    ),
    (
        "an indicative condition the cell does not say",
        indicative_conditions_quote_the_source,
        lambda k: _service(
            k,
            lambda p, s: s.extrait_source and s.destinataires == "personnes",
            lambda p, s: {"conditions": [AGE_NOT_QUOTED]},
        ),
    ),
    (
        "a platform without its entry point",
        every_platform_for_people_has_one_entry_point,
        lambda k: _platform(
            k,
            lambda p: seed_format(p) and any(s.porte_entree for s in p.services),
            lambda p: {"services": [_sub(s, porte_entree=False) for s in p.services]},
        ),
    ),
    (
        "a phone number added, still said unknown",
        unknown_contact_fields_are_said,
        lambda k: _platform(
            k,
            lambda p: not p.contact.telephone,
            lambda p: {"contact": _sub(p.contact, telephone="+33240128481")},
        ),
    ),
    (
        "a service dated before its source",
        information_is_not_older_than_its_source,
        lambda k: _service(
            k,
            lambda p, s: seed_format(p) and p.source.date,
            lambda p, s: {"date_maj": p.source.date - timedelta(days=1)},
        ),
    ),
    (
        "no default prescriber",
        every_situation_has_a_prescriber_and_anyone_a_default,
        lambda k: Knowledge(k.plateformes, [_sub(p, par_defaut=False) for p in k.prescripteurs], k.glossaire),
    ),
    (
        "a situation nobody prescribes for",
        every_situation_has_a_prescriber_and_anyone_a_default,
        lambda k: Knowledge(
            k.plateformes,
            [_sub(p, situations=[x for x in p.situations if x != "rsa"]) for p in k.prescripteurs],
            k.glossaire,
        ),
    ),
    (
        "a term whose synonym is another term's name",
        no_name_belongs_to_two_terms,
        lambda k: Knowledge(
            k.plateformes,
            k.prescripteurs,
            [_sub(k.glossaire[0], synonymes=[*k.glossaire[0].synonymes, k.glossaire[1].terme.lower()])]
            + k.glossaire[1:],
        ),
    ),
    (
        "a term hidden behind another one's name",
        every_term_is_found_by_its_own_names,
        lambda k: Knowledge(
            k.plateformes, k.prescripteurs, [*k.glossaire, _sub(k.glossaire[0], id="copie", synonymes=[])]
        ),
    ),
]

SOURCE_BREAKAGES = [
    (
        "an invented phone number",
        contact_details_come_from_a_cited_source,
        lambda k: _platform(k, _any, lambda p: {"contact": _sub(p.contact, telephone="+33243123456")}),
    ),
    (
        "an invented web address in a description",
        contact_details_come_from_a_cited_source,
        lambda k: _platform(k, _any, lambda p: {"description": "Voir https://plateforme.example.org."}),
    ),
    (
        "a prescriber citing a file that does not exist",
        cited_files_exist,
        lambda k: Knowledge(
            k.plateformes,
            [_sub(k.prescripteurs[0], source="Voir shared/reference/absent.md.")] + k.prescripteurs[1:],
            k.glossaire,
        ),
    ),
    (
        "a fiche row changed",
        fiche_is_the_seed_word_for_word,
        lambda k: _platform(k, cites_seed, lambda p: _fiche(p, budget="~ 1 €")),
    ),
    (
        "a platform claiming no column of the seed",
        fiche_is_the_seed_word_for_word,
        lambda k: _platform(k, cites_seed, lambda p: {"nom_seed": "CD 99"}),
    ),
]


@pytest.mark.parametrize("what, invariant, breakage", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_each_invariant_fails_on_a_broken_copy(knowledge, what, invariant, breakage):
    assert invariant(knowledge) == []
    assert invariant(breakage(knowledge)), f"{invariant.__name__} did not see: {what}"


@needs_seed
@pytest.mark.parametrize("what, invariant, breakage", SOURCE_BREAKAGES, ids=[b[0] for b in SOURCE_BREAKAGES])
def test_each_source_invariant_fails_on_a_broken_copy(knowledge, what, invariant, breakage):
    assert invariant(knowledge) == []
    assert invariant(breakage(knowledge)), f"{invariant.__name__} did not see: {what}"


def test_every_invariant_has_a_breakage():
    broken = {b[1] for b in BREAKAGES + SOURCE_BREAKAGES}
    assert [f.__name__ for f in INVARIANTS + SOURCE_INVARIANTS if f not in broken] == []
