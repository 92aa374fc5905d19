"""`Reader.read(text, doc)`: the facts a French message states, from spaCy's analysis.

The words are matched against the lexicon (lexique.yml, and the terms of
knowledge/); a negation is read from the words just before and from the parse
("ne … pas" hangs on its verb); places come with their role (places.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Optional

from orientation.language.reading.facts import ASKED, HOME, LACKING, MENTIONED, THIRD_PARTY, Reading
from orientation.language.reading.lexicon import Lexicon, Match, Word, words_of
from orientation.language.reading.places import LONG_MESSAGE, PlaceFinder, verb_of
from orientation.language.words import WORDS, imperfect
from orientation.vocabulary import PLATFORM_TERM as PLATFORM
from orientation.vocabulary import SUBSUMES, subsumed

# Messages are read up to this many characters: nobody tells their situation in more,
# and it bounds what a 10,000-character message costs.
MAX_TEXT = 2000
MIN_AGE, MAX_AGE = 14, 99
OFFER_REACH = 3  # words after "je ne sais pas si" that say it is about the offer ("si vous…")
NEGATION_REACH = 4  # words from a negation to what it negates ("je n'ai pas de permis")
WINDOW_TO_DESTINATION = 6  # words from "aller" to where ("aller 3 fois par semaine à des ateliers")
PURPOSE_REACH = 4  # words from "pour" to the trip it is for ("un vélo pour une partie du trajet")
FIN_REACH = 5  # words from a situation to what ends it ("le rsa ils me l'ont coupé")
ASK_REACH = 8  # words before a need in which "je voudrais", "il me faut" ask for it
AFTER_REACH = 2  # words after a need in which "c'est possible", "ce serait top" ask for it
SHORT = 4  # a message this short that names a need asks for it
# The lexicon's cues reported as they are (Reading.signals).
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
SIGNALS = "correction aussi question prescripteur recommencer passer salutation aide retraite".split()


@dataclass
class Message:
    """A message as the reader sees it: spaCy's doc, the words, the lexicon's matches."""

    text: str
    doc: object
    words: list[Word]
    matches: list[Match]

    @property
    def asked_term(self) -> Optional[Match]:
        """The term a question is about: the first one named after "c'est quoi", "ça veut dire"
        in the same part of the message ("c'est quoi un référent RSA ?"), or just before it
        ("un garage solidaire, c'est quoi ?")."""
        return self.asked_about("terme")

    def asked_about(self, *kinds: str) -> Optional[Match]:
        clause = {i: w.clause for i, w in enumerate(self.words)}
        questions = [m for m in self.matches if m.key == "indice:question"]
        return next(
            (
                t
                for t in _longest(self.matches, *kinds)
                if any(
                    (q.end <= t.start + 1 and clause[q.start] == clause[t.start])
                    or t.end <= q.start <= t.end + 1
                    for q in questions
                )
            ),
            None,
        )

    def only_asked_about(self, m: Match) -> bool:
        """Words inside the term asked about say nothing of the person ("c'est quoi le RSA ?"),
        unless they ask how to get it ("comment on l'obtient ?")."""
        term = self.asked_term
        inside = term is not None and term.start < m.end and m.start < term.end
        wanted = (
            self.has("indice:comment_obtenir")
            or (term and self.cue("indice:demande", term.start, ASK_REACH))
            or (term and term.code.startswith(PLATFORM))  # "c'est quoi Mobimauges ?": its help
        )
        return inside and not wanted

    @cached_property
    def refused(self) -> list[Match]:
        """Demands under a negation: "je ne peux pas payer" is lacking, not asked for."""
        return [c for c in self.matches if c.kind in ("demande", "indice") and _negated_word(self, c)]

    @cached_property
    def parsed(self) -> bool:
        """Whether the doc has sentence boundaries (the parse): checked once, it scans the doc."""
        return self.doc.has_annotation("SENT_START")

    @cached_property
    def wondered(self) -> frozenset[int]:
        """The words of demands said in a clause of doubt: "je ne sais pas si je devrais…"."""
        doubts = {
            self.words[i].token
            for d in self.matches
            if d.key == "indice:doute"
            for i in range(d.start, d.end)
        }
        return frozenset(
            i
            for c in self.matches
            if c.key == "indice:demande" and _doubted(self, c, doubts)
            for i in range(c.start, c.end)
        )

    @cached_property
    def demand_tokens(self) -> frozenset[int]:
        """The spaCy tokens of the demands, neither negated nor wondered."""
        return frozenset(
            self.words[i].token
            for c in self.matches
            if c.key == "indice:demande" and c not in self.refused and c.start not in self.wondered
            for i in range(c.start, c.end)
        )

    def has(self, key: str) -> bool:
        return any(m.key == key for m in self.matches)

    def cue(self, key: str, start: int, reach: int) -> bool:
        """A match of `key` within `reach` words before word `start`, in the same part of the message."""
        clause = self.words[min(start, len(self.words) - 1)].clause if self.words else 0
        return any(
            m.key == key
            and start - reach <= m.start
            and m.end <= start
            and self.words[m.start].clause == clause
            for m in self.matches
        )

    def word(self, i: int) -> str:
        return self.words[i].text if 0 <= i < len(self.words) else ""


class Reader:
    def __init__(self, nlp, lexicon: Lexicon, places: PlaceFinder, needs: dict[str, tuple[str, ...]]):
        self.nlp, self.lexicon, self.places = nlp, lexicon, places
        self.needs = needs  # a term of knowledge/ → the needs its services answer

    def read(self, text: str, doc=None) -> Reading:
        text = (text or "")[:MAX_TEXT]
        doc = doc if doc is not None and len(doc.text) <= MAX_TEXT else self.nlp(text)
        words = words_of(doc)
        msg = Message(text, doc, words, self.lexicon.matches(words))
        professional, beneficiary = self._voice(msg)
        situations, ended, situation_spans = self._situations(msg, professional)
        besoin, strength, need_spans = self._need(msg)
        age, age_span = self._age(msg, professional)
        number = _number(words)
        if number is not None and not age_span:  # "22", answering "quel âge ?"
            age_span = [("age", str(number), *next((w.start, w.end) for w in words if w.text.isdigit()))]
        places = self.places.find(text, words, msg.matches, doc, self.lexicon.doc(words))
        theirs = [p.start for p in places if p.role == THIRD_PARTY or _where_a_relative_is(msg, p)]
        if theirs and _for_a_relative(msg):
            # "je suis son fils et j'habite à Rennes, ma mère habite Villaines", "j'habite à Paris
            # mais je vous écris pour mon frère qui est à Angers": the person to orient is the
            # relative; the writer's town is a relative's town
            swap = {HOME: "proche"}
            places = tuple(
                replace(p, role=HOME if p.start in theirs else swap.get(p.role, p.role)) for p in places
            )
        # "une dame qui habite Ernée": the person a professional speaks of; said by anyone else,
        # a third party's town (a professional known from earlier messages: Reading.homes_for)
        places = tuple(replace(p, role=HOME) if professional and p.role == THIRD_PARTY else p for p in places)
        place_spans = [
            ("commune", text[p.start : p.end], p.start, p.end)
            for p in places
            if p.codes and p.role != "ancien"
        ]
        asked = msg.asked_term
        term_spans = [_span(msg, "terme", asked.code, asked)] if asked else []
        return Reading(
            situations=situations,
            situations_ended=ended,
            besoin=besoin,
            besoin_strength=strength,
            terms=self._terms(msg),
            topic=self._topic(msg),
            age=age,
            number=number,
            places=places,
            professional=professional,
            beneficiary=beneficiary,
            signals=self._signals(msg),
            spans=tuple(
                sorted(situation_spans + need_spans + age_span + place_spans + term_spans, key=lambda s: s[2])
            ),
        )

    # ----------------------------------------------------------------- situations

    def _situations(self, msg: Message, professional: bool):
        found, ended, past, spans, own, for_work = [], [], [], [], [], []
        # "je suis CIP…", "je travaille à la Mission locale…": where a professional works.
        jobs = [
            m.start
            for m in msg.matches
            if (m.key == "voix:metier" and _first_person(msg, m.start))
            or (m.key == "situation:salarie" and msg.word(m.start) in ("je", "j"))
        ]
        false = [m for m in msg.matches if m.kind == "faux"]  # "jeune conducteur"
        for m in _longest(msg.matches, "situation"):
            if msg.only_asked_about(m) or _overlaps(m, false):
                continue
            relative = msg.doc[msg.words[m.start].token].dep_ == "acl:relcl"
            if relative or msg.word(m.start - 1) in ("ou", "que"):
                continue  # "là où je travaille" names a place, not a situation
            what_for = _what_for(msg, m)
            if what_for and m.code != "demandeur_emploi" and msg.word(m.start) not in WORDS["emploi_a_soi"]:
                # "une voiture pour un CDD", "pour m'emmener au travail": what for, not who; but
                # "pour trouver du travail, il me faut le permis": seeking work is who, and
                # "pour mon boulot", "pour rentrer du travail": a job the person has, when
                # nothing else is said of them (`for_work` below: not the mother at home's
                # "le permis pour pouvoir chercher du travail")
                continue
            clause = msg.words[m.start].clause
            if professional and any(msg.words[j].clause == clause and j <= m.start for j in jobs):
                own.append(m)  # "je suis CIP en chantier d'insertion": where the professional works
                continue
            # "je ne suis plus", "avant je bossais", "le rsa, ils me l'ont coupé"
            # a situation said by a negation of its own ("inscrite nulle part", "sans activité")
            # is not negated by the "ne" before it
            said_negative = any(
                self.lexicon.has("indice:negation", w.text) for w in msg.words[m.start : m.end]
            )
            negated = (
                (self._negated(msg, m) and not said_negative)
                or msg.cue("lieu:ancien", m.start, 3)
                or _taken_back(msg, m)
            )
            if _past(msg, m) and not negated:
                past.append(m.code)  # "je travaillais": over, unless said in the present too
                continue
            (ended if negated else for_work if what_for else found).append(m.code)
            if not negated:
                spans.append(_span(msg, "situation", m.code, m))
        # The structure tells the public it accompanies: a référente RSA's "monsieur qui a
        # décroché un CDD" is at the RSA too; but "je travaille à la Mission locale" is the
        # professional's job, no public.
        found = found or for_work  # "au RSA, une voiture pour mon travail": the RSA says who
        publics = [m for m in own if m.code != "salarie"]
        if publics and set(found) <= {SUBSUMES.get(m.code) for m in publics}:
            spans += [_span(msg, "situation", m.code, m) for m in publics]  # said of nobody else
        found += [m.code for m in publics]
        # "j'ai un travail au McDo… au début j'allais à pied à mon travail": the job is current
        ended += [code for code in past if code not in found]
        found = [s for s in dict.fromkeys(found) if s not in ended]
        return subsumed(found), tuple(dict.fromkeys(ended)), _one_span_each(spans, found)

    def _negated(self, msg: Message, m: Match) -> bool:
        """ "je ne suis plus au RSA", "pas de permis", "ni voiture": a negation close before,
        in the same clause, or one the parse hangs on the verb that governs the words."""
        words = msg.words
        if msg.word(m.start) in WORDS["possessifs"]:
            # "ce n'est pas dans mon contrat", "pas payé par mon employeur": said of a job that
            # is there; only "plus", "jamais" say it is gone ("je n'ai plus mon boulot")
            clause = words[m.start].clause
            before = words[max(0, m.start - NEGATION_REACH) : m.start]
            return any(w.text in WORDS["negations_de_fin"] and w.clause == clause for w in before)
        for j in range(m.start - 1, max(-1, m.start - NEGATION_REACH - 1), -1):
            if words[j].clause != words[m.start].clause or words[j].text in WORDS["ouvrants"]:
                break
            also = any(a.key == "indice:aussi" and a.start <= j < a.end for a in msg.matches)
            if msg.cue("indice:negation", j + 1, 1) and not also:  # not the "plus" of "en plus d'être"
                return True
        last = msg.doc[words[m.end - 1].token]
        if msg.word(m.end) in WORDS["plus_la"] and last.pos_ in ("VERB", "AUX"):
            return True  # "je bosse pas", "je travaille plus": the SMS drops the "ne"
        token = msg.doc[words[m.start].token]
        if token.dep_ == "conj" and any(c.dep_.startswith("nsubj") for c in token.children):
            return False  # "je n'ai pas de mission et je suis inscrit": a clause of its own
        head = token
        while True:
            if head.dep_ == "conj" and any(
                c.dep_ == "cc" and c.lemma_ in WORDS["contraste"] for c in head.children
            ):
                return False  # "pas au RSA mais inscrit à France Travail": after "mais", said
            if head.i != token.i and head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
                break
            head = head.head
        # not a negation the parse hangs across a comma: "je suis plus au rsa, j'ai signé un cdi"
        clause_of = {w.token: w.clause for w in words}
        # nor one before the verb's own subject: "je suis plus au rsa parce que j'ai un cdd"
        subjects = [c.i for c in head.children if c.dep_.startswith("nsubj")]
        return head.i < token.i and any(
            c.lemma_ in WORDS["negation_du_verbe"]
            and c.dep_ == "advmod"
            and c.i < token.i
            and clause_of.get(c.i) == words[m.start].clause
            and not any(c.i < i < token.i for i in subjects)
            for c in head.children
        )

    # ----------------------------------------------------------------- the need

    def _need(self, msg: Message):
        """The need most strongly expressed, how strongly (ASKED, LACKING, MENTIONED), its spans."""
        false = [m for m in msg.matches if m.kind == "faux"]  # "code postal"
        needs = [
            (m, self._need_code(m))
            for m in _longest(msg.matches, "besoin", "terme")
            if not _overlaps(m, false) and not self._not_a_need(msg, m) and not msg.only_asked_about(m)
        ]
        needs = [(m, code) for m, code in needs if code]
        if msg.has("indice:cout"):
            # "ça coûte 90 euros, il y a une aide ?", "le permis c trop cher, des aides ??": money
            needs += [(m, "financement") for m in msg.matches if m.key == "indice:aide_nom"]
        # "je sais pas conduire": not knowing how is a need, not a doubt; "payer la réparation":
        # what a demand is about is not a second need.
        needs = [
            (m, code)
            for m, code in needs
            if not (code == "accompagnement" and _overlaps(m, [n for n, c in needs if c != code]))
            and not (code == "accompagnement" and _about_the_offer(msg, m))
            and not _object_of_another(msg, m, code)
            and not (code == "accompagnement" and _doubt_about_a_trip(msg, m, needs))
        ]
        if not needs:
            return None, 0, []
        first_end = min(m.end for m, _ in needs)
        order = list(self.lexicon.need_order)
        ranked = []
        for m, code in needs:
            # A need named after "en fait", "plutôt", "… non,", once another need was named, replaces it.
            corrected = any(first_end <= c.start < m.start for c in _corrections(msg))
            strength = self._strength(msg, m, code)
            strength = max(strength, LACKING) if corrected else strength
            # Asked in the closing question ("… vous prêtez des voitures ?"): the request itself.
            about = m is msg.asked_about("besoin", "terme") and msg.has("indice:comment_obtenir")
            questioned = about or (
                msg.text.rstrip().endswith("?") and msg.words[m.start].clause == msg.words[-1].clause
            )
            # Asked by the person: "je cherche une solution de transport" (over "vendue pour payer
            # des dettes": a verb of the lexicon only), "c'est quoi un micro-crédit ? comment ça
            # marche ?" (the service asked about); "je voudrais un vélo électrique… des conseils ?"
            # (advice on the vélo asked for).
            explicit = _asked_by_the_person(msg, m) or _asked_after(msg, m) or about
            # "il me faut un abonnement, ça coûte 90 euros, il y a une aide ?": the aid is asked
            explicit = explicit or (questioned and m.key == "indice:aide_nom")
            # A service named ("garage solidaire dans le coin ?") over a need said in other words.
            # A platform named ("Mobimauges fait du transport") is no service named.
            named = m.kind == "terme" and not m.code.startswith("plateforme:")
            ranked.append(((corrected, strength, named, explicit, questioned, -order.index(code)), code, m))
        _, besoin, _ = max(ranked, key=lambda r: r[0])
        strength = max(r[0][1] for r in ranked if r[1] == besoin)
        if (
            besoin == "vehicule"
            and strength == LACKING
            and (
                any(code == "transport" and msg.word(m.start - 1) in WORDS["but"] for m, code in needs)
                or msg.has("lieu:destination")
                or msg.has("lieu:ecole")
            )
        ):
            # "pas de voiture pour aller travailler", "un entretien à Cholet et pas de voiture",
            # "une formation à La Flèche et pas de voiture": somewhere to go without a car, a
            # lift is the need.
            besoin = "transport"
        topics = {code for _, code in needs} - {"accompagnement"}
        if "reparation" in topics:
            topics.discard("vehicule")  # the car of "ma voiture est en panne" is what to repair
        # "jsp, pas de permis, pas de voiture, le bus passe 2 fois": several means and a doubt
        # (not the "je sais pas" of "je sais pas conduire").
        means = [n for n, code in needs if code != "accompagnement"]
        # nor "je ne sais pas comment faire pour y aller": a doubt about a trip asks for the trip
        trips = [n for n, code in needs if code == "transport"]
        doubt = any(
            m.key == "indice:doute"
            and not _overlaps(m, means)
            and not _infinitive_after(msg, m)  # "je sais pas faire de vélo": not knowing how
            # "pour aller à l'hôpital… je ne sais pas comment faire": a doubt about a trip
            and not any(msg.words[t.start].clause == msg.words[m.start].clause for t in trips)
            and not _about_the_offer(msg, m)
            for m in msg.matches
        )
        # but "je voudrais passer le permis, je ne sais pas si c'est possible": asked for
        demanded = any(_asked_by_the_person(msg, n) for n in means)
        # and "je sais pas si je dois demander une voiture ou un vélo… bon, le vélo ça suffit":
        # one of the means wondered about, named again after the doubt, is the one chosen
        chosen = _chosen_after_a_doubt(msg, needs)
        if doubt and chosen:
            besoin, strength = chosen, ASKED
        elif doubt and topics and not demanded:
            # "bus, vélo, covoiturage, je suis perdu", "plus de voiture, je sais pas par quoi commencer"
            besoin, strength = "accompagnement", ASKED
        lacking = {r[1] for r in ranked if r[1] != "accompagnement" and r[0][1] >= LACKING}
        if besoin == "accompagnement" and len(lacking) == 1:
            (topic,) = lacking
            said = [m for m, code in needs if code == besoin]
            # "pas de bus… qui pourrait l'aider pour ses déplacements ?": the one means lacking;
            # "je voudrais un vélo, je ne sais pas lequel, vous pouvez me conseiller ?", "par où
            # commencer pour le permis ?": advice on the one means asked for
            asked = any(r[1] == topic and r[0][1] == ASKED for r in ranked)
            if _all_inside(msg, said, "indice:mobilite_en_general") or (
                asked
                and _all_inside(msg, said, "indice:mobilite_en_general", "indice:conseil_sur", "indice:doute")
            ):
                besoin = topic
        # Where the need is said: its most strongly said phrase (annotated so in the training data).
        said = [r for r in ranked if r[1] == besoin]
        spans = [_span(msg, "besoin", besoin, max(said, key=lambda r: r[0])[2])] if said else []
        return besoin, strength, spans

    def _need_code(self, m: Match) -> Optional[str]:
        if m.kind == "besoin":
            return m.code
        needs = self.needs.get(m.code) or ()
        return needs[0] if needs else None

    def _strength(self, msg: Message, m: Match, code: str) -> int:
        words = msg.words
        refused = msg.refused
        demand = any(
            d.kind == "demande" and d.start < m.end and m.start < d.end and d not in refused
            for d in msg.matches
        )
        asking = any(
            c.key == "indice:demande"
            and m.start - ASK_REACH <= c.start
            and c.end <= m.start
            and words[c.start].clause == words[m.start].clause
            and c not in refused
            and not _contrast_between(msg, c.end, m.start)
            and c.start not in msg.wondered
            for c in msg.matches
        )
        learning = any(c.key == "indice:demande_apres" and c.end == m.start for c in msg.matches)
        # "un vélo pour une partie du trajet": the trip is what a means is for; but "comment faire
        # pour y aller", "une solution pour ses trajets", "aucun moyen pour s'y rendre" ask for the trip
        opens = all(w.text in WORDS["ouvertures"] for w in words[: m.start])  # "et pour un transport ?"
        # (the "pour" of "pour aller", a need's own words, is one too)
        purpose = not opens and any(
            w.text in WORDS["but"]
            and not msg.cue("indice:comment_obtenir", i, 3)
            and msg.word(i - 1) not in WORDS["demandes_de_trajet"]
            for i, w in enumerate(
                words[max(0, m.start - PURPOSE_REACH) : m.start + 1], max(0, m.start - PURPOSE_REACH)
            )
        )
        if code == "transport" and (purpose or learning) and not demand:
            # "un vélo pour aller bosser", "je voudrais apprendre pour aller au lycée": going
            # somewhere is what for, not what is asked
            return MENTIONED
        asked = (
            len(words) <= SHORT
            # the message opens with it: "et pour un vélo ?", "une voiture en attendant"
            or opens
            or asking
            or _governed_by_a_demand(msg, m)
            or msg.cue("indice:comment_obtenir", m.start, 3)  # "comment faire pour y aller"
            or _asked_after(msg, m)
            or demand
            # a service named and "comment on l'obtient ?", "c'est quoi ?"
            or (m.kind == "terme" and (msg.has("indice:comment_obtenir") or msg.has("indice:question")))
            # "c'est quoi un micro-crédit ? comment ça marche ?"
            or (m is msg.asked_about("besoin", "terme") and msg.has("indice:comment_obtenir"))
            # "ni voiture ni permis, un transport pour mon entretien ?": asked in the question
            or (msg.text.rstrip().endswith("?") and words[m.start].clause == words[-1].clause)
        )
        inability = any(self.lexicon.has("indice:negation", w.text) for w in words[m.start : m.end])
        # "une auto-école pour les gens qui ont pas les moyens ?", "passer le permis sans payer
        # 1500 €": no money is a reason, not a request
        inability = inability or (code == "financement" and msg.cue("indice:negation", m.start, 1))
        if asked and not (code == "financement" and inability):
            return ASKED
        if msg.cue("indice:negation", m.start, NEGATION_REACH) or inability:  # "sais pas faire du vélo"
            return LACKING
        # "le car ne passe pas aux bonnes heures": the means is the subject of a negated verb
        token = msg.doc[words[m.end - 1].token]
        if token.dep_.startswith("nsubj") and any(
            c.dep_ == "advmod" and c.lemma_ in WORDS["negation_du_verbe"] for c in token.head.children
        ):
            return LACKING
        return MENTIONED

    def _not_a_need(self, msg: Message, m: Match) -> bool:
        """What the person has ("j'ai déjà le permis", "ma voiture" that works), does not want yet
        ("pas besoin de voiture", "en attendant le permis"), or goes to ("aller à l'auto-école")."""
        if msg.cue("indice:pas_besoin", m.start, 5) or _destination(msg, m):
            return True
        if (
            msg.word(m.start - 2) == "sans"
            and msg.word(m.start - 1) in WORDS["articles"] | WORDS["possessifs"]
        ):
            return True  # "me déplacer sans la voiture": the car the person has, and leaves
        if not self.lexicon.has("indice:determinant", msg.word(m.start - 1)):
            return False
        problem = any(d.kind == "demande" and m.end <= d.start <= m.end + 3 for d in msg.matches)
        negated = msg.cue("indice:negation", m.start, 3)
        own = any(
            (c.key == "indice:possession" and c.end in (m.start - 1, m.start - 2))
            # "le permis, je l'ai déjà"; not "le permis, je l'ai pas"
            or (
                c.key == "indice:possession_apres"
                and c.start in (m.end, m.end + 1)
                and not self.lexicon.has("indice:negation", msg.word(c.end))
            )
            for c in msg.matches
        )
        # "ma voiture", "mon scooter": the vehicle the person has (a licence may still be to pass).
        owned = msg.word(m.start - 1) in WORDS["possessifs"] and m.code in ("vehicule", "velo")
        return (own or owned) and not problem and not negated

    # ----------------------------------------------------------------- age, voice, signals

    def _age(self, msg: Message, professional: bool):
        """An age said as an age: "j'ai 22 ans", "une dame de 52 ans"; not "depuis 15 ans",
        "moins de 26 ans", "mon fils a 19 ans", "ça fait 20 ans que"."""
        words = msg.words
        for i, w in enumerate(words[:-1]):
            if not w.text.isdigit() or words[i + 1].text not in WORDS["ans"]:
                continue
            said = [msg.word(i - 2), msg.word(i - 1)] in (["j", "ai"], ["i", "m"]) or msg.word(i - 1) in (
                "jai",
                "g",
            )
            if words[i + 1].text == "a" and not said or msg.word(i + 2) in ("que", "qu"):
                continue
            if not said and msg.cue("indice:duree", i, 3):
                continue
            if msg.cue("lieu:proche", i, 3) and not professional:
                continue  # "mon fils a 19 ans"
            if MIN_AGE <= int(w.text) <= MAX_AGE:
                # "j'ai 27 ans, euh non 24": the age said after "non"
                later = [
                    k
                    for j in range(i + 2, min(len(words), i + 5))
                    if words[j].text == "non"
                    for k in (j + 1, j + 2)
                    if k < len(words) and words[k].text.isdigit()
                ]
                w = words[later[0]] if later else w
                if MIN_AGE <= int(w.text) <= MAX_AGE:
                    return int(w.text), [("age", w.text, w.start, w.end)]
        return None, []

    def _voice(self, msg: Message) -> tuple[bool, bool]:
        """(a professional speaks of someone, the person speaks of themselves)."""
        speaks_of_self = msg.has("voix:soi")
        titled = any(m.key == "voix:metier" and _first_person(msg, m.start) for m in msg.matches)
        someone = any(m.key == "voix:autrui" and _someone(msg, m) for m in msg.matches)
        professional = msg.has("voix:accompagner") or titled or someone
        opens_as_self = any(m.key == "voix:soi_en_tete" and m.start == 0 for m in msg.matches)
        return professional and not speaks_of_self, speaks_of_self or opens_as_self

    def _signals(self, msg: Message) -> frozenset[str]:
        words = msg.words
        signals = {s for s in SIGNALS if msg.has(f"indice:{s}")}
        if msg.text.rstrip().endswith("?"):
            signals.add("question")
        if any(
            m.key == "indice:passer_en_fin"
            and m.end == len(words)
            and msg.word(m.start - 1) not in WORDS["articles"]
            for m in msg.matches
        ):  # not "faudrait que je le passe" (the licence)
            signals.add("passer")  # "passer", "jsp, on passe"; not "passer le permis"
        if any(m.key == "indice:correction_en_tete" and m.start <= 1 for m in msg.matches):
            signals.add("correction")
        if any(w.text == "mais" and msg.cue("indice:negation", i, 4) for i, w in enumerate(words)):
            signals.add("correction")  # "pas salarié mais intérimaire"
        if any(m.key == "indice:ne_sait_pas" and m.start <= 2 for m in msg.matches):
            signals.add("ne_sait_pas")
        if msg.word(0) in WORDS["oui"]:
            signals.add("oui")
        if msg.word(0) in WORDS["non"]:
            signals.add("non")
        if any(
            m.kind == "voix"
            and m.key not in ("voix:soi", "voix:soi_en_tete")
            and msg.doc[words[m.start].token].pos_ != "PRON"  # the "m'" of "m'aide" is no "M."
            for m in msg.matches
        ):
            signals.add("metier")  # a trade, "j'accompagne", "une dame": a professional may be speaking
        if _markup(msg.text) or not any(c.isalpha() for c in msg.text):
            signals.add("illisible")  # "<script>…", "?????": no French for DIET to read
        if msg.has("indice:identite") or _phone_or_mail(msg):
            signals.add("donnees_personnelles")  # said once: the bot needs no identity
        foreign = sum(m.key == "langue:etrangers" for m in msg.matches)
        if foreign >= 2 and foreign > sum(m.key == "langue:francais" for m in msg.matches):
            signals.add("etranger")
        return frozenset(signals)

    def _topic(self, msg: Message) -> Optional[str]:
        """A question outside the platforms' services ("mon permis marocain"), unless met in
        passing in a long story ("mon employeur m'a licencié")."""
        return next(
            (
                m.code
                for m in msg.matches
                if m.kind == "sujet"
                and (len(msg.words) <= LONG_MESSAGE or self._strength(msg, m, "") == ASKED)
            ),
            None,
        )

    def _terms(self, msg: Message) -> tuple[str, ...]:
        """Terms named (services, glossary), the one a question is about first."""
        asked = [msg.asked_term] if msg.asked_term else []
        return tuple(dict.fromkeys(t.code for t in asked + _longest(msg.matches, "terme")))


def _longest(matches: list[Match], *kinds: str) -> list[Match]:
    """Matches of these kinds, a match inside a longer one dropped ("auto école" over "auto")."""
    chosen = [m for m in matches if m.kind in kinds]
    return [
        m
        for m in chosen
        if not any(
            o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start for o in chosen
        )
    ]


def _first_person(msg: Message, i: int) -> bool:
    """ "je suis conseillère", "en tant que CIP": the speaker's own job, not someone's."""
    return i <= 1 or bool({"je", "suis", "jsuis", "chui", "tant", "travaille"} & _before(msg, i, 3))


def _past(msg: Message, m: Match) -> bool:
    """ "je travaillais", "j'étais au chômage": the verb of the words is in the imperfect."""
    token = msg.doc[msg.words[m.start].token]
    clause = {w.token for w in msg.words if w.clause == msg.words[m.start].clause}
    for verb in (token, token.head, token.head.head):
        if verb.i not in clause:
            return False  # "au RSA, je travaillais avant": another part of the message
        finite = [c for c in verb.children if c.dep_ in ("cop", "aux", "aux:tense")]
        if finite or verb.pos_ in ("VERB", "AUX"):  # the verb that carries the tense
            return any(imperfect(t) for t in finite or [verb])
    return False


def _asked_by_the_person(msg: Message, m: Match) -> bool:
    """ "je cherche", "il me faudrait" before the need; not a need's own verb ("financer sa
    carte de bus": financing is asked, not the bus)."""
    # nor "je sais pas comment faire pour bouger, pas de permis": a doubt
    verbs = [
        d for d in msg.matches if d.kind == "demande" or d.key in ("indice:comment_obtenir", "indice:doute")
    ]
    clause = msg.words[m.start].clause
    return any(
        c.key == "indice:demande"
        and m.start - ASK_REACH <= c.start
        and c.end <= m.start
        and msg.words[c.start].clause == clause
        and not _overlaps(c, verbs)
        and not _negated_word(msg, c)  # "je ne peux pas payer un garage", "peux pas payer"
        and not _contrast_between(msg, c.end, m.start)  # "je voudrais le permis mais… payer"
        and c.start not in msg.wondered
        for c in msg.matches
    ) or _governed_by_a_demand(msg, m)


