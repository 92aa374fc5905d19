"""`read(text)`: what a French message states, whatever the conversation.

Situations (and those the person says they no longer have), the need and how
strongly it is asked for, an age said as an age, a correction, a professional
speaking about someone else, a question, a skip, a restart, another language.
Keywords are the safety net under DIET for what a phone-typed message says in
words DIET has not seen ("jsuis o rsa"). Patterns match the `normalize`d text
(lower case, no accents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from orientation.language.communes.cues import RESIDENCE  # noqa: F401 - one place for where one lives
from orientation.language.normalize import normalize

# Messages longer than this are cut before matching: nobody describes their
# situation in more, and it bounds the work a 10 000-character message costs.
MAX_TEXT = 1000
MIN_AGE, MAX_AGE = 14, 99

# --- Situations ------------------------------------------------------------------

SITUATION_PATTERNS = {
    "rsa": r"\br ?s ?a\b|revenu de solidarite|\brmi\b|minimas? sociaux",
    "handicap": r"handicap|\brqth\b|cap emploi|\bmdph\b|\baah\b|invalidite|\besat\b",
    "salarie_insertion": r"chantiers? d insertion|insertion par l activite|\bsiae\b|entreprises? d insertion"
    r"|contrats? aides?|parcours emploi competence|\bpec\b|association intermediaire"
    r"|salariee? en insertion|interim d insertion|\betti\b",
    "jeune": r"mission locale|\bmilo\b|contrat d engagement jeune|\bcej\b|garantie jeunes?"
    r"|\bjeunes?\b|moins de (26|25) ans",
    "demandeur_emploi": r"chomage|chomeu|demandeu?r?s?e? d ?emploi|\bdem d ?emploi|\bdmd d ?emploi|pole emploi"
    r"|france travail"
    r"|sans (emploi|travail|boulot|taf)|(en )?recherche d (emploi|un emploi|un travail)"
    r"|(cherche|recherche)s? (du|un|de|mon|d un) (travail|emploi|boulot|job|taf)"
    r"|inscrite? (a|au) (pole|france|l anpe)|\bunemployed\b|job ?seeker",
    "etudiant": r"etudiant|lyceen|apprentie?s?\b|en apprentissage|alternan|\bstagiaire\b|\bstudent\b"
    r"|apprenticeship",
    # "là où je travaille" names a place, not a situation.
    "salarie": r"\bsalariee?\b|\bcdi\b|\bcdd\b|interim(?! d insertion)|(?<!\bou )(?<!\bque )\bje travaille\b|\bje bosse\b"
    r"|j ai (un|du) (travail|emploi|boulot|taf|job)|\ben poste\b",
    "autre": r"retraite|sans activite|au foyer|\bretraitee?\b",
}
# A salaried person "en insertion" is not also an ordinary employee.
SUBSUMES = {"salarie_insertion": "salarie"}

# "je ne suis plus au RSA", "plus au chômage", "pas salarié".
# The negation's reach ends at a new clause: "je suis plus étudiante, je suis salariée".
_NEGATION_BEFORE = re.compile(
    r"\b(?:ne|n|plus|pas|jamais|sans|ni|non)\b\W*(?:(?!je\b|j\b|mais\b|et\b|c\b)\w+\W+){0,3}$"
)
# A professional's own job is not the person's situation: "je suis conseillère à France Travail".
_PROFESSIONAL_SELF = re.compile(
    r"\b(?:je suis|je travaille|jsuis|chui)\s+(?:\w+\s+){0,4}?"
    r"(?:conseill\w*|referent\w*|cip|cesf|assistant\w* social\w*|travailleu\w* social\w*|educat\w*"
    r"|accompagnat\w*|charge\w* d insertion|encadrant\w*)"
    r"(?:\s+(?:\w+\s+){0,3}?(?:(?:a|au|de|du|chez|en)\s+)?(?:la\s+|l\s+)?"
    r"(?:mission locale|france travail|pole emploi|cap emploi|ccas|departement|cd|siae|chantier d insertion|plie)\w*)?"
)

# --- Needs -------------------------------------------------------------------------

# In order of precedence when two needs are asked for as strongly: money for
# the licence is a need for money, a broken car a need for a garage.
BESOIN_PATTERNS = {
    # "mes entretiens" are job interviews: only a vehicle's "entretien" is a repair.
    "reparation": r"\brepar|garage|en panne|\bpanne\b|entretenir|entretien (de|du|d) (ma |mon |la |le |l )?"
    r"(voiture|vehicule|scooter|moto|auto|caisse)|controle technique|vidange|\bpneus?\b"
    r"|embrayage|courroie|(voiture|caisse|bagnole|scooter|moto) (est )?(morte|cassee|hs)"
    r"|\bbroken\b|\brepair",
    "financement": r"aides? financiere|financ|\bpayer\b|pas les moyens|\bargent\b|carburant|\bessence\b"
    r"|micro ?credit|\bcredit|\bfric\b|\bthunes?\b|\bmoney\b",
    "permis": r"permis|\bpermi\b|code de la route|\bcode\b(?! postal)(?! insee)|auto ?ecole|lecons? de conduite"
    r"|heures? de conduite|apprendre a conduire|driving licen[cs]e|driving lessons?",
    "velo": r"\bvelos?\b|bicyclette|\bvae\b|\bbike\b",
    "vehicule": r"voiture|vehicule|scooter|\bmoto\b|mobylette|voiturette|\bauto\b(?! ?ecole)"
    r"|(louer|location d?e?|pret d?e?|preter|emprunter) (une |un |d une |d un )?(voiture|vehicule|scooter|auto)"
    r"|\bcaisse\b|\bbagnole\b|\b(a|my) car\b",
    "transport": r"transports?\b|\bbus\b|\btrain\b|\btram\b|covoiturage|navette"
    r"|aller (au|a mon|a ma|a mes|bosser|travailler)|m ?emmene|memmene|m amener|me conduire"
    r"|chauffeur|benevole|\btaxi\b|\b(le|en|un|du|prendre le) car\b|locomotion"
    r"|se rendre|me rendre|rendez vous|\brdv\b|trajets?\b|drive me|\blift\b|carpool",
    # Vague words ("me déplacer", "faire le point") ask for advice, not for a tool.
    "accompagnement": r"diagnostic|\bdiag\b|\bbilan|\bconseils?\b|(un |d un |etre )accompagnement|\bateliers?\b"
    r"|m orienter|je (ne )?sais pas|sais pas quoi|suis (un peu |tout )?perdue?\b|je sais plus"
    r"|\bchaie?s? pa|\bj ?sais pas\b|\bjsp\b|\bjcp\b|\bje c pa"  # SMS: "chai pa", "jsp"
    r"|faire le point"
    r"|point sur|deplacer|deplacements?|\bbouger\b",
}
# "J'ai le permis mais pas de voiture": what the person has is not a need.
_HAS = re.compile(
    r"\b(?:j ai|jai|g|avec|j ai deja|jai deja|g deja|j ai bien|j avais|javais|vient d avoir|a eu"
    r"|a obtenu|j ai eu|a deja)\s+(?:deja\s+|bien\s+)?"
    r"(?:le|mon|une|ma|un|son|sa)\s+(?:permis|voiture|vehicule|scooter|velo|auto)\b"
    r"(?!\s+(?:en panne|cassee|morte|hs|qui))"
)
_NO_NEED = re.compile(
    r"\bpas (besoin|envie) (de|d)\s+\w+(\s+\w+)?"
    # "en attendant d'avoir le permis, quelqu'un pourrait m'emmener ?": the licence is for later.
    r"|\ben attendant (d avoir |de passer |d obtenir |mon |le )*(le |mon )?permis\b"
    r"|\b(le |mon )?permis (c est |ce sera |ca sera )?pour (plus tard|apres)\b"
)
# "une voiture… enfin non, plutôt un vélo": the need named after a correction replaces the first.
_CORRECTED_BEFORE = re.compile(
    r"\b(enfin non|non pardon|en fait|plutot|je veux dire|je voulais dire|finalement|ou alors)\W+(?:\w+\W+){0,10}$"
)
# SMS spelling glues the pronoun to the verb: "jveux", "jcherche", "jvoudrais".
_ASKING = re.compile(
    r"\bj?(veux|veu|voudrais|voudrai|voulais|aimerais|aimerai|cherche|recherche|besoin|faut|faudrait|souhaite"
    r"|souhaiterais|demande|comment|existe|possible|obtenir|avoir|trouver|passer|faire|financer|payer"
    r"|louer|acheter|emprunter|reparer|aide|aider|solution|interesse|doit|dois|need|want"
    r"|pourrait|pourriez|pouvez|peut|peux|est ce qu|y a t il|ya t il)\b"
)
_LACKING = re.compile(r"\b(pas|plus|sans|ni|aucun|aucune|jamais)\b")
# "un transport solidaire, c'est possible ?": asked for after the words.
_ASKING_AFTER = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:c est possible|possible|svp|please)\b")
# "bus, vélo, covoiturage, je suis perdu": listing several means being unsure.
_UNSURE = re.compile(
    r"je (ne )?sais pas|sais pas quoi|suis (un peu |completement |tout )?perdue?\b"
    r"|faire le point|je sais plus"
)
ASKED, LACKING, MENTIONED = 3, 2, 1  # how strongly a need is expressed

# --- Age, corrections, voice, questions ---------------------------------------------

# "22 ans" is an age, unless a duration or a bound: "depuis 15 ans", "moins de 26 ans", "ça fait 20 ans que".
_AGE_STATED = re.compile(
    r"\b(?:(?:j ai|jai|g|agee? de|age de)\s+)?(\d{1,2})\s*(?:ans?|a)\b(?!\s+(?:que\b|qu\b|d experience"
    r"|de (?:chomage|rsa|travail|boite|permis|conduite)|deja|plus tard|dernier))"
)
_NOT_AN_AGE = re.compile(
    r"\b(depuis|il y a|pendant|dans|moins de|plus de|avant|apres|tous les|pour|fait|bientot"
    r"|en|sur|durant|environ|pres de|bout de)\s+$"
)
_BARE_NUMBER = re.compile(r"^\D{0,12}?(\d{1,2})\D{0,12}$")

_CORRECTION = re.compile(
    r"^(?:non|nan|nn|ah non|oh non|pardon|oups|excusez moi|desole|erreur)\b"
    r"|\b(?:en fait|en faite|enfait|plutot|finalement|je me suis trompee?|correction|je voulais dire"
    r"|je (?:ne )?suis plus|je (?:ne )?touche plus|plus au|j ai demenage|maintenant|desormais)\b"
    r"|\bpas\b.{1,40}\bmais\b"
)
# Where the person lives: "j'habite", "je vis", "je suis installée à".
_ALSO = re.compile(r"\b(aussi|egalement|en plus|et aussi)\b")
_PROFESSIONAL = re.compile(
    # A professional who opens with their title ("Assistante sociale en service hospitalier").
    r"^\W*(?:bonjour\W+)?(?:assistante? sociale?|travailleu\w* social\w*|conseill\w*|cesf|cip|educ\w*"
    r"|referente?|coordinat\w*|charge\w* d insertion|infirmi\w*)\b"
    r"|\b(?:un|une|le|la|mon|ma) (?:patiente?|participante?|usagere?)\b|\bpatiente? de \d"
    r"|\bj accompagne\b|\bj oriente\b|\ben tant que\b|\b(?:je suis|jsuis|chui) (?:un |une |la |le )?(?:\w+ ){0,2}?"
    r"(?:travailleu\w* social\w*|conseill\w*|referent\w*|cip\b|cesf\b|assistant\w* social\w*|educ\w*"
    r"|accompagnat\w*|charge\w* d insertion|professionnel\w*|encadrant\w*|intervenant\w* social\w*"
    r"|as\b|infirmi\w*|coordinat\w*|benevole\w* (?:au|a la|a l|dans|chez)|prof\b|professeur\w*|enseignant\w*"
    r"|animat\w*|mediat\w*|psycholog\w*)"
    r"|\b(?:un|une|1) de (?:mes|nos) (?:eleves|jeunes|beneficiaires|usagers|stagiaires|participants|patients)\b"
    r"|\bj ai (?:une|un|1) (?:dame|monsieur|jeune|personne|usager|beneficiaire|participante?|patiente?|famille)\b"
    r"|\b(?:un|une) (?:participante?|patiente?|usagere?)\b"
    r"|\b(?:mon|ma|notre|nos|mes) (?:beneficiaire|usager|public|stagiaire|suivie?)s?\b"
    r"|\b(?:la|une|un|cette|ce) (?:personne|jeune|dame|monsieur|femme|homme|beneficiaire|usager|madame"
    r"|mere|pere|famille|demandeuse|demandeur|allocataire|retraitee?)\s+"
    r"(?:que j accompagne|que je suis|que je suit|que je recois|suivie? par (?:moi|nous|notre)|de \d{2} ans"
    r"|agee? de|qui (?:a|n a|est|habite|vit|cherche|voudrait|souhaite|doit|touche|percoit))"
    r"|\bpour (?:un|une) (?:de mes|de nos|personne|jeune|dame|monsieur|usager|beneficiaire) "
    r"|\bje (?:suis|travaille) (?:a|au|en|chez) (?:la |le |l )?(?:mission locale|ccas|france travail|cap emploi)\b.{0,60}\b(?:accompagne|suis|recois)\b"
)
_BENEFICIARY = re.compile(
    r"\b(?:ma|mon|mes) (?:conseill\w*|referent\w*|assistante? sociale?|educat\w*|cip)\b"
    r"|\bje suis (?:suivie?|accompagnee?|beneficiaire|allocataire|inscrite?|au rsa|au chomage)\b"
    r"|\bj habite\b|\bje vis\b|\bje touche\b|\bje percois\b|\bmon permis\b|\bma voiture\b"
)
# Words a beneficiary uses of themselves, which a professional would put in a
# sentence about someone ("bénéficiaire du RSA" alone): enough to doubt DIET.
_BENEFICIARY_WORDS = re.compile(r"^\W*(?:beneficiaire|allocataire|inscrite?|au|o)\b")
_QUESTION = re.compile(
    r"c est quoi|\bc quoi\b|\bc koi\b|c est koi|qu est ce|quest ce|qu est c|veut dire"
    r"|signifie|definition|expliqu|consiste|kesako|ca sert a quoi|a quoi sert"
    r"|comment (ca )?marche|c est comment|difference"
)
_PRESCRIBER_QUESTION = re.compile(
    r"prescri|\bqui (peut|doit|dois|va)\b|\ba qui\b|qui contacter|par qui"
    r"|qui m inscri|\bc est qui\b|\bc ki\b"
)
# "passer", "on passe", "je préfère ne pas répondre": the person skips the question.
# A message that opens with not knowing: "je sais pas trop, c'est compliqué", "jsp", "aucune idée".
_DONT_KNOW = re.compile(
    r"^\W*(?:euh\W+|bah?\W+|ben\W+)?(?:je (?:ne )?(?:sais|sait) (?:pas|plus)|j ?sais pas|jsp|jcp|jsai pa\w*"
    r"|chaie?s? pa\w*|je c pa\w*|aucune idee|pas (?:trop )?sure?|je suis pas sure?|je ne suis pas sure?)\b"
)
_SKIP = re.compile(
    r"^\W*(?:passer|passe|on passe|je passe|suivante?|question suivante|on saute|je zappe)\W*$"
    r"|\b(?:on passe|je passe|question suivante|suivante|on saute|sautez?|je zappe)\s*$"
    r"|\b(?:pas|prefere pas|ne veux pas|ne souhaite pas|veux pas|souhaite pas) (?:le dire|repondre|en parler)"
    r"|ca (?:vous|te) regarde pas|c est personnel|je prefere (?:ne )?pas"
)
_RESTART = re.compile(
    r"\b(recommencer|recommence|reprendre a zero|repartir de zero|on reprend tout"
    r"|nouvelle (recherche|demande|personne)|reset|tout effacer|effacer tout|oublie tout"
    r"|remettre a zero|depuis le debut|autre personne|on recommence)\b"
)
# Words that mark another language than French: a few common ones each.
_FOREIGN = re.compile(
    r"\b(the|you|my|is|are|need|help|please|hello|hi|driving|license|licence|where|how|what|can|with|want"
    r"|hola|necesito|coche|ayuda|tengo|quiero|trabajo|preciso|carro|ajuda|merhaba|yardim|araba"
    r"|salam|bghit|wesh|kifach|ana|daba)\b"
)
_FRENCH = re.compile(
    r"\b(je|j|le|la|les|de|des|et|un|une|est|pour|suis|pas|mon|ma|moi|vous|bonjour|au|avec|ai|veux)\b"
)

_SITUATIONS = [(code, re.compile(p)) for code, p in SITUATION_PATTERNS.items()]
_BESOINS = [(code, re.compile(p)) for code, p in BESOIN_PATTERNS.items()]
BESOIN_ORDER = list(BESOIN_PATTERNS)


@dataclass(frozen=True)
class Reading:
    """What one message states, before knowing the conversation."""

    situations: tuple[str, ...] = ()
    situations_ended: tuple[str, ...] = ()  # "je ne suis plus au RSA"
    # The situations said in words the keywords know (DIET's are added to
    # `situations` only): a correction replaces the profile with these alone.
    situations_stated: tuple[str, ...] = ()
    besoin: Optional[str] = None
    besoin_strength: int = 0  # ASKED, LACKING, MENTIONED or 0
    age: Optional[int] = None  # said as an age ("j'ai 22 ans", "une dame de 52 ans")
    bare_number: Optional[int] = None  # "22" alone: an age only if the age was asked
    correction: bool = False
    also: bool = False  # "aussi": a situation added to the others
    professional: bool = False
    beneficiary: bool = False  # "ma conseillère", "je suis suivi": the person speaks
    question: bool = False  # asks what a word means
    prescriber_question: bool = False
    restart: bool = False
    skip: bool = False
    # "je sais pas trop", "jsp": not knowing the answer (a need for advice when the need is asked).
    dont_know: bool = False
    foreign: bool = False
    residence: bool = False  # says where the person lives ("j'habite…")

    @property
    def about_profile(self) -> bool:
        return bool(self.situations or self.situations_ended or self.besoin or self.age is not None)

    def with_entities(self, situations=(), besoins=(), ages=()) -> Reading:
        """Add DIET's entities (already mapped to vocabulary codes) to what the keywords found."""
        found = tuple(
            dict.fromkeys(self.situations + tuple(s for s in situations if s not in self.situations_ended))
        )
        besoin, strength = self.besoin, self.besoin_strength
        if besoin is None and besoins:
            # The keywords know "j'ai déjà le permis" is not a need; DIET does not:
            # it only fills in where they found nothing.
            besoin, strength = besoins[0], MENTIONED
        # DIET's ages are not used: "au RSA depuis 20 ans" is not an age, and the
        # age phrases (`find_age`) and a bare number just asked cover the rest.
        return replace(self, situations=subsumed(found), besoin=besoin, besoin_strength=strength)


