"""Maintainer commands behind `make kb`, `make kb-export` and `make orient`.

python -m orientation.cli kb
python -m orientation.cli export [--out build/export]
python -m orientation.cli orient "rsa; Laval; permis[; 22]"
python -m orientation.cli import DOSSIER [--out knowledge/plateformes] [--ignorer-invalides]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from orientation.knowledge.loader import KnowledgeErrors


def cmd_kb(args) -> int:
    from orientation.knowledge.build import build
    from orientation.knowledge.loader import load_knowledge

    started = time.perf_counter()
    try:
        knowledge = load_knowledge(Path(args.root))
        report = build(Path(args.root), url=args.url, knowledge=knowledge)
    except KnowledgeErrors as errors:
        print(
            f"La base de connaissances contient {len(errors.errors)} erreur(s) ; "
            "la base en service n'a pas été modifiée.\n",
            file=sys.stderr,
        )
        print(str(errors), file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    c = report.counts
    print(f"Base de connaissances construite en {elapsed:.1f} s → {report.url}")
    print(
        f"  plateformes : {c['plateformes']}   services : {c['services']}   "
        f"prescripteurs : {c['prescripteurs']}   termes du glossaire : {c['glossaire']}"
    )
    print(
        f"  communes : {c['communes']}   anciens noms : {c['communes_anciens_noms']}   "
        f"départements : {c['departements']}   EPCI : {c['epci']}"
    )
    _warn_stale(knowledge)
    return 0


def _warn_stale(knowledge) -> None:
    """Old information is a warning, not an error: the base is built all the same."""
    from datetime import date

    from orientation.knowledge.freshness import stale_services, warning_lines

    stale = stale_services((p.dict() for p in knowledge.plateformes), date.today())
    for line in warning_lines(stale):
        print(line, file=sys.stderr)


def cmd_export(args) -> int:
    from orientation.knowledge.export import export_data_inclusion
    from orientation.knowledge.loader import load_knowledge

    try:
        knowledge = load_knowledge(Path(args.root))
    except KnowledgeErrors as errors:
        print(str(errors), file=sys.stderr)
        return 1
    result = export_data_inclusion(knowledge, out_dir=args.out)
    print(f"Export data·inclusion v1 écrit dans {args.out}/ : {result}")
    return 0


def cmd_import(args) -> int:
    from orientation.knowledge.datainclusion.importer import import_export
    from orientation.knowledge.datainclusion.problems import ImportErrors

    out = Path(args.out) if args.out else Path(args.root) / "plateformes"
    try:
        result = import_export(
            Path(args.directory), out, root=Path(args.root), ignore_invalid=args.ignorer_invalides
        )
    except ImportErrors as errors:
        print(
            f"L'export contient {len(errors.problems)} erreur(s) ; aucun fichier n'a été écrit.\n"
            "(--ignorer-invalides importe les autres structures.)\n",
            file=sys.stderr,
        )
        print(str(errors), file=sys.stderr)
        return 1
    files = len(result.written) + len(result.replaced)
    print(
        f"Import data·inclusion depuis {args.directory} : {files} structure(s), "
        f"{result.services} service(s) de mobilité ; {result.other_services} service(s) hors mobilité "
        "non importé(s)."
    )
    for path in result.written:
        print(f"  nouveau : {path}")
    for path in result.replaced:
        print(f"  remplacé : {path}")
    for structure_id, path in result.hand_written:
        print(f"  laissé tel quel : {structure_id} (déjà décrit à la main dans {path})")
    for problem in result.invalid:
        print(f"  ignoré : {problem}", file=sys.stderr)
    if files:
        print(
            "Relisez ces fichiers (ce que l'export ne dit pas est listé dans « inconnu »), "
            "puis lancez « make kb »."
        )
    return 0


def lookup_tables(document: dict) -> str:
    """Rasa lookup tables (data/nlu/lexique.yml) from lexique.yml: the situations' and needs'
    words, as written and without accents, for DIET's intent features (RegexFeaturizer)."""
    from orientation.language.normalize import normalize

    lines = [
        "# Generated from orientation/language/lexique.yml by `make lookup`: do not edit by hand.",
        'version: "3.1"',
        "nlu:",
    ]
    for section, kind in (("situations", "situation"), ("besoins", "besoin")):
        phrases: set[str] = set()
        for value in (document.get(section) or {}).values():
            for how in ("lemmes", "formes"):
                for phrase in (value.get(how) or []) if isinstance(value, dict) else value:
                    if "…" not in phrase:  # a phrase with a gap is no lookup entry
                        phrases |= {phrase.lower(), normalize(phrase)}
        lines += [f"- lookup: {kind}", "  examples: |"]
        lines += [f"    - {p}" for p in sorted(phrases) if len(p) > 2]
    return "\n".join(lines) + "\n"