def _doubted(msg: Message, c: Match, doubts: set[int]) -> bool:
    """ "je ne sais pas si je devrais passer le permis, prendre un vélo…": wondered, not asked
    (`doubts`: the tokens of the message's doubts)."""
    token = msg.doc[msg.words[c.start].token]
    # the demand's clause (or one it hangs on) opens with "si" and depends on the doubt
    return any(
        t.head.i in doubts and any(ch.dep_ == "mark" and ch.lower_ == "si" for ch in t.children)
        for t in (token, *token.ancestors)
    )


# The links of the parse by which a verb governs what it asks for: its object, its complements,
# an infinitive it introduces ("je souhaite orienter une personne… pour un bilan").
GOVERNS = {"obj", "obl", "obl:mod", "obl:arg", "xcomp"}
NOUN_LINKS = {"nmod", "acl"}  # a noun's complement, a participle on a noun ("domiciliée au Mans")


def _governed_by_a_demand(msg: Message, m: Match) -> bool:
    """ "Je souhaite orienter une personne de 38 ans, domiciliée à Trignac, pour un bilan":
    a demand far before the need, which the parse says governs it."""
    token = msg.doc[msg.words[m.start].token]
    # "orienter une allocataire domiciliée au Mans vers un bilan": the parse often hangs a
    # complement led by "vers", "pour" on the noun before it; from there, nouns are climbed too
    led = any(c.dep_ == "case" and c.lower_ in WORDS["vers_un_but"] for c in token.children)
    links = GOVERNS | NOUN_LINKS if led else GOVERNS
    while token.dep_ in links and token.head.i != token.i:
        token = token.head
        if token.i in msg.demand_tokens:
            return True
    return False