def prepare(text: str) -> str:
    return normalize((text or "")[:MAX_TEXT])


# Clauses end at punctuation: "je n'ai pas le permis. Demandeur d'emploi…" negates only the licence.
_CLAUSE = re.compile(r"[.;!?\n()]|,\s")


def read(text: str) -> Reading:
    t = prepare(text)
    beneficiary = bool(_BENEFICIARY.search(t))
    professional = bool(_PROFESSIONAL.search(t)) and not beneficiary
    clauses = [prepare(c) for c in _CLAUSE.split((text or "")[:MAX_TEXT])]
    if professional:  # the professional's own job is not the person's situation
        clauses = [_PROFESSIONAL_SELF.sub(" ", c) for c in clauses]
    situations, ended = find_situations_in(clauses)
    besoin, strength = find_besoin_strength(t)
    return Reading(
        situations=situations,
        situations_ended=ended,
        situations_stated=situations,
        besoin=besoin,
        besoin_strength=strength,
        age=find_age(t),
        bare_number=_bare_number(t),
        correction=bool(_CORRECTION.search(t)),
        also=bool(_ALSO.search(t)),
        professional=professional,
        beneficiary=beneficiary or bool(_BENEFICIARY_WORDS.search(t)),
        question=bool(_QUESTION.search(t)) or text.strip().endswith("?"),
        prescriber_question=bool(_PRESCRIBER_QUESTION.search(t)),
        restart=bool(_RESTART.search(t)),
        skip=bool(_SKIP.search(t)),
        dont_know=bool(_DONT_KNOW.search(t)),
        foreign=is_foreign(t),
        residence=bool(RESIDENCE.search(t)),
    )


