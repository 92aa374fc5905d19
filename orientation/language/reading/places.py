"""The communes a message names, each with its role ("j'habite", "je bosse à", "ma mère
habite à") and the evidence for it.

Names are found by spaCy's `PhraseMatcher` over every commune name of France
(current, former, without their article), postal codes by the index. A name is
taken from free text only with evidence: a cue before it, a capital letter that
spaCy reads as a proper noun or a place, a département or postal code after it,
or a part of the message that is nothing else. An ordinary French word that is also
a commune ("bourg", "plan", a word of spaCy's French dictionary) needs "à" or
"j'habite" right before it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from orientation.language.communes import CommuneIndex
from orientation.language.normalize import normalize
from orientation.language.reading.facts import HOME, THIRD_PARTY, Place
from orientation.language.reading.lexicon import Lexicon, Match, Word
from orientation.language.words import WORDS, imperfect

WINDOW = 6  # words before a place in which a cue gives its role
FUTURE = "futur"  # a home to come: "je vais déménager à Laval"
# A name that is also a word of the lexicon ("à côté", "bus", "RSA") is a commune only right
# after "j'habite" (or alone): these kinds of words, but for the prepositions and units.
WORD_KINDS = frozenset(("situation", "besoin", "terme", "lieu"))
NOT_WORDS = frozenset(("lieu:preposition", "lieu:unite", "lieu:departement"))
# The cue nearest before a place gives its role.
ROLES = {
    "lieu:domicile": HOME,
    "lieu:nom_de_lieu": HOME,
    "lieu:travail": "travail",
    "lieu:ecole": "ecole",
    "lieu:destination": "destination",
    "lieu:repere": "repere",
    "lieu:proche": "proche",
    "lieu:ancien": "ancien",
    "voix:metier": "travail",  # "éducateur au SAVS de Laval", "ma conseillère de Laval"
}
# The roles a cue gives a place hanging on the same verb, however far before it.
VERB_ROLES = {key: ROLES[key] for key in ("lieu:travail", "lieu:ecole", "lieu:destination", "voix:metier")}
SENTENCE_ENDS = ".!?\n"
MAX_TYPO_WORDS = 4
SHORT_CLAUSE = 4  # a bare name counts only in a part of the message this short ("rsa laval permis")
# A story this long names towns in passing ("on est allés à Nice"): one without "j'habite"
# is confirmed before it is taken for home.
LONG_MESSAGE = 60


class PlaceFinder:
    def __init__(self, communes: CommuneIndex, lexicon: Lexicon, ordinary_words: frozenset[str], ner=None):
        self.communes, self.lexicon = communes, lexicon
        # spaCy's named entities, run on a doc only when a place needs them (Rasa's doc comes
        # without: most messages name no place, and the entity model costs as much as the rest)
        self.ner = ner
        self.matcher = PhraseMatcher(lexicon.vocab, attr="ORTH")
        # and the first word of names ("Lassay" for Lassay-les-Châteaux), but a French word ("petit")
        keys = sorted(communes.name_keys() | (communes.first_word_keys() - ordinary_words))
        for i in range(0, len(keys), 2000):
            self.matcher.add("commune", [Doc(lexicon.vocab, words=k.split()) for k in keys[i : i + 2000]])
        self.ordinary_words = ordinary_words  # spaCy's French dictionary and lexique.yml's mots_courants

    def _entity(self, token) -> tuple[str, str]:
        """The named entity `token` is in (type, "B"/"I"/"O"), the entity model run if not yet on
        an analysed doc (a doc of tokens alone, as the whole-France checks read, has none)."""
        doc = token.doc
        if self.ner is not None and doc.has_annotation("POS") and not doc.has_annotation("ENT_IOB"):
            self.ner(doc)
        return token.ent_type_, token.ent_iob_

    def find(self, text: str, words: list[Word], matches: list[Match], doc, view: Doc) -> tuple[Place, ...]:
        spans = self._spans(words, view)
        places = [p for p in (self._place(text, words, matches, doc, span) for span in spans) if p]
        if not any(p.role in (HOME, FUTURE) for p in places):
            # "j'habite à Bonchamp, c'est à côté de Laval": the home cut short is still the home.
            places += [
                p for p in self._after_cues(text, words, matches) if not any(_overlap(p, q) for q in places)
            ]
            places.sort(key=lambda p: p.start)
        said = [
            m
            for m in matches
            if m.kind != "langue" and m.key not in ("lieu:preposition", "indice:determinant")
        ]
        if not places and len(words) <= 6 and not said and not any(w.text.isdigit() for w in words):
            # A short message that is nothing else ("chato gontié"): a try at a name, taken
            # only if the commune was asked, or confirmed first.
            places = [self._resolved(text, HOME, 0, 0, len(text))]
        places = _routes(text, _corrected(text, places, words, matches))
        if not any(p.role == HOME for p in places):
            # "je vais habiter chez ma sœur à Laval à partir du 15": the home to come is the one
            # to orient for, unless a home now is said too ("pour l'instant j'habite Rennes")
            places = tuple(replace(p, role=HOME) if p.role == FUTURE else p for p in places)
        return _narrowed_by_landmarks(places, self.communes)

    def _spans(self, words: list[Word], view: Doc) -> list[tuple[int, int, int, str]]:
        """Names (longest first, left to right) and postal codes: (start, end, end with the
        qualifier that narrows it, the words to resolve)."""
        found = [(s, e) for _, s, e in self.matcher(view)]
        found += [(i, i + 1) for i, w in enumerate(words) if self.communes.is_postal_code(w.text)]
        spans, taken = [], set()
        for s, e in sorted(found, key=lambda m: (m[0], -m[1])):
            if not taken & set(range(s, e)):
                spans.append(self._with_qualifier(words, s, self._whole_name(words, s, e)))
                taken |= set(range(s, spans[-1][2]))
        return spans

    def _whole_name(self, words: list[Word], s: int, e: int) -> int:
        """Where a name found by its first word only ends: "montoire de bretagne" is Montoir-de-
        Bretagne misspelled (the spelling's resolution, over the words after it), not Montoire-sur-le-Loir."""
        key = " ".join(w.text for w in words[s:e])
        if e >= len(words) or words[e].text not in WORDS["liens_de_nom"] or self.communes.codes_for_name(key):
            return e
        for end in (e + 2, e + 1):
            if end > len(words) or len({w.clause for w in words[s:end]}) > 1:
                continue
            resolution = self.communes.resolve(" ".join(w.text for w in words[s:end]))
            if resolution.commune and len(normalize(resolution.commune.nom).split()) >= end - s:
                return end
        return e

    def _with_qualifier(self, words: list[Word], s: int, e: int) -> tuple[int, int, int, str]:
        """ "Laval 53", "Changé dans la Sarthe", "Craon mais dans la Vienne", "Saint-Paterne, côté
        Sarthe", "49600 Beaupréau", "Allonnes dans la Sarthe 72700": one place; not
        "Saint-Nazaire, 30 ans"."""
        key = " ".join(w.text for w in words[s:e])
        i = e
        while (
            i < len(words)
            and i - e < 3
            and words[i].text in WORDS["connecteurs_de_departement"] | WORDS["liens_de_precision"]
        ):
            i += 1
        for size in (3, 2, 1):
            qualifier = " ".join(w.text for w in words[i : i + size])
            unit = i + size < len(words) and self.lexicon.has("lieu:unite", words[i + size].text)
            if (
                len(words[i : i + size]) == size
                and not unit
                and (self.communes.narrows(key, qualifier) or self.communes.narrows(qualifier, key))
            ):
                q = i + size
                if q < len(words) and self.communes.narrows(key, words[q].text):
                    q += 1  # the postal code after the département says it again
                return s, e, q, f"{key} {qualifier}"
        return s, e, e, key

    def _place(self, text, words, matches, doc, span: tuple[int, int, int, str]) -> Optional[Place]:
        s, e, q, query = span
        first, key = words[s], " ".join(w.text for w in words[s:e])
        postal = key.split()[0].isdigit()
        clause = [w for w in words if w.clause == first.clause]
        before = [w.text for w in words[max(0, s - 2) : s] if w.clause == first.clause]
        after = words[e].text if e < len(words) and words[e].clause == first.clause else ""
        if postal and self.lexicon.has("lieu:unite", after):
            return None  # "75000 euros"
        role = self._role(text, words, matches, s, e, doc)
        if role is None:
            return None
        cue = _preposition_before(words, s)
        token = doc[first.token]
        capital = text[first.start : first.start + 1].isupper()
        proper = capital and (token.pos_ == "PROPN" or self._entity(token)[0] == "LOC")
        bare = words[s + 1 : e] if key.split()[0] in WORDS["articles"] else words[s:e]
        # "bourg", "le plan", "les vignes": an ordinary word, as written or by its lemma.
        common = (
            len(bare) == 1
            and bool({bare[0].text, bare[0].lemma} & self.ordinary_words)
            # never the whole name of a large town ("Tours"), but "petit" is no Petit-Bourg
            and not (self.communes.codes_for_name(key) and self.communes.is_large(key))
        )
        alone = len(clause) == e - s  # the name itself fills its part of the message
        homes = [
            m
            for m in matches
            if m.key == "lieu:domicile"
            and s - WINDOW <= m.start < s
            and m.end <= s
            and words[m.start].clause == first.clause
        ]
        # "Renazé où j'habite", "Craon c'est là que je vis": home said right after the name
        home_after = role == HOME and any(
            w.key == "lieu:la_ou"
            and w.start == e
            and any(m.key == "lieu:domicile" and w.end <= m.start <= w.end + 3 for m in matches)
            for w in matches
        )
        near_home = (bool(homes) and role in (HOME, THIRD_PARTY)) or home_after
        # The name is all a lexicon word ("bus", "à côté"), not a longer name holding one ("Bourg-en-Bresse").
        in_words = any(
            m.start <= s and e <= m.end and m.kind in WORD_KINDS and m.key not in NOT_WORDS for m in matches
        )
        if key in WORDS["generiques"] | WORDS["plus_la"]:
            return None  # "st naz": "Saint" alone is no town (Le Saint is); nor "pas" (Le Pas)
        right_after_home = any(
            all(w.text in WORDS["prepositions_de_lieu"] | WORDS["articles"] for w in words[m.end : s])
            for m in homes
        )
        if key in WORDS["mois"] and not capital and not right_after_home:
            return None  # "de janvier à mars": a month, not Mars (42)
        qualified = q > e  # "Teillé 44440", "Changé (72)"
        if (
            common
            and token.pos_ not in ("NOUN", "PROPN", "X")
            and not capital
            and not (right_after_home or qualified or home_after)
        ):
            return None  # "une voiture à louer": a verb, an adjective, not a town (but "à Changé", "jhabite changé")
        if common and s >= 2 and words[s - 1].text == "a" and doc[words[s - 2].token].dep_ == "nsubj":
            return None  # "l'essai a marché", "ma voiture a lâché": the verb avoir, then a word
        landmark = any(m.start <= s and e <= m.end and m.key == "lieu:repere" for m in matches)
        if landmark and (after in WORDS["apres_locution"] or not capital):
            return None  # "j'habite près de la mairie", "j'habite à côté": where, not Les Prés nor La Côte
        if common or in_words:
            if (
                before[-1:]
                and before[-1] in WORDS["contractes"] | WORDS["articles"]
                or (after in WORDS["apres_locution"] and not right_after_home)  # "à cause de"
                # a lexicon word alone in its clause is that word ("bus, vélo, covoiturage ?")
                or not (
                    right_after_home
                    or qualified
                    or (cue and not in_words)
                    or (alone and (not in_words or len(words) == e - s))
                )
            ):
                return None  # "au bourg", "à la rue", "ma mère", "12 rue": ordinary words
            evidence = 2 if right_after_home or home_after else 1 if cue or qualified else 0
            if evidence < 2 and len(words) > LONG_MESSAGE:
                return None  # "à titre consultatif", in a story: a word, not a town
        else:
            if any(
                m.key == "lieu:nom_de_personne"
                and s - 2 <= m.end <= s
                and words[m.start].clause == first.clause
                for m in matches
            ):
                return None  # "je m'appelle Marie" (not "monsieur 34 ans, Pornichet")
            if not (cue or near_home or q > e) and capital and self._entity(token) == ("PER", "I"):
                return None  # "comme Cyril Lignac": a surname after a first name
            surely = cue or proper or alone or postal or e - s > 1 or q > e  # "allonnes 72700"
            evidence = 2 if near_home else 1 if surely else 0
            if not evidence and (len(clause) > SHORT_CLAUSE or after in ("que", "qu")):
                return None  # "parce que", a word in a long sentence: not a town named in passing
        if evidence == 1 and role == HOME and not postal and len(words) > LONG_MESSAGE:
            evidence = 0
        # "en Mayenne", "la plateforme de la Mayenne", "le nord Mayenne": the département (the town
        # takes no article)
        if self.communes.is_departement_name(key) and (
            any(w in ("en", "dans", "departement") for w in before)
            or before[-1:]
            and before[-1] in WORDS["articles"] | WORDS["points_cardinaux"]
        ):
            return None  # "en Mayenne": the département, not the commune of Mayenne
        corrected = any(m.key == "indice:correction" and s - 4 <= m.start < s for m in matches)
        end = words[q - 1].end + (text[words[q - 1].end : words[q - 1].end + 1] == ")")  # "Saint-Denis (93)"
        place = self._resolved(text, role, evidence, first.start, end, query, name=key)
        # `text` said back with its qualifier ("Saint-Denis (93)"); start and end: the name itself.
        return replace(place, postal=postal, corrected=corrected and role == HOME, end=words[e - 1].end)

    def _role(self, text, words, matches, s: int, e: int, doc) -> Optional[str]:
        """The role the nearest cue before the place gives it ("Angers, c'est là où je travaille":
        the cue after "là où"); None for a street."""
        clause = words[s].clause
        for where in (m for m in matches if m.key == "lieu:la_ou" and m.start == e):
            if any(mark in text[words[e - 1].end : words[where.start].start] for mark in SENTENCE_ENDS):
                break  # "J'habite Lassay. C'était mon mari qui conduisait": another sentence
            after = [
                m
                for m in matches
                if where.end <= m.start <= where.end + 3 and m.key in ROLES and m.key != "lieu:repere"
            ]
            if after:  # not "Ambrières, c'est à côté": where it is, not what it is to the person
                return ROLES[after[0].key]
        # "demandeur d'emploi à Laval", "je cherche du travail à Laval": seeking work is no workplace.
        situations = {
            i for m in matches if m.key == "situation:demandeur_emploi" for i in range(m.start, m.end)
        }
        cues = [
            m
            for m in matches
            if s - WINDOW <= m.start
            and m.end <= s
            and words[m.start].clause == clause
            and not situations & set(range(m.start, m.end))
        ]
        for m in sorted(cues, key=lambda m: (-m.end, m.key != "indice:negation")):
            if m.key == "lieu:rue" and all(w.text in WORDS["liens_de_rue"] for w in words[m.end : s]):
                return None  # "12 rue de Laval", not "rue Carnot à Sablé"
            last = words[m.end - 1].text
            if m.key == "indice:negation" and m.end >= s - 2 and last in WORDS["plus_la"]:
                return "ancien"  # "plus à Cholet", "pas à Nantes"
            if m.key in ("indice:correction", "indice:correction_en_tete") and m.end >= s - 2:
                if WORDS["plus_la"] & {w.text for w in words[m.start : m.end]}:
                    return "ancien"  # "j'habite plus au Mans"
                return HOME  # "à Ernée… non pardon, à Chailland"
            if m.key == "lieu:domicile":
                verb = words[m.start]
                if imperfect(doc[verb.token]):
                    return "ancien"  # "j'habitais à Bourgueil", "nous vivions à Laval"
                if _infinitive(doc[verb.token]) and not WORDS["venir_de"] & {
                    w.text for w in words[max(0, m.start - 3) : m.start]
                }:
                    return FUTURE  # "je vais peut-être déménager à Laval" (not "je viens d'emménager")
                if (
                    verb.text in WORDS["domicile_passe"]
                    and words[m.start - 1].text in WORDS["auxiliaires_passe"]
                ):
                    return "ancien"  # "j'ai habité Saint-Calais pendant 15 ans"
                before_verb = [w.text for w in words[max(0, m.start - 3) : m.start]]
                speaker = WORDS["premiere_personne"] & set(before_verb[-2:])
                # "notre famille habite Renazé": the household of the one who writes
                speaker = speaker or any(
                    a in WORDS["notre"] and b in WORDS["foyer"]
                    for a, b in zip(before_verb, before_verb[1:], strict=False)
                )
                first = verb.text in WORDS["verbes_premiere_personne"]
                # "ma petite-fille vit chez nous à Jallais": the writer's home too
                ours = any(
                    words[k].text == "chez" and words[k + 1].text in WORDS["premiere_personne"]
                    for k in range(m.start, s - 1)
                )
                if "3" in doc[verb.token].morph.get("Person") and not (speaker or first or ours):
                    return THIRD_PARTY  # "un gars qui habite Anduze", "le jeune vit à Ernée"
                relative = any(
                    c.key == "lieu:proche"
                    and m.start - 3 <= c.start < m.start
                    and words[c.start].clause == clause
                    for c in matches
                )
                mine = (
                    WORDS["premiere_personne"] & set(before_verb) or speaker or first or ours
                )  # "… mon frère. jhabite"
                return "proche" if relative and not mine else HOME
            if m.key == "lieu:proche" and words[m.start].text in WORDS["foyer"] and m.start > 0:
                if words[m.start - 1].text in WORDS["indefinis"]:
                    return THIRD_PARTY  # "je suis une famille de Gorron": a household, not the writer's
            if m.key == "lieu:proche" and {"chez", "avec"} & {
                w.text for w in words[max(0, m.start - 3) : m.start]
            }:
                # "j'ai déménagé chez ma mère à Craon", "seule avec 2 enfants à Bonnétable": where
                # the person lives now
                continue
            if m.key == "lieu:repere" and any(doc[w.token].pos_ == "NOUN" for w in words[m.end : s]):
                continue  # "de l'autre côté du pont, à Saint-Brevin": the bridge is the landmark
            if m.key in ROLES:
                return ROLES[m.key]
        # A cue further before, on the verb the place hangs on (the parse): "rejoindre tous les
        # matins mes collègues de l'équipe de nuit à Sablé", "donner mes cours … le soir à Melun",
        # and past a comma: "travailler en Mayenne, à Ernée".
        verb = verb_of(doc[words[s].token])
        second = _second_place_of(verb, doc[words[s].token])
        for m in sorted((m for m in matches if m.end <= s), key=lambda m: -m.end):
            if (
                m.key in VERB_ROLES
                and (words[m.start].clause == clause or second)
                and not situations & set(range(m.start, m.end))
                and verb_of(doc[words[m.start].token]).i == verb.i
            ):
                return VERB_ROLES[m.key]
        return "proche" if self._said_of_a_relative(words, matches, s, doc) else HOME

    def _said_of_a_relative(self, words, matches, s: int, doc) -> bool:
        """ "mon frère m'envoie de l'argent depuis Nantes", "ma sœur, elle m'aide depuis Paris":
        the subject of the verb the place hangs on (the parse) is a relative, or "elle" after one."""
        token = verb_of(doc[words[s].token])
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        relatives = [m for m in matches if m.key == "lieu:proche"]
        for subject in subjects:
            if any(doc[words[m.start].token].i == subject.i for m in relatives):
                return True
            if subject.pos_ == "PRON" and "3" in subject.morph.get("Person"):
                return any(doc[words[m.start].token].i < subject.i for m in relatives)
        return False

    def _after_cues(self, text, words, matches) -> list[Place]:
        """A name misspelled or cut after "j'habite (à)", or a "Saint…" cut short after "à":
        "jhabite a chato gontier", "a st naz"."""
        for m in matches:
            saint = (
                m.key == "lieu:preposition" and m.end < len(words) and words[m.end].text in WORDS["saints"]
            )
            if m.key != "lieu:domicile" and not saint:
                continue
            i = m.end
            while i < len(words) and words[i].text in WORDS["prepositions_de_lieu"] | WORDS["articles"]:
                i += 1
            end = i
            while end < len(words) and end - i < MAX_TYPO_WORDS and words[end].clause == words[i].clause:
                if words[end].text in WORDS["fins_de_nom"] or any(
                    x.start == end and (x.kind in ("situation", "besoin", "indice") or x.key == "lieu:repere")
                    for x in matches
                ):
                    break
                end += 1
            if end > i:
                place = self._resolved(text, HOME, 0, words[i].start, words[end - 1].end)
                if place and (place.codes or place.suggestions):
                    return [place]
        return []

    def _resolved(
        self, text: str, role: str, evidence: int, start: int, end: int, query: str = "", name: str = ""
    ) -> Place:
        """`query`: what to resolve, with its qualifier ("Couterne dans l'Orne"); `name`: the name
        alone, which tells a former name."""
        resolution = self.communes.resolve(query or text[start:end])
        if resolution.commune is not None:
            codes = (resolution.commune.code_insee,)
        else:
            codes = (
                tuple(c.code_insee for c in resolution.candidates) if resolution.status == "ambiguous" else ()
            )
        suggestions = () if codes else tuple(c.code_insee for c in resolution.candidates)
        former = (
            len(codes) == 1
            and not resolution.approximate
            and self.communes.is_former_name(normalize(name or query))
        )
        return Place(
            text=text[start:end].strip(),
            codes=codes,
            role=role,
            evidence=evidence,
            approximate=resolution.approximate,
            suggestions=suggestions,
            former=former,
            start=start,
            end=end,
        )


def verb_of(token):
    """The verb a word hangs on in the parse (the word itself for a verb, or for the predicate
    of "être": "moi je suis à Ernée")."""
    while (
        token.pos_ not in ("VERB", "AUX")
        and token.head.i != token.i
        and not any(c.dep_ == "cop" or c.dep_.startswith("nsubj") for c in token.children)
    ):
        token = token.head
    return token


def _infinitive(token) -> bool:
    return "Inf" in token.morph.get("VerbForm") or token.text.lower().endswith("er")


def _overlap(a: Place, b: Place) -> bool:
    return a.start < b.end and b.start < a.end


def _preposition_before(words: list[Word], s: int) -> bool:
    """ "à Laval", "sur la commune", "a laval" (SMS), not "il y a" nor "elle a"."""
    before = [w.text for w in words[max(0, s - 3) : s] if w.clause == words[s].clause]
    if before[-1:] and before[-1] in WORDS["articles"]:
        before = before[:-1]
    if not before or before[-1] not in WORDS["prepositions_de_lieu"]:
        return False
    return before[-1] != "a" or before[-2:-1] == [] or before[-2] not in WORDS["sujets"]


# Characters from "enfin non" to the home it corrects ("enfin non, pas Gorron même, à Lesbois").
CORRECTION_REACH = 60


def _corrected(text: str, places: list[Place], words: list[Word], matches: list[Match]) -> tuple[Place, ...]:
    """ "j'habite à Gorron, enfin non, pas Gorron même, à Lesbois": a home named after a
    correction replaces the homes named before it."""
    cues = [
        words[m.start].start for m in matches if m.key in ("indice:correction", "indice:correction_en_tete")
    ]
    out = list(places)
    for i in range(1, len(out)):
        if text[out[i - 1].end : out[i].start].strip() == "(":  # "Sèvremoine (Saint-Macaire)"
            out[i] = replace(out[i], role="repere")
    for i, earlier in enumerate(out):
        if earlier.role != HOME or not earlier.codes:
            continue
        for j in range(i + 1, len(out)):
            later = out[j]
            # the correction said of the place: it is said as home, or the correction is close
            # before it (not "… maintenant je suis en recherche d'emploi… le centre d'Alençon")
            if (
                later.role == HOME
                and later.codes
                and any(
                    earlier.end <= c < later.start
                    and (later.evidence >= 2 or later.start - c <= CORRECTION_REACH)
                    for c in cues
                )
            ):
                out[i] = replace(earlier, role="ancien")
                out[j] = replace(later, corrected=True, evidence=max(later.evidence, earlier.evidence))
                break
    return tuple(out)


def _routes(text: str, places: tuple[Place, ...]) -> tuple[Place, ...]:
    """ "je fais Laval-Rennes tous les jours", "Nevers-Decize, c'est 36 km": two towns joined by
    a dash or a slash are a trip between them; which end is home is not said."""
    joined = [
        i
        for i, (a, b) in enumerate(zip(places, places[1:], strict=False))
        if text[a.end : b.start].strip() in ("-", "–", "/")
    ]
    ends = {j for i in joined for j in (i, i + 1)}
    return tuple(
        replace(p, role="destination") if i in ends and p.role == HOME else p for i, p in enumerate(places)
    )


def _narrowed_by_landmarks(places: tuple[Place, ...], communes: CommuneIndex) -> tuple[Place, ...]:
    """ "Avrillé, près d'Angers": the one homonym in the département of another place named
    (or named after it there, or in its region: "Saint-Denis, près de Paris");
    "Allonnes, code postal 28150", "Laval, celui de 38190": the commune of that name (or
    named after it, "Laval-en-Belledonne") the postal code serves, which is then no other place."""
    out, settled = [], set()
    for place in places:
        key = normalize(place.text)
        for code in (p for p in places if p.postal and p is not place and not place.postal):
            named = [
                c
                for c in code.codes
                if c in communes.codes_for_name(key)
                or normalize(communes.by_code(c).nom).startswith(key + " ")
            ]
            if len(named) == 1:
                place, settled = replace(place, codes=tuple(named), suggestions=()), settled | {id(code)}
                break
        if not place.postal and place.role != "repere":
            for other in places:
                # Any town named beside a homonym pins it; a landmark ("près de Grenoble") also
                # pins a name that has one commune elsewhere (Laval → Laval-en-Belledonne).
                if other is not place and other.found and (len(place.codes) > 1 or other.role == "repere"):
                    near = communes.near(key, place.codes, other.codes[0])
                    if len(near) == 1:
                        place = replace(place, codes=near)
                        break
        out.append(place)
    return tuple(p for p in out if id(p) not in settled)


def _second_place_of(verb, place) -> bool:
    """ "travailler en Mayenne, à Ernée": past the comma, a second place the verb itself governs."""
    return place.head.i == verb.i and any(
        t.pos_ == "PROPN" and t.head.i == verb.i and t.dep_.startswith("obl")
        for t in verb.doc[verb.i + 1 : place.i]
    )