def _asked_after(msg: Message, m: Match) -> bool:
    """ "un scooter ça m'aiderait", "le permis, c'est possible ?", "un scooter en prêt ce serait top" """
    return any(
        c.key == "indice:demande_apres" and m.end <= c.start <= m.end + AFTER_REACH for c in msg.matches
    )


def _doubt_about_a_trip(msg: Message, m: Match, needs) -> bool:
    """ "pour aller à l'hôpital… je ne sais pas comment faire": the trip is what is asked."""
    clause = msg.words[m.start].clause
    doubt = any(d.key == "indice:doute" and _overlaps(d, [m]) for d in msg.matches)
    return doubt and any(code == "transport" and msg.words[t.start].clause == clause for t, code in needs)


def _for_a_relative(msg: Message) -> bool:
    """ "j'écris pour ma mère", "je demande pour mon fils", "je suis sa fille": someone writes
    for a relative."""
    relatives = [m for m in msg.matches if m.key == "lieu:proche"]
    for m in relatives:
        before = [w.text for w in msg.words[max(0, m.start - 2) : m.start]]
        if ("pour" in before and WORDS["possessifs"] & set(before)) or before in (
            ["suis", "son"],
            ["suis", "sa"],
        ):
            return True
    # "ma sœur vit à Rennes… c'est pour elle", "je demande pour lui": after a relative is named
    return any(
        w.text == "pour" and msg.word(i + 1) in WORDS["pronoms_tiers"] and any(m.end <= i for m in relatives)
        for i, w in enumerate(msg.words)
    )