def find_situations_in(clauses: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`find_situations` clause by clause: a negation does not reach past its clause."""
    found, ended = [], []
    for clause in clauses:
        stated, over = find_situations(clause)
        found += [s for s in stated if s not in found]
        ended += [s for s in over if s not in ended]
    return subsumed(tuple(s for s in found if s not in ended)), tuple(ended)


def find_situations(t: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(situations stated, situations said to be over or absent) in a normalized text."""
    found, ended = [], []
    for code, rx in _SITUATIONS:
        for m in rx.finditer(t):
            negated = _NEGATION_BEFORE.search(t[: m.start()][-40:])
            target = ended if negated else found
            if code not in target:
                target.append(code)
    found = [c for c in found if c not in ended]
    return subsumed(tuple(found)), tuple(ended)


def subsumed(situations: tuple[str, ...]) -> tuple[str, ...]:
    dropped = {SUBSUMES[s] for s in situations if s in SUBSUMES}
    return tuple(s for s in situations if s not in dropped)


def find_situation(text: str) -> Optional[str]:
    situations, _ = find_situations(prepare(text))
    return situations[0] if situations else None


def find_besoin_strength(t: str) -> tuple[Optional[str], int]:
    """The need most strongly expressed in a normalized text, and how strongly."""
    t = _NO_NEED.sub(" ", _HAS.sub(" ", t))
    words = len(t.split())
    best: tuple[bool, int, int, Optional[str]] = (False, 0, 0, None)
    found = set()
    matches = [(rank, code, m) for rank, (code, rx) in enumerate(_BESOINS) for m in rx.finditer(t)]
    first_need_end = min((m.end() for _, _, m in matches), default=len(t))
    for rank, code, m in matches:
        strength = need_strength(t, m.start(), words, " ".join(t[m.start() :].split()[:2]), t[m.end() :])
        # Only a correction after another need named earlier in the message.
        cue = _CORRECTED_BEFORE.search(t[: m.start()])
        corrected = bool(cue) and first_need_end <= cue.start()
        strength = ASKED if corrected else strength
        found.add(code)
        key = (corrected, strength, -rank, code)
        if key > best:
            best = key
    # The car of "ma voiture est en panne" is what to repair, not a second need.
    topics = found - {"accompagnement"} - ({"vehicule"} if "reparation" in found else set())
    if _UNSURE.search(t) and len(topics) >= 2:
        return "accompagnement", ASKED
    return best[3], best[1]


# A broken vehicle asks for a repair as plainly as "je voudrais réparer";
# "réparer", "financer", "payer" name the need and ask for it at once.
_PROBLEM = re.compile(r"panne|cassee|morte|\bhs\b|broken|^reparer|^faire reparer|^financer|^payer")


def need_strength(t: str, start: int, words: int, matched: str, after: str) -> int:
    before_words = t[:start].split()
    before = " ".join(before_words[-8:])
    # A message that opens with the need ("un micro crédit pour…") asks for it; not "sans voiture…".
    opens = len(before_words) <= 1 and not (before_words and _LACKING.search(before_words[-1]))
    if (
        words <= 4
        or opens
        or _ASKING.search(before)
        or _PROBLEM.search(matched)
        or _ASKING_AFTER.search(after)
    ):
        return ASKED
    if _LACKING.search(" ".join(t[:start].split()[-4:])):
        return LACKING
    return MENTIONED


def find_besoin(text: str) -> Optional[str]:
    return find_besoin_strength(prepare(text))[0]


def valid_age(value) -> Optional[int]:
    try:
        age = int(str(value).strip())
    except ValueError:
        m = re.search(r"\d{1,2}", str(value))
        if not m:
            return None
        age = int(m.group())
    return age if MIN_AGE <= age <= MAX_AGE else None


def find_age(t: str) -> Optional[int]:
    """The person's age said as an age: "j'ai 22 ans", "une dame de 52 ans"; not "au RSA depuis
    15 ans", not "mon fils a 19 ans"."""
    ages = ages_stated(t, with_relatives=False)
    return ages[0] if ages else None


# "mon fils a 19 ans": the age of someone else in the family.
_RELATIVE_BEFORE = re.compile(
    r"\b(?:mon|ma|mes|son|sa) (?:fils|fille|filles|enfants?|mari|femme|conjointe?|copain|copine|frere"
    r"|soeur|pere|mere|ami|amie)\s+(?:a|de|qui a)?\s*$"
)
_ENGLISH_AGE = re.compile(r"\bi m (\d{1,2})\b|\bi am (\d{1,2})\b|\b(\d{1,2}) years? old\b")


def ages_stated(t: str, with_relatives: bool = True) -> list[int]:
    """Every age said as an age in a normalized text (the person's, and relatives' unless told not to)."""
    out = []
    for m in _ENGLISH_AGE.finditer(t):
        age = valid_age(next(g for g in m.groups() if g))
        if age is not None:
            out.append(age)
    for m in _AGE_STATED.finditer(t):
        if not with_relatives and _RELATIVE_BEFORE.search(t[: m.start(1)]):
            continue
        if not m.group(0).startswith(("j ai", "jai", "g ", "age")) and _NOT_AN_AGE.search(t[: m.start(1)]):
            continue
        if not re.search(r"\ba\b|\ban\b|\bans\b", m.group(0)) and not m.group(0).startswith(
            ("j ai", "jai", "g ")
        ):
            continue  # "18 a" only after "j'ai"
        age = valid_age(m.group(1))
        if age is not None:
            out.append(age)
    return out


def _bare_number(t: str) -> Optional[int]:
    m = _BARE_NUMBER.match(t)
    return valid_age(m.group(1)) if m else None


def is_foreign(t: str) -> bool:
    """A message mostly in another language than French (a few marker words, no French ones)."""
    foreign = len(_FOREIGN.findall(t))
    return foreign >= 2 and foreign > len(_FRENCH.findall(t))
