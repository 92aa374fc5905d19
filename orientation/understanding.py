"""What a French message says about the person, by keywords.

A safety net under DIET's entities: DIET generalises to new phrasings, these
patterns catch the plain words DIET may miss on a phone-typed message
("jsui o rsa", "permi"). Both feed the same slots; nothing here is trained,
so a missed word is fixed by adding it below, without retraining.
Patterns match the `normalize`d text (lower case, no accents).
"""
from __future__ import annotations

import re
from typing import Optional

from orientation.normalize import normalize

# Messages longer than this are cut before matching: nobody describes their
# situation in more, and it bounds the work a 10 000-character message costs.
MAX_TEXT = 1000

# Checked in this order: the first that matches wins. RSA before job seeker
# (an RSA recipient is often registered with France Travail too, but the RSA
# referent is the prescriber); insertion jobs before ordinary jobs.
SITUATION_PATTERNS = [
    ("rsa", r"\br ?s ?a\b|revenu de solidarite|\brmi\b|minimas? sociaux"),
    ("handicap", r"handicap|\brqth\b|cap emploi|\bmdph\b|\baah\b|invalidite"),
    ("salarie_insertion", r"chantiers? d insertion|insertion par l activite|\bsiae\b|entreprise d insertion"
                          r"|contrats? aides?|parcours emploi competence|association intermediaire"),
    ("jeune", r"mission locale|\bml\b|contrat d engagement jeune|\bcej\b|garantie jeunes?"
              r"|\bjeunes?\b|moins de 26 ans"),
    ("demandeur_emploi", r"chomage|chomeu|demandeu?r?s?e? d emploi|pole emploi|france travail"
                         r"|sans (emploi|travail|boulot)|recherche d (emploi|un emploi|un travail)"
                         r"|(cherche|recherche)s? (du|un) (travail|emploi|boulot|job)"),
    ("etudiant", r"etudiant|lyceen|apprentie?\b|alternan"),
    ("salarie", r"\bsalarie|\bcdi\b|\bcdd\b|interim|je travaille|j ai un (travail|emploi|boulot)"),
    ("autre", r"retraite|sans activite|au foyer"),
]

# "J'ai le permis mais pas de voiture": having the licence is not a need for it.
_HAS_LICENCE = re.compile(r"\b(j ai|g|jai|avec) (deja |bien )?(le|mon) permis\b")

BESOIN_PATTERNS = [
    ("reparation", r"repar|garage|en panne|\bpanne|entretien|controle technique|vidange|pneu"),
    ("permis", r"permis|code de la route|\bcode\b|auto ?ecole|lecons? de conduite|heures? de conduite"
               r"|apprendre a conduire"),
    ("velo", r"\bvelo|bicyclette|\bvae\b"),
    ("financement", r"aides? financiere|financ|payer|pas les moyens|argent|carburant|essence"
                    r"|micro ?credit|\bcredit"),
    ("vehicule", r"voiture|vehicule|scooter|\bmoto\b|mobylette|voiturette|\bauto\b|louer|location"
                 r"|emprunter|preter|pret de"),
    ("transport", r"transport|\bbus\b|\bcar\b|\btrain\b|covoiturage|navette|deplacer|aller (au|a mon) travail"
                  r"|m emmener|chauffeur|benevole"),
    ("accompagnement", r"diagnostic|bilan|conseil|accompagnement|je (ne )?sais pas|atelier|m orienter"),
]

_AGE = re.compile(r"\b(\d{1,2}) ?ans?\b")
_BARE_NUMBER = re.compile(r"^\D{0,12}(\d{1,2})\D{0,12}$")
MIN_AGE, MAX_AGE = 14, 99

_SITUATIONS = [(code, re.compile(p)) for code, p in SITUATION_PATTERNS]
_BESOINS = [(code, re.compile(p)) for code, p in BESOIN_PATTERNS]


def prepare(text: str) -> str:
    return normalize((text or "")[:MAX_TEXT])


def find_situation(text: str) -> Optional[str]:
    t = prepare(text)
    return next((code for code, rx in _SITUATIONS if rx.search(t)), None)


def find_besoin(text: str) -> Optional[str]:
    t = _HAS_LICENCE.sub(" ", prepare(text))
    return next((code for code, rx in _BESOINS if rx.search(t)), None)


def find_age(text: str, asked: bool = False) -> Optional[int]:
    """"j'ai 22 ans" anywhere; a bare "22" only when the age was just asked."""
    t = prepare(text)
    m = _AGE.search(t) or (_BARE_NUMBER.match(t) if asked else None)
    if not m:
        return None
    age = int(m.group(1))
    return age if MIN_AGE <= age <= MAX_AGE else None