def _where_a_relative_is(msg: Message, place) -> bool:
    """ "mon frère qui est à Angers", "ma sœur qui vit à Laval": a relative's town, said right
    after the relative or after their verb of home (not "il a une promesse d'embauche à Varades")."""
    if place.role != "proche":
        return False
    i = next((k for k, w in enumerate(msg.words) if w.start >= place.start), None)
    if i is None:
        return False
    # "ma sœur est au RSA et vit à Rennes": the relative's own verb of home, just before
    lives = any(m.key == "lieu:domicile" and i - 2 <= m.end <= i for m in msg.matches)
    return lives or any(
        m.key == "lieu:proche"
        and m.end <= i
        and all(w.text in WORDS["qui_est_a"] for w in msg.words[m.end : i])
        for m in msg.matches
    )


def _infinitive_after(msg: Message, m: Match) -> bool:
    if m.end >= len(msg.words):
        return False
    token = msg.doc[msg.words[m.end].token]
    return token.pos_ in ("VERB", "AUX") and "Inf" in token.morph.get("VerbForm")


def _all_inside(msg: Message, matches: list[Match], *keys: str) -> bool:
    """Each of the matches lies within a match of one of `keys`."""
    cues = [c for c in msg.matches if c.key in keys]
    return all(any(c.start <= m.start and m.end <= c.end for c in cues) for m in matches)


