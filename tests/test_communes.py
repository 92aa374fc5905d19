"""Commune resolution on the committed all-France data (knowledge/communes/*.csv).

Every expected INSEE code below was checked against communes.csv /
anciens_noms.csv (test_expected_codes_name_the_communes_we_mean keeps them honest).
"""

import importlib.util
import time
from pathlib import Path

import pytest

from orientation.language.communes import AMBIGUOUS, FOUND, UNKNOWN
from orientation.language.normalize import normalize
from orientation.territory import load_communes

ROOT = Path(__file__).resolve().parent.parent

# code_insee → (nom, département) as in communes.csv
EXPECTED = {
    "53130": ("Laval", "53"),
    "53062": ("Château-Gontier-sur-Mayenne", "53"),
    "49092": ("Chemillé-en-Anjou", "49"),
    "44184": ("Saint-Nazaire", "44"),
    "72264": ("Sablé-sur-Sarthe", "72"),
    "44109": ("Nantes", "44"),
    "93066": ("Saint-Denis", "93"),
    "97411": ("Saint-Denis", "974"),
    "75056": ("Paris", "75"),
    "49023": ("Beaupréau-en-Mauges", "49"),
    "49218": ("Montrevault-sur-Èvre", "49"),
    "72181": ("Le Mans", "72"),
    "85194": ("Les Sables-d'Olonne", "85"),
    "76255": ("Eu", "76"),
    "08105": ("Charleville-Mézières", "08"),
}


@pytest.fixture(scope="module")
def data():
    return load_communes(ROOT / "knowledge" / "communes")


@pytest.fixture(scope="module")
def index(communes_index):
    return communes_index  # the index the reader uses


def test_all_france_is_loaded(data):
    communes, aliases = data
    assert len(communes) > 34_000
    assert len({c.code_insee for c in communes}) == len(communes)
    assert ("Chemillé", "49092") in aliases
    assert ("Paris 11e Arrondissement", "75056") in aliases


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_expected_codes_name_the_communes_we_mean(index, code):
    commune = index.by_code(code)
    assert (commune.nom, commune.departement) == EXPECTED[code]


def test_commune_carries_its_departement_and_epci(index):
    laval = index.by_code("53130")
    assert laval.label() == "Laval (Mayenne, 53)"
    assert laval.codes_postaux == ("53000",)
    assert laval.epci_siren == "200083392" and laval.epci_nom
    assert laval.population > 0


FOUND_CASES = [
    ("Laval", "53130", "exact name"),
    ("laval", "53130", "lower case"),
    ("laval 53", "53130", "name and département code"),
    ("Laval (Mayenne)", "53130", "name and département name"),
    ("53000", "53130", "postal code of one commune"),
    ("53000 Laval", "53130", "postal code before the name"),
    ("44109", "44109", "INSEE code that is no postal code"),
    ("Chateau Gontier", "53062", "old name (commune déléguée), no accent, space for hyphen"),
    ("Château-Gontier 53", "53062", "old name with département"),
    ("Chateau-Gontier-sur-Mayenne", "53062", "current name without accents"),
    ("Chemillé", "49092", "Chemillé is now Chemillé-en-Anjou"),
    ("chemille", "49092", "old name without accent"),
    ("Sablé sur Sarte", "72264", "typo and spaces in a long name"),
    ("Lavall", "53130", "one letter too many"),
    ("fontevraud", "49140", "the only name that starts so (Fontevraud-l'Abbaye)"),
    ("Nantes", "44109", "big city"),
    ("Saint-Denis 93", "93066", "homonym disambiguated by département code"),
    ("Saint-Denis (974)", "97411", "homonym disambiguated by code in parentheses"),
    ("Saint Denis la Réunion", "97411", "homonym disambiguated by département name"),
    ("75011", "75056", "arrondissement postal code → Paris"),
    ("Paris 11e", "75056", "arrondissement name → Paris"),
    ("j'habite à Laval", "53130", "leading filler"),
    ("a laval", "53130", "leading preposition"),
    ("sur Laval", "53130", "leading 'sur'"),
    ("commune de Laval", "53130", "leading 'commune de'"),
    ("Laval svp", "53130", "trailing politeness"),
    ("Sables d'Olonne", "85194", "name without its article"),
    ("au Mans", "72181", "contracted article"),
]


@pytest.mark.parametrize(
    "query,code", [(q, c) for q, c, _ in FOUND_CASES], ids=[why for _, _, why in FOUND_CASES]
)
def test_found(index, query, code):
    r = index.resolve(query)
    assert (r.status, r.commune.code_insee) == (FOUND, code)
    assert r.candidates == (r.commune,)
    assert r.query == query


DOMINANT_CASES = [
    ("St Nazaire", "44184", "'St' abbreviation; homonyms in 30 and 66 are 25x smaller"),
    ("saint-nazaire", "44184", "hyphens"),
    ("Sant-Nazaire", "44184", "typo on a name with homonyms"),
    ("je vis à saint nazaire", "44184", "leading filler"),
    ("Charleville", "08105", "a village of the Marne, and the start of Charleville-Mézières"),
]


@pytest.mark.parametrize(
    "query,code", [(q, c) for q, c, _ in DOMINANT_CASES], ids=[why for _, _, why in DOMINANT_CASES]
)
def test_ambiguous_with_a_dominant_commune_proposed_first(index, query, code):
    r = index.resolve(query)
    assert r.status == AMBIGUOUS
    assert r.commune.code_insee == code
    assert r.candidates[0] == r.commune and len(r.candidates) >= 2
    assert r.commune.population >= 20 * r.candidates[1].population


