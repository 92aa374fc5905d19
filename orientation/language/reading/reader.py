"""`Reader.read(text, doc)`: the facts a French message states, from spaCy's analysis.

The words are matched against the lexicon (lexique.yml, and the services and terms
of knowledge/); negation is read from the parse ("ne … pas" hangs on its verb) and
from the words just before; places come with their role (places.py).
"""

from __future__ import annotations

from typing import Optional

from orientation.language.reading.facts import ASKED, LACKING, MENTIONED, Reading
from orientation.language.reading.lexicon import Lexicon, Match, Word, words_of
from orientation.language.reading.places import PlaceFinder
from orientation.vocabulary import subsumed

# Messages are read up to this many characters: nobody tells their situation in more,
# and it bounds what a 10,000-character message costs.
MAX_TEXT = 2000
MIN_AGE, MAX_AGE = 14, 99
NEGATION_REACH = 3  # words between a negation and what it negates ("pas de permis")
# Words that open a new clause: a negation does not reach past them.
CLAUSE_OPENERS = frozenset("je j mais et c ca".split())
NEGATION_LEMMAS = frozenset("ne pas plus jamais".split())
ASK_REACH = 8  # words before a need in which "je voudrais", "il me faut" ask for it
SHORT = 4  # a message this short that names a need asks for it
SIGNALS = (
    "correction",
    "aussi",
    "question",
    "prescripteur",
    "recommencer",
    "passer",
    "salutation",
    "aide",
    "comment_obtenir",
)


