#!/usr/bin/env python3
"""Measure a trained model's NLU on the held-out utterances (never used for training).

    python scripts/evaluate_nlu.py [--model models/x.tar.gz] [--heldout tests/nlu/heldout.yml]
                                   [--out build/evaluation/nlu] [--min-intent-f1 0.93 …]

Runs `rasa test nlu` on the held-out file, then prints intent precision / recall / F1
per intent with the weighted average, entity precision / recall / F1 per entity and the
utterances whose intent or entities were wrong. Two parts, scored apart: DIET classifies
the intent (`--diet` scores DIET's own intent, before the reading corrects it where the
facts plainly say otherwise); the reading (rasa_server.understanding, its own extractor
name) finds the entities.
Without `--min-intent-f1` / `--min-entity-f1` it is a measurement: it exits
non-zero only when the evaluation could not run (no model, no held-out file,
rasa failing, no report). With them (as `make test` runs it), it also fails
when a weighted F1 falls below its floor.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

SUMMARY_ROWS = ("micro avg", "macro avg", "weighted avg")
# The reading's entities, under its component's name (rasa_server.understanding.Understanding).
READING_REPORT, READING_ERRORS = "Understanding_report.json", "Understanding_errors.json"


def latest_model(models_dir: Path):
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return models[-1] if models else None


def run_rasa_test(model: Path, heldout: Path, out: Path) -> int:
    # `rasa` through `python -m rasa_server`, with this interpreter (the project's venv): the
    # model loaded as the server loads it (tests/test_rasa_patches.py: the same predictions).
    command = [
        sys.executable,
        "-m",
        "rasa_server",
        "test",
        "nlu",
        "--nlu",
        str(heldout),
        "--model",
        str(model),
        "--out",
        str(out),
    ]
    print("$", " ".join(command), flush=True)
    completed = subprocess.run(
        command, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-4000:] + completed.stderr[-4000:])
    return completed.returncode


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def score_table(report: dict, label: str) -> str:
    """Rows of a scikit-learn classification report (what rasa writes), summaries last."""
    names = sorted(k for k, v in report.items() if isinstance(v, dict) and k not in SUMMARY_ROWS)
    width = max([len(label)] + [len(n) for n in names] + [len(n) for n in SUMMARY_ROWS])
    lines = [f"{label:<{width}}  precision  recall     f1  support", "-" * (width + 36)]

    def row(name, scores):
        return (
            f"{name:<{width}}  {scores['precision']:9.3f}  {scores['recall']:6.3f}  "
            f"{scores['f1-score']:5.3f}  {int(scores['support']):7d}"
        )

    lines += [row(name, report[name]) for name in names]
    lines.append("-" * (width + 36))
    lines += [row(name, report[name]) for name in SUMMARY_ROWS if name in report]
    if isinstance(report.get("accuracy"), float):
        lines.append(f"{'accuracy':<{width}}  {report['accuracy']:9.3f}")
    return "\n".join(lines)


def spans(entities) -> str:
    return (
        ", ".join(
            f"{e['entity']}={e.get('value', '')!s}" if "value" in e else f"{e['entity']}"
            for e in entities or []
        )
        or "-"
    )


def intent_errors(errors) -> str:
    lines = []
    for error in sorted(errors, key=lambda e: (e["intent"], e["text"])):
        predicted = error.get("intent_prediction") or {}
        lines.append(
            f"  [{error['intent']} -> {predicted.get('name')} "
            f"{predicted.get('confidence') or 0:.2f}] {error['text']}"
        )
    return "\n".join(lines) or "  (none)"


def entity_errors(errors) -> str:
    lines = []
    for error in errors:
        text = error["text"]

        def show(entities, text=text):
            return ", ".join(f"{e['entity']}:{text[e['start']:e['end']]!r}" for e in entities or []) or "-"

        lines.append(
            f"  {text}\n      expected  {show(error.get('entities'))}"
            f"\n      predicted {show(error.get('predicted_entities'))}"
        )
    return "\n".join(lines) or "  (none)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained model; default: the latest in models/")
    parser.add_argument("--heldout", type=Path, default=Path("tests/nlu/heldout.yml"))
    parser.add_argument("--out", type=Path, default=Path("build/evaluation/nlu"))
    parser.add_argument("--min-intent-f1", type=float, help="fail below this weighted intent F1")
    parser.add_argument("--min-entity-f1", type=float, help="fail below this weighted entity F1")
    parser.add_argument("--quiet", action="store_true", help="scores only, not the misread utterances")
    parser.add_argument("--diet", action="store_true", help="DIET's own intent, before the reading")
    args = parser.parse_args(argv)

    model = args.model or latest_model(Path("models"))
    if model is None or not model.exists():
        print(f"no model: {args.model or 'models/*.tar.gz'} (train one with `rasa train`)", file=sys.stderr)
        return 2
    if not args.heldout.exists():
        print(f"no held-out file: {args.heldout}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in ("intent_report.json", "intent_errors.json", READING_REPORT, READING_ERRORS):
        (args.out / stale).unlink(missing_ok=True)

    if args.diet:
        os.environ["READING_CORRECTS_INTENT"] = "0"  # DIET's own intent (rasa_server.understanding)
    if run_rasa_test(model, args.heldout, args.out) != 0:
        print("rasa test nlu failed", file=sys.stderr)
        return 1
    intents = load_json(args.out / "intent_report.json")
    if intents is None:
        print(f"rasa wrote no intent_report.json in {args.out}", file=sys.stderr)
        return 1
    entities = load_json(args.out / READING_REPORT)

    print(f"\nmodel: {model}\nheld-out: {args.heldout}\nreports: {args.out}/\n")
    print(score_table(intents, "intent (DIET alone)" if args.diet else "intent (DIET, then the reading)"))
    print()
    if entities:
        print(score_table(entities, "entity (the reading)"))
    else:
        print(f"entity: no {READING_REPORT} (no entity extractor, or no annotated entity)")
    if not args.quiet:
        wrong_intents = load_json(args.out / "intent_errors.json") or []
        print(f"\nmisclassified intents ({len(wrong_intents)}):\n{intent_errors(wrong_intents)}")
        wrong_entities = load_json(args.out / READING_ERRORS) or []
        print(f"\nutterances with wrong entities ({len(wrong_entities)}):\n{entity_errors(wrong_entities)}")
    return below_floors(intents, entities, args.min_intent_f1, args.min_entity_f1)


def below_floors(
    intents: dict, entities: dict | None, min_intent: float | None, min_entity: float | None
) -> int:
    """1 (and why) when a weighted F1 is under its floor, else 0."""
    failed = False
    for name, report, floor in (("intent", intents, min_intent), ("entity", entities or {}, min_entity)):
        if floor is None:
            continue
        f1 = (report.get("weighted avg") or {}).get("f1-score", 0.0)
        ok = f1 >= floor
        failed |= not ok
        print(f"{name} weighted F1 {f1:.3f} {'≥' if ok else '<'} floor {floor:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
