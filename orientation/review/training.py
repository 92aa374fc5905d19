"""A maintainer's chosen reading → a Rasa training example, and the phrases the reader learns.

The intent is DIET's to learn: the example goes to one reviewed file,
data/nlu/revue.yml, annotated with Rasa's entity syntax
(`[ma caisse tousse]{"entity": "besoin", "value": "reparation"}`, a commune with
its role `{"entity": "commune", "role": "travail"}`). The need and the situation
are the reader's: their words go to orientation/language/lexique_revu.yml
(`{"situations": {code: [phrases]}, "besoins": {code: [phrases]}}`), which
`Lexicon.load` adds to lexique.yml's. Only masked text is ever written.

Before anything is written, an example is refused when it would spoil the
measures or the data: a near-copy of a held-out sentence (tests/nlu/heldout.yml,
the same test as scripts/check_heldout_disjoint.py: a reviewed message never goes
into the held-out set, nor a held-out one into training), a sentence that is
already an example of another intent (`rasa data validate --fail-on-warnings`
would fail), words that are not in the message, a phrase the lexicon already
gives another code.

Both files are rewritten whole from what they hold plus the new examples, in a
fixed order, so that writing twice gives the same file and a patch is a plain diff.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

import yaml

from orientation.language.normalize import normalize
from orientation.review.masking import mask
from orientation.vocabulary import BESOINS, SITUATIONS

ROOT = Path(__file__).resolve().parents[2]
NLU_FILE = ROOT / "data" / "nlu" / "revue.yml"
LEXICON_FILE = ROOT / "orientation" / "language" / "lexique_revu.yml"
LEXIQUE = ROOT / "orientation" / "language" / "lexique.yml"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
# orientation.language.reading.facts.ROLES (not imported: the web page runs without spaCy;
# tests/test_review.py checks they are the same).
ROLES = ("domicile", "travail", "ecole", "destination", "proche", "ancien", "repere")
ROLE_LABELS = {
    "domicile": "où la personne habite",
    "travail": "où elle travaille",
    "ecole": "où elle étudie",
    "destination": "où elle veut aller",
    "proche": "chez un proche",
    "ancien": "où elle habitait",
    "repere": "un repère, pas une commune",
}
NEAR_COPY = 85  # rapidfuzz ratio from which two utterances count as the same (also the held-out check's)
MAX_PHRASE_WORDS = 8
SECTIONS = {"situation": "situations", "besoin": "besoins"}
NLU_HEADER = (
    "# Relu sur /revue à partir de vraies conversations (texte masqué) : écrit par la page de revue\n"
    "# (orientation/review/training.py). Aucune de ces phrases ne va dans tests/nlu/heldout.yml\n"
    "# (scripts/check_heldout_disjoint.py le vérifie).\n"
)
LEXICON_HEADER = (
    "# Mots appris sur /revue à partir de vraies conversations (texte masqué) : écrit par la page\n"
    "# de revue (orientation/review/training.py), lu par Lexicon.load avec lexique.yml.\n"
)

# [text](entity), [text](entity:value), [text]{"entity": ...}, [text]{...}{...}
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})+")


def plain_text(example: str) -> str:
    """The utterance as the user typed it, without Rasa's entity markup."""
    return _ANNOTATION.sub(r"\1", example)


def comparable(text: str) -> str:
    """Lower case, no accents, words only (scripts/check_heldout_disjoint.py compares so too)."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def clean_text(text: str) -> str:
    """Masked, on one line, without the brackets and braces of Rasa's entity syntax."""
    text = mask(text).translate(str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")"}))
    return " ".join(text.split())


@dataclass(frozen=True)
class Label:
    """What the maintainer chose for a message."""

    text: str
    intent: str
    besoin: Optional[str] = None
    besoin_words: str = ""
    situation: Optional[str] = None
    situation_words: str = ""
    commune_words: str = ""
    commune_role: str = "domicile"


@dataclass(frozen=True)
class Example:
    text: str  # plain, masked
    intent: str
    annotated: str  # with Rasa's entity syntax
    lexicon: dict = field(default_factory=dict)  # {"besoins": {code: [phrase]}, "situations": {…}}

    @property
    def key(self) -> str:
        return comparable(self.text)