class Reader:
    def __init__(self, nlp, lexicon: Lexicon, places: PlaceFinder, needs: dict[str, tuple[str, ...]]):
        self.nlp, self.lexicon, self.places = nlp, lexicon, places
        self.needs = needs  # a term of knowledge/ → the needs its services answer

    def read(self, text: str, doc=None) -> Reading:
        text = (text or "")[:MAX_TEXT]
        doc = doc if doc is not None and len(doc.text) <= MAX_TEXT else self.nlp(text)
        self.asks = text.rstrip().endswith("?")
        words = words_of(doc)
        matches = self.lexicon.matches(words)
        view = self.lexicon.doc(words)
        keys = {m.key for m in matches}
        professional, beneficiary = self._voice(words, matches)
        situations, ended = self._situations(words, matches, doc, professional)
        besoin, strength = self._need(words, matches)
        signals = {s for s in SIGNALS if f"indice:{s}" in keys}
        if text.rstrip().endswith("?"):
            signals.add("question")
        signals |= self._opening(words, matches)
        if self._foreign(matches):
            signals.add("etranger")
        return Reading(
            situations=situations,
            situations_ended=ended,
            besoin=besoin,
            besoin_strength=strength,
            terms=self._terms(matches),
            age=self._age(words, matches, professional),
            number=_number(words),
            places=self.places.find(text, words, matches, doc, view),
            professional=professional,
            beneficiary=beneficiary,
            signals=frozenset(signals),
        )

    # ----------------------------------------------------------------- situations

    def _situations(self, words, matches, doc, professional: bool):
        found, ended = [], []
        own_job = {m.start for m in matches if m.key == "voix:metier"} if professional else set()
        for m in _longest(matches, "situation"):
            if own_job and any(words[j].clause == words[m.start].clause and j < m.start for j in own_job):
                continue  # "je suis conseillère à France Travail": the professional's own job
            if doc[words[m.start].token].dep_ == "acl:relcl" or words[m.start - 1 : m.start] and words[
                m.start - 1
            ].text in ("ou", "que", "qu"):
                continue  # "là où je travaille" names a place, not a situation
            target = ended if self._negated(words, matches, doc, m) else found
            if m.code not in target:
                target.append(m.code)
        found = [s for s in found if s not in ended]
        return subsumed(found), tuple(ended)

    def _negated(self, words: list[Word], matches, doc, m: Match) -> bool:
        """ "je ne suis plus au RSA", "pas de permis", "ni voiture": a negation close before,
        in the same clause, or one the parse hangs on the verb that governs the words."""
        for j in range(m.start - 1, max(-1, m.start - NEGATION_REACH - 2), -1):
            if words[j].clause != words[m.start].clause or words[j].text in CLAUSE_OPENERS:
                break
            if any(n.key == "indice:negation" and n.start == j for n in matches):
                return True
        head = doc[words[m.start].token].head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        return head.i < words[m.start].token and any(
            c.lemma_ in NEGATION_LEMMAS and c.dep_ == "advmod" and c.i < words[m.start].token
            for c in head.children
        )

    # ----------------------------------------------------------------- the need

    def _need(self, words: list[Word], matches: list[Match]) -> tuple[Optional[str], int]:
        """The need most strongly expressed, and how strongly (ASKED, LACKING, MENTIONED)."""
        false = [m for m in matches if m.kind == "faux"]  # "code postal"
        needs = [
            m
            for m in _longest(matches, "besoin", "terme")
            if not any(f.start < m.end and m.start < f.end for f in false)
            and not self._not_a_need(words, matches, m)
        ]
        # "je sais pas conduire": not knowing how is a need, not a doubt.
        needs = [
            m for m in needs if m.code != "accompagnement" or not _overlaps(m, [n for n in needs if n.code != m.code])
        ]
        if not needs:
            return None, 0
        first_end = min(m.end for m in needs)
        best, found = None, set()
        order = list(self.lexicon.need_order)
        for m in needs:
            code = self._need_code(m)
            if code is None:
                continue
            strength = self._strength(words, matches, m)
            # A need named after "en fait", "plutôt", once another need was named, replaces it.
            corrected = any(
                c.key == "indice:correction" and first_end <= c.start < m.start for c in matches
            )
            key = (corrected, ASKED if corrected else strength, -order.index(code), code)
            found.add(code)
            best = max(best, key) if best else key
        if best is None:
            return None, 0
        if best[3] == "vehicule" and best[1] == LACKING and any(
            m.code == "transport" and _after(words, m.start, ("pour",)) for m in needs
        ):
            return "transport", LACKING  # "pas de voiture pour aller travailler": a lift is the need
        topics = found - {"accompagnement"} - ({"vehicule"} if "reparation" in found else set())
        if any(m.key == "indice:doute" for m in matches) and len(topics) >= 2:
            return "accompagnement", ASKED  # "bus, vélo, covoiturage, je suis perdu"
        return best[3], best[1]

    def _need_code(self, m: Match) -> Optional[str]:
        if m.kind == "besoin":
            return m.code
        needs = self.needs.get(m.code) or ()
        return needs[0] if needs else None

    def _strength(self, words: list[Word], matches: list[Match], m: Match) -> int:
        before = [w for w in words[: m.start]]
        opens = len(before) <= 1 and not any(n.key == "indice:negation" and n.end <= m.start for n in matches)
        asking = any(
            c.key == "indice:demande" and m.start - ASK_REACH <= c.start and c.end <= m.start for c in matches
        )
        asked_after = any(
            c.key == "indice:demande_apres" and m.end <= c.start <= m.end + 2 for c in matches
        )
        states_demand = any(d.kind == "demande" and d.start < m.end and m.start < d.end for d in matches)
        service_asked = m.kind == "terme" and any(
            c.key in ("indice:comment_obtenir", "indice:question") for c in matches
        )
        # "ni voiture ni permis, un transport pour mon entretien ?": asked in the question.
        in_question = self.asks and words[m.start].clause == words[-1].clause
        if len(words) <= SHORT or opens or asking or asked_after or states_demand or service_asked or in_question:
            return ASKED
        if any(
            n.key == "indice:negation" and m.start - 4 <= n.start < m.start and n.end <= m.start for n in matches
        ):
            return LACKING
        return MENTIONED

    def _not_a_need(self, words, matches, m: Match) -> bool:
        """What the person has ("j'ai déjà le permis", "ma voiture" that works), or does not want
        yet ("pas besoin de voiture", "en attendant le permis")."""
        start = m.start
        if any(c.key == "indice:pas_besoin" and start - 4 <= c.end <= start for c in matches):
            return True
        if start >= 1 and self.lexicon.has("indice:determinant", words[start - 1].text):
            own = any(c.key == "indice:possession" and c.end in (start - 1, start - 2) for c in matches)
            problem = any(d.kind == "demande" and m.end <= d.start <= m.end + 2 for d in matches)
            negated = any(n.key == "indice:negation" and start - 3 <= n.start < start for n in matches)
            return own and not problem and not negated
        return False

    # ----------------------------------------------------------------- age, voice, signals

    def _age(self, words: list[Word], matches, professional: bool) -> Optional[int]:
        """An age said as an age: "j'ai 22 ans", "une dame de 52 ans"; not "depuis 15 ans",
        "moins de 26 ans", "mon fils a 19 ans", "ça fait 20 ans que"."""
        for i, w in enumerate(words[:-1]):
            if not w.text.isdigit() or words[i + 1].text not in ("ans", "an", "a", "years", "year"):
                continue
            before = [x.text for x in words[max(0, i - 3) : i]]
            said = before[-2:] in (["j", "ai"], ["i", "m"]) or before[-1:] in (["jai"], ["g"], ["ai"])
            if words[i + 1].text == "a" and not said:
                continue
            if i + 2 < len(words) and words[i + 2].text in ("que", "qu"):
                continue
            if not said and any(c.key == "indice:duree" and c.end == i for c in matches):
                continue
            relative = any(c.key == "lieu:proche" and i - 3 <= c.start < i for c in matches)
            if relative and not professional:
                continue
            age = int(w.text)
            if MIN_AGE <= age <= MAX_AGE:
                return age
        return None

    def _voice(self, words: list[Word], matches: list[Match]) -> tuple[bool, bool]:
        """(a professional speaks of someone, the person speaks of themselves)."""
        keys = {m.key for m in matches}
        self_words = "voix:soi" in keys or (
            words and any(m.key == "voix:soi_en_tete" and m.start == 0 for m in matches)
        )
        titled = any(
            m.key == "voix:metier" and (m.start <= 1 or _after(words, m.start, ("je", "suis", "jsuis", "chui")))
            for m in matches
        )
        other = any(m.key == "voix:autrui" and _someone(words, m) for m in matches)
        professional = "voix:accompagner" in keys or titled or (other and "voix:soi" not in keys)
        return professional and "voix:soi" not in keys, bool(self_words)

    def _opening(self, words: list[Word], matches: list[Match]) -> set[str]:
        """What the message opens or ends with: "je sais pas", "oui", "non", "on passe"."""
        out = set()
        if any(m.key == "indice:passer_en_fin" and m.end == len(words) for m in matches):
            out.add("passer")
        if any(m.key == "indice:correction_en_tete" and m.start <= 1 for m in matches):
            out.add("correction")
        if any(m.key == "indice:negation" for m in matches) and any(
            w.text == "mais" for w in words
        ):
            out.add("correction")  # "pas salarié mais intérimaire"
        if any(m.key == "indice:ne_sait_pas" and m.start <= 2 for m in matches):
            out.add("ne_sait_pas")
        if words and words[0].text in ("oui", "ouais", "ok", "yes", "exact", "exactement", "voila"):
            out.add("oui")
        if words and words[0].text in ("non", "nan", "nn", "no"):
            out.add("non")
        return out

    def _foreign(self, matches: list[Match]) -> bool:
        foreign = sum(m.key == "langue:etrangers" for m in matches)
        return foreign >= 2 and foreign > sum(m.key == "langue:francais" for m in matches)

    def _terms(self, matches: list[Match]) -> tuple[str, ...]:
        """Terms named (services, glossary), the one right after "c'est quoi" first."""
        terms = _longest(matches, "terme")
        asked = [t for t in terms if any(q.key == "indice:question" and q.end <= t.start for q in matches)]
        ordered = asked[:1] + [t for t in terms if t not in asked[:1]]
        return tuple(dict.fromkeys(t.code for t in ordered))