def test_shared_postal_code_is_ambiguous(index):
    r = index.resolve("49600")
    assert r.status == AMBIGUOUS and r.commune is None
    assert {c.code_insee for c in r.candidates} == {"49023", "49218"}


def test_homonyms_are_ambiguous_across_departements(index):
    r = index.resolve("Saint-Denis")
    assert r.status == AMBIGUOUS and r.commune is None  # 974 and 93 are of similar size
    assert {"93066", "97411"} <= {c.code_insee for c in r.candidates}
    assert len({c.departement for c in r.candidates}) >= 2
    populations = [c.population for c in r.candidates]
    assert populations == sorted(populations, reverse=True)


def test_every_homonym_is_a_candidate_and_the_departement_decides(index):
    r = index.resolve("Sainte-Colombe")
    homonyms = [c for c in index.all() if c.nom == "Sainte-Colombe"]
    assert r.status == AMBIGUOUS and set(homonyms) <= set(r.candidates)
    assert index.resolve("Sainte-Colombe 69").commune.code_insee == "69189"


def test_a_former_name_also_offers_todays_communes_that_start_with_it(index):
    r = index.resolve("Sainte-Gemmes")  # a former commune of Loir-et-Cher, and two of today
    assert r.status == AMBIGUOUS and r.commune is None
    assert {"49278", "53218"} <= {c.code_insee for c in r.candidates}


def test_a_name_said_by_its_first_word_offers_every_commune_starting_so(index):
    """ "Lassay" is what people call Lassay-les-Châteaux; Lassay-sur-Croisne starts so too."""
    r = index.resolve("lassay")
    assert r.status == AMBIGUOUS and not r.approximate
    for c in r.candidates:
        assert c.nom.split("-")[0] == "Lassay"
    assert {"53127", "41112"} <= {c.code_insee for c in r.candidates}


def test_contradicting_departement_asks_instead_of_claiming_the_name(index):
    r = index.resolve("Laval 44")
    assert r.status == AMBIGUOUS and r.commune is None
    assert [c.code_insee for c in r.candidates] == ["53130"]


def test_close_names_sharing_only_sur_marne_are_suggestions_not_a_match(index):
    r = index.resolve("Chalons s/ Marne")  # Châlons-sur-Marne is now Châlons-en-Champagne
    assert r.status == UNKNOWN and r.commune is None
    assert 0 < len(r.candidates) <= 5


UNKNOWN_CASES = [
    ("xqzkwv", "gibberish"),
    ("<script>alert(1)</script>", "HTML"),
    ("", "empty"),
    ("   ", "blank"),
    ("oui", "a short word"),
    ("Je ne sais pas", "a sentence without a commune"),
    ("98000", "a postal code of Monaco, not France"),
]


@pytest.mark.parametrize("query", [q for q, _ in UNKNOWN_CASES], ids=[why for _, why in UNKNOWN_CASES])
def test_unknown(index, query):
    r = index.resolve(query)
    assert r.status == UNKNOWN and r.commune is None and r.candidates == ()


def test_very_long_input_is_unknown_and_fast(index):
    query = "laval " * 1700  # 10 200 characters
    start = time.perf_counter()
    r = index.resolve(query)
    assert time.perf_counter() - start < 0.05
    assert r.status == UNKNOWN and r.candidates == ()


def test_non_string_input_is_unknown(index):
    assert index.resolve(None).status == UNKNOWN


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Château-Gontier", "chateau gontier"),
        ("St Nazaire", "saint nazaire"),
        ("Ste-Marie", "sainte marie"),
        ("Chalons s/ Marne", "chalons sur marne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Cœur_de.Œuvre", "coeur de oeuvre"),
        ("  ÉVRON  ", "evron"),
        ("", ""),
    ],
    ids=[
        "accents and hyphen",
        "st",
        "ste",
        "s/",
        "apostrophe and tréma",
        "ligatures, dot, underscore",
        "capitals and spaces",
        "empty",
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def _refresh_script():
    spec = importlib.util.spec_from_file_location(
        "refresh_communes", ROOT / "scripts" / "refresh_communes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refresh_script_maps_old_names_and_epci_without_network():
    refresh = _refresh_script()
    communes = [
        {
            "code": "49092",
            "nom": "Chemillé-en-Anjou",
            "type": "commune-actuelle",
            "departement": "49",
            "region": "52",
            "codesPostaux": ["49120"],
            "population": 21999,
        },
        {"code": "49092", "nom": "Chemillé", "type": "commune-deleguee", "chefLieu": "49092"},
        {"code": "49099", "nom": "Chemillé-en-Anjou", "type": "commune-deleguee", "chefLieu": "49092"},
        {
            "code": "98411",
            "nom": "Îles Saint-Paul",
            "type": "commune-actuelle",
            "departement": "984",
            "region": "984",
        },
    ]
    epci = [{"code": "200060010", "membres": [{"code": "49092"}]}]
    assert refresh.commune_rows(communes, epci) == [
        ["49092", "Chemillé-en-Anjou", "49120", "49", "52", "200060010", "21999"],
        ["98411", "Îles Saint-Paul", "", "984", "984", "", ""],
    ]
    assert refresh.alias_rows(communes) == [["Chemillé", "49092", "commune-deleguee"]]


def test_a_typo_match_says_it_is_approximate(index):
    assert index.resolve("Lavall").approximate and not index.resolve("Laval").approximate


@pytest.mark.parametrize("query", ["France", "en France", "la Normandie", "Pays de la Loire"])
def test_a_country_or_region_is_no_commune(index, query):
    assert index.resolve(query).status == UNKNOWN and not index.resolve(query).candidates
