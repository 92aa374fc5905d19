#!/usr/bin/env python3
"""Fail if a held-out NLU utterance is a copy or a near-copy of a training one.

Both sides are compared as plain text (entity annotations removed), lower-cased,
without accents, punctuation as spaces. A pair whose rapidfuzz `ratio` is at
least 85 (out of 100) counts as a copy: "je suis au rsa a laval" and "je suis
au rsa a lavall" are the same sentence to a classifier.

    python scripts/check_heldout_disjoint.py [--heldout tests/nlu/heldout.yml] [--nlu data/nlu]

Exit 0 when disjoint, 1 when some held-out text is (nearly) in training. Each
copy is listed by its **training** sentence only, so that whoever edits the
training data can rewrite it without reading the held-out set. Exit 2 when a
file cannot be read.
"""

import argparse
import sys
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The review page (orientation/review/training.py) refuses a held-out sentence by the same
# measure: one definition of the threshold, the markup and the comparison for both.
from orientation.review.training import NEAR_COPY, plain_text  # noqa: E402
from orientation.review.training import comparable as normalized  # noqa: E402


def nlu_examples(path: Path):
    """(intent, example) pairs of a Rasa 3 YAML NLU file; other blocks are ignored."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in document.get("nlu") or []:
        if "intent" not in block:
            continue  # synonym, regex, lookup: not utterances
        examples = block.get("examples") or ""
        if isinstance(examples, str):
            lines = [line.strip()[2:] for line in examples.splitlines() if line.strip().startswith("- ")]
        else:  # the long form: examples: [{text: ...}]
            lines = [item["text"] for item in examples]
        for line in lines:
            yield block["intent"], line


def training_files(nlu: Path):
    return sorted(nlu.rglob("*.yml")) + sorted(nlu.rglob("*.yaml")) if nlu.is_dir() else [nlu]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", type=Path, default=Path("tests/nlu/heldout.yml"))
    parser.add_argument("--nlu", type=Path, default=Path("data/nlu"))
    args = parser.parse_args(argv)

    try:
        trained = {}
        for path in training_files(args.nlu):
            for intent, example in nlu_examples(path):
                trained.setdefault(normalized(plain_text(example)), (path, intent))
        heldout = list(nlu_examples(args.heldout))
    except (OSError, yaml.YAMLError) as error:
        print(f"cannot read NLU data: {error}", file=sys.stderr)
        return 2
    if not trained or not heldout:
        print(
            f"nothing to compare: {len(trained)} training and {len(heldout)} held-out examples",
            file=sys.stderr,
        )
        return 2

    leaks, seen = [], {}
    choices = list(trained)
    for intent, example in heldout:
        key = normalized(plain_text(example))
        match = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)
        if match:
            path, train_intent = trained[match[0]]
            leaks.append(
                f"  training {match[0]!r} in {path} ({train_intent}) "
                f"is a near-copy of a held-out utterance (ratio {match[1]:.0f})"
            )
        if key in seen:
            leaks.append(f"  a held-out utterance ({intent}) appears twice in {args.heldout}")
        seen[key] = intent

    if leaks:
        print(f"{len(leaks)} held-out utterance(s) are not held out:")
        print("\n".join(leaks))
        return 1
    print(
        f"ok: {len(heldout)} held-out utterances, none with a near-copy (ratio ≥ {NEAR_COPY}) "
        f"among {len(trained)} training examples"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
