"""Plain French in the page's own words: every static text and every string of its scripts.

The same measure as tests/test_plain_french.py applies to what the bot says:
sentences of 15 words at most, no brackets, and no acronym unless the
glossary explains it or the same page gives its meaning. Measured here over
index.html, fiche.html, the privacy, accessibility and legal pages (with
their operator fields empty), and the string literals of web/static/*.js.
The fiche's own words never say "vous": a professional may be reading.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from web import site_pages

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
MAX_WORDS = 15
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n")
_WORD = re.compile(r"[\w’'-]+")
_ACRONYM = re.compile(r"\b[A-ZÉÈ]{2,}\b")
# Acronyms and names in capitals a page may use, with the words that must explain them on that page.
MEANINGS = {
    "RGAA": "référentiel général d’amélioration de l’accessibilité",
    "CNIL": "Commission nationale de l’informatique et des libertés",
    "HTML": "langages des pages web",
    "CSS": "langages des pages web",
    "NVDA": "lecteurs d’écran",
    "JAWS": "lecteurs d’écran",
    "MOB": "code",  # the hand-over code's prefix, shown as it is typed
}
SCRIPTS = ["chat.js", "fiche.js", "glossary.js", "fiche-page.js", "dom.js"]
NOT_TEXT = re.compile(r"^\(pointer: \w+\)$|:not\(")  # a media query, a selector


def problems(text: str, explained: set[str], page: str) -> list[str]:
    out = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(text) if s.strip()):
        words = _WORD.findall(re.sub(r"« [^»]* »", "« citation »", sentence))
        if len(words) > MAX_WORDS:
            out.append(f"{len(words)} words: {sentence}")
    if "(" in text or ")" in text:
        out.append(f"brackets: {text}")
    for acronym in set(_ACRONYM.findall(text)) - explained:
        if acronym not in MEANINGS or MEANINGS[acronym] not in page:
            out.append(f"acronym {acronym} without its meaning: {text}")
    return out


class TextBlocks(HTMLParser):
    """The text of each block (paragraph, item, heading, label, button…), as a person reads it."""

    BLOCKS = {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "label",
        "button",
        "title",
        "summary",
        "a",
        "dt",
        "dd",
        "td",
        "th",
        "legend",
        "option",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._open, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in self.BLOCKS and self._open:
            text = " ".join("".join(self._open.pop()).split())
            if text:
                self.blocks.append(text)
                if self._open:
                    self._open[-1].append(" ")

    def handle_data(self, data):
        if not self._skip and self._open:
            self._open[-1].append(data.replace("\xa0", " "))


def html_blocks(html: str) -> list[str]:
    parser = TextBlocks()
    parser.feed(html)
    return parser.blocks


def js_strings(source: str) -> list[str]:
    """String literals of a script, outside comments and regular expressions."""
    out, i, n = [], 0, len(source)
    previous = ""
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.index("\n", i)
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "\"'":
            j, chars = i + 1, []
            while source[j] != c:
                if source[j] == "\\":
                    j += 1
                chars.append(source[j])
                j += 1
            out.append("".join(chars))
            i, previous = j + 1, c
        elif c == "/" and previous in "(,=:[!&|?{};+":  # a regular expression literal
            j, in_class = i + 1, False
            while in_class or source[j] != "/":
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            i, previous = j + 1, "/"
        else:
            if not c.isspace():
                previous = c
            i += 1
    return out


def _french(text: str) -> bool:
    """Words for people: a space or an accented letter, and not a CSS selector or media query."""
    if NOT_TEXT.match(text) or text.startswith((".", "#")):
        return False
    return bool(re.search(r"[A-Za-zÀ-ÿ]", text)) and bool(re.search(r"\s|[À-ÿ’]", text))


@pytest.fixture(scope="module")
def explained(snapshot) -> set[str]:
    """Acronyms the glossary defines (the page offers their definition)."""
    words = set()
    for term in snapshot.glossary.values():
        for name in [term["terme"], *(term.get("synonymes") or [])]:
            words |= {w for w in re.findall(r"\b\w{2,5}\b", name) if w.isupper()}
    return words


def _pages() -> dict[str, str]:
    empty = {field: "" for field in site_pages.FIELDS}
    pages = {name: (STATIC / name).read_text(encoding="utf-8") for name in ("index.html", "fiche.html")}
    for path, (fragment, title) in site_pages.PAGES.items():
        pages[path] = site_pages.render(fragment, title, empty)
    return pages


@pytest.mark.parametrize("name", list(_pages()))
def test_static_texts_are_plain_french(name, explained):
    html = _pages()[name]
    blocks = html_blocks(html)
    assert len(blocks) >= 5, blocks
    found = [p for block in blocks for p in problems(block, explained, html)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_strings_are_plain_french(script, explained):
    source = (STATIC / script).read_text(encoding="utf-8")
    texts = [s for s in js_strings(source) if _french(s)]
    found = [p for text in texts for p in problems(text, explained, source)]
    assert found == [], "\n".join(found)


def test_the_fiche_never_says_vous():
    texts = [s for s in js_strings((STATIC / "fiche.js").read_text(encoding="utf-8")) if _french(s)]
    assert len(texts) > 30
    assert [t for t in texts if re.search(r"\b(vous|votre|vos)\b", t, re.I)] == []


def test_the_measure_catches_what_it_should():
    assert problems(
        "Une phrase bien trop longue pour une personne qui lit mal et qui doit aller vite ici.", set(), ""
    )
    assert problems("Voyez la page (en bas).", set(), "")
    assert problems("Conforme au RGAA.", set(), "")
    meaning = "le référentiel général d’amélioration de l’accessibilité"
    assert not problems("Conforme au RGAA.", set(), meaning)
    assert js_strings('var a = "Bonjour !"; // "commentaire"\nvar r = /"[a-z]"/g; b("Au revoir")') == [
        "Bonjour !",
        "Au revoir",
    ]
    assert html_blocks("<p>Un <strong>mot</strong> fort.</p><script>x = 'y'</script>") == ["Un mot fort."]
    assert not _french("POST") and not _french(".msg-bot .msg-text") and _french("Écouter")