def _in_a_question(msg: Message, i: int) -> bool:
    """The part of the message word `i` is in ends with a question mark."""
    clause = msg.words[i].clause
    last = max(w.end for w in msg.words if w.clause == clause)
    return msg.text[last:].lstrip().startswith("?")


def _contrast_between(msg: Message, start: int, end: int) -> bool:
    """ "je voudrais le permis mais ma mère peut pas payer": "mais" opens another proposition."""
    return any(w.text in WORDS["contraste"] for w in msg.words[start:end])


def _negated_word(msg: Message, c: Match) -> bool:
    """ "je ne peux pas", "peux pas", "j'arrive pas à": a negation around the word itself; but
    "quelqu'un pourrait pas me ramener ?" is a request."""
    if _in_a_question(msg, c.start):
        return False
    return any(
        n.key == "indice:negation" and c.start - 2 <= n.start <= c.end and n.end <= c.end + 1
        for n in msg.matches
    )


def _taken_back(msg: Message, m: Match) -> bool:
    """ "au RSA, enfin plus depuis juin", "en CDD, mais plus maintenant": said, then ended;
    "le rsa, ils me l'ont coupé", "mon contrat s'est arrêté": its end said after it."""
    clause = msg.words[m.start].clause
    for c in msg.matches:
        if c.key == "indice:fin_apres" and m.end <= c.start <= m.end + FIN_REACH:
            between = msg.words[m.end : c.start]
            # not "au rsa et je voudrais arrêter de payer le bus": another verb, another fact;
            # "le RSA, on me l'a suspendu": across the comma when "l'" takes the situation up
            resumed = "l" in {w.text for w in between}
            if all(
                (w.clause == clause or resumed)
                and w.text not in ("et", "mais")
                and msg.doc[w.token].pos_ != "VERB"
                for w in between
            ) and (msg.words[c.start].clause == clause or resumed):
                return True
    i = m.end
    while i < min(len(msg.words), m.end + 3) and msg.words[i].text in WORDS["reprise_avant"]:
        i += 1
    after = msg.word(i + 1)
    if "non" in {w.text for w in msg.words[m.end : i]} and any(
        o.kind == "situation" and o.start >= i for o in msg.matches
    ):
        return True  # "demandeur d'emploi, enfin non, depuis lundi en entreprise d'insertion"
    return msg.word(i) == "plus" and (after in WORDS["reprise_apres"] or i + 1 >= len(msg.words))


