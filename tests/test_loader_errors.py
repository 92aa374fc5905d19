"""Broken copies of knowledge/: each error names its file, entry, field and line."""

import shutil
from pathlib import Path

import pytest

from orientation.knowledge.loader import KnowledgeError, KnowledgeErrors, load_knowledge
from orientation.language.words import LEXIQUE
from orientation.yaml_lines import load_yaml

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "knowledge" / "communes"


@pytest.fixture
def kb(tmp_path):
    """A copy of knowledge/ without the (large) commune tables, read from the original."""
    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", root, ignore=shutil.ignore_patterns("communes"))
    return root


def load(root):
    return load_knowledge(root, communes_dir=COMMUNES)


def edit(path: Path, old: str, new: str, after: str | None = None) -> int:
    """Replace the first `old` (after the line holding `after`); return its 1-based line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    index = next(i for i in range(start, len(lines)) if old in lines[i])
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def errors_of(root) -> list[KnowledgeError]:
    with pytest.raises(KnowledgeErrors) as caught:
        load(root)
    return caught.value.errors


def only_error(root) -> KnowledgeError:
    errors = errors_of(root)
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def test_the_copy_is_valid(kb):
    assert len(load(kb).plateformes) == len(list((kb / "plateformes").glob("*.yml")))


def test_yaml_syntax_error(kb):
    line = edit(kb / "plateformes/mayenne.yml", "budget: ~ 430 000 €", "budget: ~ 430 000 €: oups")
    error = only_error(kb)
    assert error.file.endswith("plateformes/mayenne.yml")
    assert error.line == line
    assert "YAML invalide" in error.message


def test_key_written_twice(kb):
    path = kb / "plateformes/mayenne.yml"
    line = edit(path, "  perimetre: ~ Département", "  perimetre: ~ Département\n  perimetre: Département")
    error = only_error(kb)
    assert error.file.endswith("mayenne.yml") and error.line == line + 1
    assert "deux fois" in error.message


def test_unknown_field(kb):
    line = edit(
        kb / "plateformes/mayenne.yml",
        "    prescription: oui",
        "    prescripton: oui\n    prescription: oui",
        after="id: mayenne--auto-ecole-sociale",
    )
    error = only_error(kb)
    assert error.file.endswith("plateformes/mayenne.yml")
    assert (error.entry, error.field, error.line) == ("mayenne--auto-ecole-sociale", "prescripton", line)
    assert "champ inconnu" in error.message


def test_wrong_type_for_prescription(kb):
    line = edit(
        kb / "plateformes/mayenne.yml",
        "prescription: oui",
        "prescription: true",
        after="id: mayenne--auto-ecole-sociale",
    )
    errors = errors_of(kb)
    assert [(e.entry, e.field, e.line) for e in errors if e.field == "prescription"] == [
        ("mayenne--auto-ecole-sociale", "prescription", line)
    ]
    assert all(e.file.endswith("plateformes/mayenne.yml") for e in errors)
    assert "oui, non ou non_precise" in next(e for e in errors if e.field == "prescription").message


def test_unknown_thematique(kb):
    line = edit(
        kb / "plateformes/sarthe.yml",
        "[mobilite--preparer-un-permis]",
        "[mobilite--passer-le-permis]",
        after="id: sarthe--auto-ecole-sociale",
    )
    error = only_error(kb)
    assert error.file.endswith("plateformes/sarthe.yml")
    assert (error.entry, error.field, error.line) == ("sarthe--auto-ecole-sociale", "thematiques", line)
    assert "mobilite--passer-le-permis" in error.message


def test_duplicate_service_id(kb):
    line = edit(kb / "plateformes/carene.yml", "id: carene--ateliers-mobilite", "id: carene--bilan-mobilite")
    error = only_error(kb)
    assert error.file.endswith("plateformes/carene.yml")
    assert (error.entry, error.field, error.line) == ("carene--bilan-mobilite", "id", line)
    assert "déjà utilisé" in error.message


def test_duplicate_prescriber_id(kb):
    line = edit(kb / "prescripteurs.yml", "id: france-travail", "id: cap-emploi")  # cap-emploi comes first
    error = only_error(kb)
    assert error.file.endswith("prescripteurs.yml")
    assert (error.entry, error.field, error.line) == ("cap-emploi", "id", line)


def test_unknown_departement_code(kb):
    line = edit(kb / "plateformes/mayenne.yml", 'zone_eligibilite: ["53"]', 'zone_eligibilite: ["99"]')
    error = only_error(kb)
    assert error.file.endswith("plateformes/mayenne.yml")
    assert (error.entry, error.field, error.line) == ("mayenne", "territoire.zone_eligibilite[0]", line)
    assert "« 99 »" in error.message


def test_unknown_epci_code(kb):
    line = edit(kb / "plateformes/carene.yml", '["244400644"]', '["244400645"]')
    error = only_error(kb)
    assert (error.entry, error.field, error.line) == ("carene", "territoire.zone_eligibilite[0]", line)
    assert "EPCI" in error.message


def test_unquoted_code_is_not_a_string(kb):
    line = edit(kb / "plateformes/mayenne.yml", 'zone_eligibilite: ["53"]', "zone_eligibilite: [53]")
    error = only_error(kb)
    assert (error.entry, error.field, error.line) == ("mayenne", "territoire.zone_eligibilite[0]", line)
    assert "guillemets" in error.message


def test_unknown_prescriber_id(kb):
    line = edit(
        kb / "plateformes/mayenne.yml",
        "prescripteurs: []",
        "prescripteurs: [pole-emploi]",
        after="id: mayenne--auto-ecole-sociale",
    )
    error = only_error(kb)
    assert error.file.endswith("plateformes/mayenne.yml")
    assert (error.entry, error.field, error.line) == ("mayenne--auto-ecole-sociale", "prescripteurs[0]", line)
    assert "pole-emploi" in error.message


def test_prescription_must_be_said_in_conditions_acces(kb):
    line = edit(
        kb / "plateformes/mayenne.yml",
        "conditions_acces: Sur prescription d'un professionnel (la source l'indique par « (p) »).",
        "conditions_acces: Accès libre.",
        after="id: mayenne--auto-ecole-sociale",
    )
    error = only_error(kb)
    assert (error.entry, error.field, error.line) == ("mayenne--auto-ecole-sociale", "conditions_acces", line)


def test_missing_field_points_at_its_entry(kb):
    path = kb / "plateformes/mayenne.yml"
    line = edit(
        path,
        "    nom: Auto-école sociale",
        "    nomm: Auto-école sociale",
        after="id: mayenne--auto-ecole-sociale",
    )
    errors = errors_of(kb)
    assert {(e.entry, e.field) for e in errors} == {
        ("mayenne--auto-ecole-sociale", "nom"),
        ("mayenne--auto-ecole-sociale", "nomm"),
    }
    missing = next(e for e in errors if e.field == "nom")
    assert missing.line == line - 1  # the service's mapping starts on its "- id:" line
    assert "manquant" in missing.message


def test_bad_condition(kb):
    line = edit(
        kb / "plateformes/carene.yml",
        '{type: age, operator: ">=", value: 18,',
        '{type: age, operator: "=>", value: "18",',
    )
    errors = errors_of(kb)
    assert {(e.entry, e.field, e.line) for e in errors} == {
        ("carene--apprentissage-velo-adultes", "conditions[0].operator", line),
        ("carene--apprentissage-velo-adultes", "conditions[0].value", line),
    }


def test_extract_must_be_a_cell_of_the_fiche(kb):
    line = edit(
        kb / "plateformes/mayenne.yml",
        "extrait_source: Garage solidaire",
        "extrait_source: Garages solidaires",
    )
    errors = errors_of(kb)
    assert ("mayenne--garage-solidaire", "extrait_source", line) in {
        (e.entry, e.field, e.line) for e in errors
    }
    assert any(e.field and e.field.startswith("fiche.services") for e in errors)  # the cell left uncovered


def test_all_errors_are_collected_across_files(kb):
    edit(kb / "plateformes/mayenne.yml", 'zone_eligibilite: ["53"]', 'zone_eligibilite: ["99"]')
    edit(kb / "glossaire.yml", "id: rsa", "id: RSA")
    (kb / "plateformes/sarthe.yml").write_text("id: [\n", encoding="utf-8")
    errors = errors_of(kb)
    files = {Path(e.file).name for e in errors}
    assert {"mayenne.yml", "glossaire.yml", "sarthe.yml"} <= files


def test_str_gives_one_french_line_per_error(kb):
    line = edit(
        kb / "plateformes/mayenne.yml",
        "prescription: oui",
        "prescription: 1",
        after="id: mayenne--auto-ecole-sociale",
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load(kb)
    text = str(caught.value).splitlines()
    assert (
        f"mayenne.yml:{line}: entrée 'mayenne--auto-ecole-sociale', champ 'prescription' : "
        "valeur « 1 » non permise (valeurs possibles : oui, non, non_precise)" in "\n".join(text)
    )
    assert len(text) == len(caught.value.errors)


def test_reserved_fichier_field(kb):
    path = kb / "plateformes/carene.yml"
    path.write_text(path.read_text(encoding="utf-8") + "fichier: autre.yml\n", encoding="utf-8")
    error = only_error(kb)
    assert (error.entry, error.field) == ("carene", "fichier")


def test_missing_commune_tables_are_an_error(kb, tmp_path):
    with pytest.raises(KnowledgeErrors) as caught:
        load_knowledge(kb, communes_dir=tmp_path / "nowhere")
    assert any("departements.csv" in e.file for e in caught.value.errors)


def test_yes_no_on_off_are_words_not_booleans(tmp_path):
    """YAML 1.1 reads "on", "yes", "no" as booleans: the lexicon's pronoun "on" became True."""
    path = tmp_path / "mots.yml"
    path.write_text("mots: [on, yes, no, off, oui]\nvrai: true\nfaux: false\n", encoding="utf-8")
    assert load_yaml(path) == {"mots": ["on", "yes", "no", "off", "oui"], "vrai": True, "faux": False}


def test_every_word_of_the_lexicon_is_a_word():
    def words(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from words(value)
        elif isinstance(node, list):
            for value in node:
                yield from words(value)
        else:
            yield node

    assert all(isinstance(w, str) for w in words(load_yaml(LEXIQUE)))