def _find(text: str, words: str, taken: list[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """Where `words` are in `text` (case and spaces aside), outside the spans already taken."""
    words = " ".join(words.split())
    if not words:
        return None
    lowered, wanted = text.lower(), words.lower()
    start = lowered.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        if all(end <= a or start >= b for a, b in taken):
            return start, end
        start = lowered.find(wanted, start + 1)
    return None


def example_from(label: Label, intents: list[str]) -> tuple[Optional[Example], list[str]]:
    """The annotated example of a label, or what is wrong with it (in French, for the page)."""
    text = clean_text(label.text)
    problems = []
    if not text or text.startswith("/"):
        problems.append("Ce message n'a pas de texte écrit.")
    if label.intent not in intents:
        problems.append(f"Intention inconnue : « {label.intent} ».")
    entities: list[tuple[int, int, str]] = []
    lexicon: dict[str, dict[str, list[str]]] = {}
    wanted = [
        ("besoin", label.besoin, label.besoin_words, BESOINS),
        ("situation", label.situation, label.situation_words, SITUATIONS),
    ]
    taken: list[tuple[int, int]] = []
    for entity, code, words, codes in wanted:
        if not code:
            continue
        if code not in codes:
            problems.append(f"Code inconnu pour {entity} : « {code} ».")
            continue
        span = _find(text, mask(words), taken)
        if span is None:
            problems.append(
                f"Les mots du {entity} doivent être recopiés du message, sans chevaucher d'autres mots choisis "
                f"(« {words.strip()} »)."
            )
            continue
        phrase = text[span[0] : span[1]]
        if len(phrase.split()) > MAX_PHRASE_WORDS or len(normalize(phrase)) < 3:
            problems.append(f"Les mots du {entity} : de 3 lettres à {MAX_PHRASE_WORDS} mots.")
            continue
        taken.append(span)
        entities.append((*span, f'{{"entity": "{entity}", "value": "{code}"}}'))
        lexicon.setdefault(SECTIONS[entity], {}).setdefault(code, []).append(phrase)
    if label.commune_words.strip():
        role = label.commune_role if label.commune_role in ROLES else None
        span = _find(text, mask(label.commune_words), taken)
        if role is None:
            problems.append(f"Rôle de commune inconnu : « {label.commune_role} ».")
        elif span is None:
            problems.append(
                "Les mots de la commune doivent être recopiés du message, sans chevaucher d'autres mots "
                f"choisis (« {label.commune_words.strip()} »)."
            )
        else:
            taken.append(span)
            entities.append((*span, f'{{"entity": "commune", "role": "{role}"}}'))
    if problems:
        return None, problems
    annotated = text
    for start, end, annotation in sorted(entities, reverse=True):
        annotated = f"{annotated[:start]}[{annotated[start:end]}]{annotation}{annotated[end:]}"
    return Example(text, label.intent, annotated, lexicon), []


# ---- the files --------------------------------------------------------------------------------


def nlu_examples(document_text: Optional[str]) -> dict[str, list[str]]:
    """A Rasa NLU file's examples by intent, in their order."""
    document = yaml.safe_load(document_text or "") or {}
    out: dict[str, list[str]] = {}
    for block in document.get("nlu") or []:
        if "intent" not in block:
            continue
        examples = block.get("examples") or ""
        lines = [line.strip()[2:] for line in str(examples).splitlines() if line.strip().startswith("- ")]
        out.setdefault(block["intent"], []).extend(lines)
    return out


def render_nlu(by_intent: dict[str, list[str]]) -> str:
    lines = [NLU_HEADER.rstrip("\n"), 'version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        if not by_intent[intent]:
            continue
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {example}" for example in by_intent[intent]]
    return "\n".join(lines) + "\n"


def merged_nlu(current: Optional[str], examples: list[Example]) -> str:
    """The reviewed NLU file with `examples` added; a sentence labelled again takes its new reading."""
    by_intent = nlu_examples(current)
    for example in examples:
        for intent, lines in by_intent.items():
            by_intent[intent] = [line for line in lines if comparable(plain_text(line)) != example.key]
        by_intent.setdefault(example.intent, []).append(example.annotated)
    return render_nlu(by_intent)


def merged_lexicon(current: Optional[str], examples: list[Example]) -> str:
    document = yaml.safe_load(current or "") or {}
    for example in examples:
        for section, codes in example.lexicon.items():
            for code, phrases in codes.items():
                known = document.setdefault(section, {}).setdefault(code, [])
                known += [p for p in phrases if normalize(p) not in {normalize(k) for k in known}]
    ordered = {
        section: {code: document[section][code] for code in sorted(document[section])}
        for section in ("situations", "besoins")
        if document.get(section)
    }
    return LEXICON_HEADER + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=120)


@dataclass
class TrainingData:
    """The project's NLU data and lexicon, as the checks of a new example need them."""

    nlu_file: Path = NLU_FILE
    lexicon_file: Path = LEXICON_FILE
    data_dir: Optional[Path] = None  # data/nlu: the other training files
    heldout: Path = HELDOUT
    lexique: Path = LEXIQUE

    def __post_init__(self):
        self.data_dir = self.data_dir or self.nlu_file.parent
        self._trained = None
        self._heldout = None
        self._phrases = None

    def trained(self) -> dict[str, tuple[str, str]]:
        """Every other training sentence (comparable) → (file, intent)."""
        if self._trained is None:
            self._trained = {}
            for path in sorted(self.data_dir.glob("*.yml")):
                # The reviewed file itself (or the one a test writes instead): a sentence labelled
                # again there takes its new reading (merged_nlu), it is no conflict.
                if path.resolve() == self.nlu_file.resolve() or path.name == NLU_FILE.name:
                    continue
                for intent, lines in nlu_examples(path.read_text(encoding="utf-8")).items():
                    for line in lines:
                        self._trained.setdefault(comparable(plain_text(line)), (path.name, intent))
        return self._trained

    def heldout_sentences(self) -> list[str]:
        if self._heldout is None:
            text = self.heldout.read_text(encoding="utf-8") if self.heldout.is_file() else ""
            self._heldout = [
                comparable(plain_text(line)) for lines in nlu_examples(text).values() for line in lines
            ]
        return self._heldout

    def lexicon_phrases(self) -> dict[tuple[str, str], str]:
        """(section, normalized phrase) → the code lexique.yml gives it."""
        if self._phrases is None:
            document = (
                yaml.safe_load(self.lexique.read_text(encoding="utf-8")) if self.lexique.is_file() else {}
            )
            self._phrases = {}
            for section in SECTIONS.values():
                for code, value in ((document or {}).get(section) or {}).items():
                    lists = value if isinstance(value, dict) else {"formes": value}
                    for how in ("lemmes", "formes"):
                        for phrase in lists.get(how) or []:
                            self._phrases.setdefault((section, normalize(phrase)), code)
        return self._phrases

    def problems(self, example: Example) -> list[str]:
        """Why the example must not be written (nothing when it may)."""
        from rapidfuzz import fuzz, process

        problems = []
        if self.heldout_sentences() and process.extractOne(
            example.key, self.heldout_sentences(), scorer=fuzz.ratio, score_cutoff=NEAR_COPY
        ):
            problems.append(
                "Cette phrase est presque celle d'une phrase du jeu réservé à la mesure "
                "(tests/nlu/heldout.yml) : l'apprendre fausserait la mesure. Écartez-la."
            )
        known = self.trained().get(example.key)
        if known and known[1] != example.intent:
            problems.append(
                f"Cette phrase est déjà un exemple de l'intention « {known[1]} » dans data/nlu/{known[0]} : "
                "corrigez ce fichier plutôt."
            )
        for section, codes in example.lexicon.items():
            for code, phrases in codes.items():
                for phrase in phrases:
                    other = self.lexicon_phrases().get((section, normalize(phrase)))
                    if other and other != code:
                        problems.append(f"« {phrase} » est déjà dans lexique.yml pour « {other} ».")
        return problems

    def already_trained(self, example: Example) -> bool:
        """The same sentence is already an example of the same intent in another file."""
        known = self.trained().get(example.key)
        return bool(known and known[1] == example.intent)

    def new_phrases(self, example: Example) -> Example:
        """The example with only the phrases lexique.yml does not already give the same code."""
        known = self.lexicon_phrases()
        lexicon = {
            section: {
                code: kept
                for code, phrases in codes.items()
                if (kept := [p for p in phrases if known.get((section, normalize(p))) != code])
            }
            for section, codes in example.lexicon.items()
        }
        return replace(example, lexicon={section: codes for section, codes in lexicon.items() if codes})

    def contents(self, examples: list[Example], nlu_base: Optional[str], lexicon_base: Optional[str]):
        """The two files' new texts, from their `base` texts and the examples."""
        nlu = merged_nlu(nlu_base, [e for e in examples if not self.already_trained(e)])
        lexicon = merged_lexicon(lexicon_base, [self.new_phrases(e) for e in examples])
        return nlu, lexicon


def unified_patch(path: str, before: Optional[str], after: str) -> str:
    """A diff `git apply` takes, from the repository's root (`before` None: a new file)."""
    if before == after:
        return ""
    header = [f"diff --git a/{path} b/{path}"]
    if before is None:
        header.append("new file mode 100644")
    lines = difflib.unified_diff(
        (before or "").splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile="/dev/null" if before is None else f"a/{path}",
        tofile=f"b/{path}",
    )
    return "\n".join(header) + "\n" + "".join(lines)
