"""`make report` and `make report-demo`.

python -m orientation.observatory report [--from 2025-10-01] [--to 2025-10-31] [--dep 53] [--out build/report]
python -m orientation.observatory demo [--out build/report-demo]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from orientation.observatory.report import DEFAULT_OUT, last_full_month, parse_day, write_report

DEMO_OUT = Path("build/report-demo")


def _period(args) -> tuple[date, date]:
    start, end = last_full_month(date.today())
    if args.date_from:
        start = parse_day(args.date_from)
    if args.date_to:
        end = parse_day(args.date_to, end=True)
    if end < start:
        raise ValueError(f"période vide : du {start} au {end}")
    return start, end


def cmd_report(args) -> int:
    try:
        start, end = _period(args)
    except ValueError as exc:
        print(f"Dates invalides ({exc}) : FROM et TO s'écrivent AAAA-MM-JJ ou AAAA-MM.", file=sys.stderr)
        return 2
    paths = write_report(
        Path(args.out), start, end, args.dep or None, events_url=args.events_url, kb_url=args.url
    )
    print(
        f"Rapport de l'observatoire du {start} au {end}"
        f"{' — département ' + args.dep if args.dep else ''} :"
    )
    for path in paths.values():
        print(f"  {path}")
    return 0


def cmd_demo(args) -> int:
    from orientation.knowledge.snapshot import Snapshot
    from orientation.observatory import store
    from orientation.observatory.simulation import simulated_events

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "observatoire-simule.db"
    db.unlink(missing_ok=True)  # the same demonstration every time
    url = f"sqlite:///{db}"
    start, end = last_full_month(date.today())
    events = simulated_events(Snapshot.from_database(args.url), start, end, people=args.people)
    engine = store.connect(url)
    store.add_events(engine, events)
    engine.dispose()
    print(f"{len(events)} demandes simulées (marquées comme telles) dans {db}")
    paths = write_report(out, start, end, events_url=url, kb_url=args.url)
    print(
        f"Rapport de démonstration : {paths['observatoire.html']} (graphique : {paths['observatoire.png']})"
    )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="orientation.observatory")
    parser.add_argument(
        "--url",
        default=None,
        help="base de connaissances (défaut : $KB_DATABASE_URL " "ou build/knowledge.db)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="rapport d'une période (défaut : le dernier mois complet)")
    p.add_argument("--from", dest="date_from", default=None, help="premier jour (AAAA-MM-JJ ou AAAA-MM)")
    p.add_argument("--to", dest="date_to", default=None, help="dernier jour, inclus (AAAA-MM-JJ ou AAAA-MM)")
    p.add_argument("--dep", default=None, help="un département (code : 53, 2A…)")
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p.add_argument(
        "--events-url",
        default=None,
        help="défaut : $OBSERVATOIRE_DATABASE_URL ou à côté " "de la base de connaissances",
    )
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("demo", help="événements simulés dans leur propre base, et leur rapport")
    p.add_argument("--out", default=str(DEMO_OUT))
    p.add_argument("--people", type=int, default=2500)
    p.set_defaults(func=cmd_demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