def cmd_lookup(args) -> int:
    """`make lookup`: Rasa's lookup tables from the lexicon (orientation/language/lexique.yml)."""
    from orientation.language.words import lexique

    Path(args.out).write_text(lookup_tables(lexique()), encoding="utf-8")
    return 0


def parse_question(text: str) -> dict:
    """ "rsa+demandeur_emploi; Laval; permis; 22" → situations, commune, besoin, age (age optional)."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 3:
        raise ValueError(
            'Format attendu : "situation[+situation]; commune; besoin[; âge]", '
            'par exemple "rsa; Laval; permis".'
        )
    age = int(parts[3]) if len(parts) > 3 and parts[3] else None
    situations = [s.strip() for s in parts[0].split("+") if s.strip()]
    return {"situations": situations, "commune": parts[1], "besoin": parts[2] or None, "age": age}


def cmd_orient(args) -> int:
    from orientation.engine import Profile, orient
    from orientation.knowledge.snapshot import Snapshot
    from orientation.text.report import render_text

    try:
        question = parse_question(args.question)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    from orientation.language.communes import CommuneIndex
    from orientation.territory import load_communes

    snapshot = Snapshot.from_database(args.url)
    resolution = CommuneIndex(*load_communes()).resolve(question["commune"])
    if resolution.commune is None or resolution.status != "found":
        what = "plusieurs communes possibles" if resolution.candidates else "introuvable"
        print(f"Commune « {question['commune']} » : {what}")
        for c in resolution.candidates:
            print(f"  - {c.label()} [{c.code_insee}]")
        if resolution.commune is None:
            return 1
        print(f"→ retenue : {resolution.commune.label()}\n")
    profile = Profile.of(question["situations"], question["besoin"], question["age"])
    orientation = orient(snapshot, profile, resolution.commune)
    if args.json:  # the payload the bot sends (docs/architecture.md), for scripts and persona writers
        import json

        from orientation.text.payload import orientation_payload

        print(json.dumps(orientation_payload(orientation, snapshot), ensure_ascii=False, indent=1))
    else:
        print(render_text(orientation, snapshot))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="orientation")
    parser.add_argument("--root", default="knowledge", help="dossier des fichiers de connaissance")
    parser.add_argument(
        "--url", default=None, help="URL SQLAlchemy (défaut : $KB_DATABASE_URL ou build/knowledge.db)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("kb", help="valider et construire la base").set_defaults(func=cmd_kb)
    p = sub.add_parser("export", help="exporter au format data·inclusion v1")
    p.add_argument("--out", default="build/export")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", help="importer un export data·inclusion v1 (structures.json, services.json)")
    p.add_argument("directory")
    p.add_argument("--out", default=None, help="dossier des fichiers écrits (défaut : <root>/plateformes)")
    p.add_argument(
        "--ignorer-invalides",
        action="store_true",
        help="importer les structures valides malgré les autres (qui sont listées)",
    )
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("lookup", help="tables de Rasa (data/nlu/lexique.yml) depuis le lexique")
    p.add_argument("out", nargs="?", default="data/nlu/lexique.yml")
    p.set_defaults(func=cmd_lookup)
    p = sub.add_parser("orient", help='orienter une personne : "situation; commune; besoin[; âge]"')
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="le contenu structuré que le bot envoie")
    p.set_defaults(func=cmd_orient)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