def _corrections(msg: Message) -> list[Match]:
    """ "en fait", "plutôt" anywhere; "non", "pardon" opening a part of the message
    ("pour réparer… non, pour financer")."""
    opening = {0} | {i for i in range(1, len(msg.words)) if msg.words[i].clause != msg.words[i - 1].clause}
    return [
        m
        for m in msg.matches
        if m.key == "indice:correction" or (m.key == "indice:correction_en_tete" and m.start in opening)
    ]


def _object_of_another(msg: Message, m: Match, code: str) -> bool:
    """ "payer la réparation", "réparer ma voiture", "payer son assurance et le contrôle
    technique" (the parse: an object of the verb, or joined to one): the thing a demand is
    about is not a need."""
    token = msg.doc[msg.words[m.start].token]
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head
    governed = {
        msg.doc[msg.words[d.start].token].i for d in msg.matches if d.kind == "demande" and d.code != code
    }
    if token.dep_ in ("obj", "obl:arg") and token.head.i in governed:
        return True
    return any(
        d.kind == "demande"
        and d.code != code
        and d.end <= m.start
        and all(w.text in WORDS["liens"] | WORDS["determinants"] for w in msg.words[d.end : m.start])
        for d in msg.matches
    )


def _destination(msg: Message, m: Match) -> bool:
    """ "pour aller à l'auto-école", "me rendre au garage": where one goes, not what one needs
    (but "me déplacer à vélo": how)."""
    before = [w.text for w in msg.words[max(0, m.start - 2) : m.start]]
    # "aller 3 fois par semaine à des ateliers": "à" and an article right before, a way to go
    # earlier in the part of the message
    reached = before[-1:] in (["au"], ["aux"]) or (
        len(before) == 2 and before[0] == "a" and before[1] in WORDS["articles"] | WORDS["contractes"]
    )
    return any(
        c.key == "lieu:destination"
        and c.end < m.start
        and (
            (
                all(w.text in WORDS["liens"] for w in msg.words[c.end : m.start])
                and (WORDS["articles"] | WORDS["contractes"]) & {w.text for w in msg.words[c.end : m.start]}
            )
            or (
                reached
                and m.start - c.end <= WINDOW_TO_DESTINATION
                and msg.words[c.start].clause == msg.words[m.start].clause
            )
        )
        for c in msg.matches
    )