def _longest(matches: list[Match], *kinds: str) -> list[Match]:
    """Matches of these kinds, a match inside a longer one dropped ("auto école" over "auto")."""
    chosen = [m for m in matches if m.kind in kinds]
    return [
        m
        for m in chosen
        if not any(o is not m and o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start for o in chosen)
    ]


POSSESSIVES = frozenset("mon ma mes notre nos".split())
DETERMINERS = POSSESSIVES | frozenset("un une la le cette ce 1".split())


def _someone(words: list[Word], m: Match) -> bool:
    """ "la personne que j'accompagne", "une dame de 52 ans", "mon usager", "pour un jeune":
    someone a professional speaks of; not "personne ne peut", "une personne m'a dit"."""
    if m.start == 0 or words[m.start - 1].text not in DETERMINERS:
        return False
    after = [w.text for w in words[m.end : m.end + 2]]
    before = [w.text for w in words[max(0, m.start - 3) : m.start - 1]]
    return (
        words[m.start - 1].text in POSSESSIVES
        or after[:1] in (["que"], ["qui"], ["agee"], ["age"])
        or (after[:1] == ["de"] and after[1:2] != [] and after[1].isdigit())
        or bool({"pour", "ai", "jai", "accompagne"} & set(before))
    )


def _overlaps(m: Match, others: list[Match]) -> bool:
    return any(o is not m and o.start < m.end and m.start < o.end for o in others)


def _after(words: list[Word], i: int, cues: tuple[str, ...]) -> bool:
    """Whether one of `cues` is among the three words before word i ("je suis (une) conseillère")."""
    return any(w.text in cues for w in words[max(0, i - 3) : i])


def _number(words: list[Word]) -> Optional[int]:
    """The whole message is a number of one or two digits ("22", "22 ans")."""
    digits = [w for w in words if w.text.isdigit()]
    if len(digits) == 1 and len(words) <= 3 and len(digits[0].text) <= 2:
        age = int(digits[0].text)
        return age if MIN_AGE <= age <= MAX_AGE else None
    return None
