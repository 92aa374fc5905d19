"""`clean_entities`: DIET's entity spans, checked against what the words say."""

from __future__ import annotations

import re

from orientation.language.normalize import normalize
from orientation.language.understanding.reading import (
    ASKED,
    ages_stated,
    find_besoin_strength,
    find_situation,
    need_strength,
    prepare,
    read,
    valid_age,
)

# Words that are never an entity on their own: DIET's tagging sometimes leaves
# them alone ("d'", "à", "me") or cuts a phrase around them ("mère" | "foyer").
_FUNCTION_WORDS = frozenset(
    """
    a au aux de du des d en la le les l me m se s sur pour par et ou un une sans chez
    je j tu il elle on ca ce c qu que qui
    """.split()
)
_JOINING = re.compile(
    r"^\s*(?:(?:au|aux|de|du|des|d|d'|d’|en|à|a|la|le|les|l'|l’|sans|chez|pour)\s*)*$", re.IGNORECASE
)


def clean_entities(
    text: str, entities: list[dict], commune_mentions=None, is_departement=lambda key: False
) -> list[dict]:
    """DIET's entities without fragments, with cut phrases joined, checked against the words.

    - a span that is only function words ("d'", "à", "me") is dropped;
    - two spans of the same type joined by such words are one ("mère" "au" "foyer");
    - a span inside another of the same type is dropped;
    - a need met in passing ("sans voiture…") is dropped when the message
      asks for another one in so many words ("…je voudrais le permis");
    - a situation the person says is over, an "age" that is not said as an
      age ("depuis 15 ans", "dans le 44"), a commune said not to be theirs
      ("pas à Laval") or a département ("en Loire-Atlantique") are dropped;
    - communes the keywords spot (`commune_mentions(text)`: spans after
      "j'habite", "à"…) that DIET missed are added.
    """
    kept = [_trimmed(text, e) for e in entities]
    kept = [
        e
        for e in kept
        if not _only_function_words(e.get("value") if e.get("start") is None else text[e["start"] : e["end"]])
    ]
    kept = _joined(text, sorted(kept, key=lambda e: (e.get("start") or 0, -(e.get("end") or 0))))
    kept = [
        e for e in kept if not any(o is not e and o["entity"] == e["entity"] and _inside(e, o) for o in kept)
    ]
    kept = _with_stated_ages(text, kept)
    if commune_mentions is not None:
        kept = _with_spotted_communes(text, kept, commune_mentions)
    return _asked_needs_only(text, _checked_by_the_words(text, kept, is_departement))


_NOT_HERE = re.compile(r"\b(?:pas|plus|non)\s+(?:a|au|aux|sur|en|de|dans)?\s*(?:la\s+|le\s+|l\s+)?$")
_DEPARTEMENT_BEFORE = re.compile(r"\b(?:en|dans|departement)\s*(?:la|le|l|les|du|de)?\s*$")


def _checked_by_the_words(text: str, entities: list[dict], is_departement) -> list[dict]:
    reading = read(text)
    ages = ages_stated(prepare(text)) + ([reading.bare_number] if reading.bare_number is not None else [])
    out = []
    for e in entities:
        if e.get("start") is None:
            out.append(e)
            continue
        span, before = text[e["start"] : e["end"]], prepare(text[max(0, e["start"] - 40) : e["start"]])
        if e["entity"] == "situation" and find_situation(span) in reading.situations_ended:
            continue
        if e["entity"] == "age" and valid_age(span) not in ages:
            continue
        if e["entity"] == "commune" and (
            _NOT_HERE.search(before + " ")
            or (is_departement(normalize(span)) and _DEPARTEMENT_BEFORE.search(before + " "))
        ):
            continue
        out.append(e)
    return out


def _with_stated_ages(text: str, entities: list[dict]) -> list[dict]:
    """Ages said as ages ("55 ans", "de 16 ans") that DIET missed, on the number's span."""
    have = {
        valid_age(text[e["start"] : e["end"]])
        for e in entities
        if e["entity"] == "age" and e.get("start") is not None
    }
    added = []
    for age in ages_stated(prepare(text)):
        if age in have:
            continue
        m = re.search(rf"(?<!\d){age}(?=\s*(?:ans?|a)\b)", text, re.IGNORECASE)
        if m:
            added.append(
                {
                    "entity": "age",
                    "start": m.start(),
                    "end": m.end(),
                    "value": str(age),
                    "extractor": "DIETClassifier",
                    "processors": ["keywords"],
                }
            )
            have.add(age)
    return sorted(entities + added, key=lambda e: e.get("start") or 0)