def _one_span_each(spans: list[tuple], codes: list[str]) -> list[tuple]:
    """One span for each situation: its first phrase, joined to the next when they touch
    ("inscrite à France" + "France Travail" → "inscrite à France Travail")."""
    out = {}
    for entity, code, start, end in sorted(spans, key=lambda s: s[2]):
        if code not in codes:
            continue
        if code in out and start <= out[code][3] + 1:
            out[code] = (entity, code, out[code][2], max(end, out[code][3]))
        elif code not in out:
            out[code] = (entity, code, start, end)
    return list(out.values())


def _overlaps(m: Match, others: list[Match]) -> bool:
    return any(o is not m and o.start < m.end and m.start < o.end for o in others)


def _about_the_offer(msg: Message, m: Match) -> bool:
    """ "jsp si vous faites ça mais ma voiture…": a doubt about the offer, not about the need."""
    return bool(WORDS["l_offre"] & {w.text for w in msg.words[m.end : m.end + OFFER_REACH]})


def _sentence(msg: Message, token: int) -> int:
    """Where the sentence of a token starts (the parse's), 0 on a doc not parsed."""
    return msg.doc[token].sent.start if msg.parsed else 0


def _chosen_after_a_doubt(msg: Message, needs) -> Optional[str]:
    """The means named in a clause of doubt and again in a later part of the message."""
    clause = {d.start: msg.words[d.start].clause for d in msg.matches if d.key == "indice:doute"}
    chosen = set()
    for code in {code for _, code in needs} - {"accompagnement"}:
        said = [msg.words[m.start].clause for m, c in needs if c == code]
        if any(said[0] == c and said[-1] > c for c in clause.values()):
            chosen.add(code)
    return chosen.pop() if len(chosen) == 1 else None


def _what_for(msg: Message, m: Match) -> bool:
    """ "une voiture pour un CDD": what for, not who; but "pour nous chômeurs" is who, and
    "80 km par jour pour aller au boulot" says a job the person goes to."""
    sentence = _sentence(msg, msg.words[m.start].token)
    before = [
        w
        for w in msg.words[max(0, m.start - PURPOSE_REACH) : m.start]
        if _sentence(msg, w.token) == sentence  # "… pour Colomiers. Je suis chômeur"
    ]
    purpose = [i for i, w in enumerate(before) if w.text in WORDS["but"]]
    if not purpose:
        # "pour conduire mes petits à la crèche et chercher un travail": the second verb shares
        # the first one's "pour"
        # (the parse: a conjunct, with no subject of its own, of a verb marked by it)
        verb = verb_of(msg.doc[msg.words[m.start].token])
        own_subject = any(c.dep_.startswith("nsubj") for c in verb.children)
        return (
            verb.dep_ == "conj"
            and not own_subject
            and any(c.dep_ == "mark" and c.lower_ in WORDS["but"] for c in verb.head.children)
        )
    if (
        before[purpose[-1] + 1 : purpose[-1] + 2]
        and before[purpose[-1] + 1].text in WORDS["premiere_personne"]
    ):
        return False
    # "pour aller travailler, ça me coûte 120 euros par semaine": in the same sentence
    return not any(
        c.key == "indice:habitude" and _sentence(msg, msg.words[c.start].token) == sentence
        for c in msg.matches
    )


def _before(msg: Message, i: int, reach: int) -> set[str]:
    return {w.text for w in msg.words[max(0, i - reach) : i]}


def _someone(msg: Message, m: Match) -> bool:
    """ "la personne que j'accompagne", "une dame de 52 ans", "mon usager", "pour un jeune":
    someone a professional speaks of; not "personne ne peut", "une personne m'a dit"."""
    determiner = msg.word(m.start - 1)
    after = msg.word(m.end)
    if _a_note_on_someone(msg, m, after):
        return True
    if m.start == 0 or determiner not in WORDS["determinants"]:
        return False
    return (
        determiner in WORDS["possessifs"]
        or after in WORDS["autrui_apres"]
        or (after == "de" and msg.word(m.end + 1).isdigit())
        or bool(WORDS["autrui_avant"] & _before(msg, m.start - 1, 2))
    )


def _a_note_on_someone(msg: Message, m: Match, after: str) -> bool:
    """Someone named by a title and an initial, or a professional's note opening its part of the
    message on a title and an age: "Mme B 45a RSA Sablé", "M. D, 52 ans", "Réf RSA : monsieur 58 ans"."""
    word = msg.words[m.start]
    opens = m.start == 0 or msg.words[m.start - 1].clause != word.clause
    title = word.text in WORDS["civilites"] and (word.text != "m" or msg.doc[word.token].text[:1] == "M")
    initial = len(after) == 1 and after.isalpha() and after not in ("a", "y")
    # a title and an initial names someone wherever it stands ("je sollicite votre avis concernant Mme Z.")
    return title and (initial or (opens and after.isdigit()))


def _span(msg: Message, entity: str, value: str, m: Match) -> tuple[str, str, int, int]:
    """Where a fact is said, its opening words left out as in the training data ("je suis au [RSA]")."""
    start = m.start
    while start < m.end - 1 and msg.words[start].text in WORDS["debuts_d_entite"]:
        start += 1
    return (entity, value, msg.words[start].start, msg.words[m.end - 1].end)


def _markup(text: str) -> bool:
    """An HTML tag ("<b>", "</script>"): pasted or typed markup, never a person's sentence."""
    return bool(_TAG.search(text))


def _phone_or_mail(msg: Message) -> bool:
    """An e-mail address, or a phone number ("06 12 34 56 78", "+33 6…")."""
    if any(token.like_email for token in msg.doc):
        return True
    run = ""
    for w in msg.words:
        run = run + w.text if w.text.isdigit() else ""
        if len(run) >= 9 and run[0] in "03":
            return True
    return False


def _number(words: list[Word]) -> Optional[int]:
    """The whole message is a number of one or two digits ("22", "22 ans")."""
    digits = [w for w in words if w.text.isdigit()]
    if len(digits) == 1 and len(words) <= 3 and len(digits[0].text) <= 2:
        age = int(digits[0].text)
        return age if MIN_AGE <= age <= MAX_AGE else None
    return None