def _with_spotted_communes(text: str, entities: list[dict], commune_mentions) -> list[dict]:
    taken = [(e["start"], e["end"]) for e in entities if e.get("start") is not None]
    added = []
    for mention in commune_mentions(text):
        start = text.find(mention)
        if start < 0:
            continue
        end = start + len(mention)
        if any(s < end and start < e for s, e in taken):
            continue
        added.append(
            {
                "entity": "commune",
                "start": start,
                "end": end,
                "value": mention,
                "extractor": "DIETClassifier",
                "processors": ["keywords"],
            }
        )
        taken.append((start, end))
    return sorted(entities + added, key=lambda e: e.get("start") or 0)


_EDGE_WORD = re.compile(r"(?:^|\s)(\w+)[’']?\s*$")


def _trimmed(text: str, e: dict) -> dict:
    """Without the function words DIET left at its end ("covoiturage pour", "scoot sur")."""
    if e.get("start") is None or e["entity"] not in ("situation", "besoin", "commune"):
        return e
    start, end = e["start"], e["end"]
    while end > start:
        m = _EDGE_WORD.search(text[start:end])
        if not m or normalize(m.group(1)) not in _FUNCTION_WORDS or m.start(1) == 0:
            break
        end = start + m.start(1)
        while end > start and not text[end - 1].isalnum():
            end -= 1
    if end == e["end"]:
        return e
    return dict(e, end=end, value=text[start:end])


def _only_function_words(span) -> bool:
    words = normalize(str(span or "")).split()
    return not words or all(w in _FUNCTION_WORDS or len(w) == 1 for w in words)


def _inside(e: dict, other: dict) -> bool:
    if e.get("start") is None or other.get("start") is None:
        return False
    return (
        other["start"] <= e["start"]
        and e["end"] <= other["end"]
        and (other["start"], other["end"]) != (e["start"], e["end"])
    )


def _joined(text: str, entities: list[dict]) -> list[dict]:
    out: list[dict] = []
    for e in entities:
        previous = out[-1] if out else None
        if (
            previous
            and e.get("start") is not None
            and previous.get("end") is not None
            and previous["entity"] == e["entity"]
            and e["entity"] in ("situation", "besoin")
            and previous["end"] <= e["start"]
            and _JOINING.match(text[previous["end"] : e["start"]] or " ")
        ):
            merged = dict(previous, end=e["end"], value=text[previous["start"] : e["end"]])
            out[-1] = merged
        else:
            out.append(dict(e))
    return out


def _asked_needs_only(text: str, entities: list[dict]) -> list[dict]:
    needs = [e for e in entities if e["entity"] == "besoin" and e.get("start") is not None]
    if not needs:
        return entities
    best, strength = find_besoin_strength(prepare(text))
    codes, strengths = {}, {}
    for e in needs:
        # The span with the words that follow it: "code" before "postal" is no licence.
        span = prepare(text[e["start"] : e["end"]])
        context = prepare(text[e["start"] : e["end"]] + " " + " ".join(text[e["end"] :].split()[:2]))
        alone = find_besoin_strength(span)[0]
        # None: the words that follow undo it ("code postal"); DIET's own words are kept as they are.
        codes[id(e)] = find_besoin_strength(context)[0] if alone else "?"
        strengths[id(e)] = _span_strength(text, e)
    keep = []
    for e in entities:
        if e in needs:
            code, own = codes[id(e)], strengths[id(e)]
            if code is None:
                continue  # "code postal", "location d'appartement", "j'aide": not a need
            if strength >= ASKED and code != best and own < ASKED:
                continue  # met in passing while another need is asked for
            if any(codes[id(o)] == code and strengths[id(o)] > own for o in needs if o is not e):
                continue  # the same need said twice: the one asked for
        keep.append(e)
    return keep


def _span_strength(text: str, entity: dict) -> int:
    before = prepare(text[: entity["start"]])
    span = prepare(text[entity["start"] : entity["end"]])
    after = prepare(text[entity["end"] :])
    return need_strength(
        f"{before} {span}",
        len(before) + 1 if before else 0,
        len((before + " " + span + " " + after).split()),
        span,
        " " + after,
    )
