"""The scale part of `make benchmark`: a synthetic national knowledge base, and what it costs.

About 2,000 invented services over every département (a departmental platform
with a dozen services, and two intercommunal ones with a few each), written
as a data·inclusion export and imported with `make kb-import`'s code into a
temporary folder — never into knowledge/. Then, beside today's base:
`make kb` (validation and build), loading into memory, one orientation
(p50/p95), the memory of a process holding the snapshot (the action
server's share), and the cost of recording one observatory event.
Printed, never asserted.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orientation.territory import read_csv  # noqa: E402

SOURCE = "synthetique"
# (name, thematiques, mobilisable_par): a platform's usual catalogue.
CATALOGUE = [
    ("Diagnostic mobilité", ["mobilite--etre-accompagne-dans-son-parcours-mobilite"], ["professionnels"]),
    ("Auto-école sociale", ["mobilite--preparer-un-permis"], ["professionnels"]),
    ("Préparation au code de la route", ["mobilite--preparer-un-permis"], ["usagers", "professionnels"]),
    ("Location solidaire de voitures", ["mobilite--acceder-a-un-vehicule"], ["usagers", "professionnels"]),
    ("Micro-crédit pour l'achat d'un véhicule", ["mobilite--financer-ma-mobilite"], ["professionnels"]),
    ("Garage solidaire", ["mobilite--entretenir-reparer-son-vehicule"], None),
    ("Transport solidaire", ["mobilite--mobilite-douce-partagee-collective"], ["usagers", "professionnels"]),
    ("Covoiturage solidaire", ["mobilite--mobilite-douce-partagee-collective"], None),
    (
        "Prêt de vélos à assistance électrique",
        ["mobilite--mobilite-douce-partagee-collective", "mobilite--acceder-a-un-vehicule"],
        ["usagers"],
    ),
    ("Aide financière au permis", ["mobilite--financer-ma-mobilite"], ["professionnels"]),
    ("Atelier mobilité", ["mobilite--etre-accompagne-dans-son-parcours-mobilite"], None),
    (
        "Conseil pour l'achat d'un véhicule",
        ["mobilite--acceder-a-un-vehicule"],
        ["usagers", "professionnels"],
    ),
]
PUBLICS = [
    ["beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "jeunes"],
    ["tous-publics"],
    ["beneficiaires-des-minimas-sociaux"],
    ["jeunes"],
    ["demandeurs-emploi", "personnes-en-situation-de-handicap"],
]
DESCRIPTION = (
    "Service inventé pour mesurer l'assistant à l'échelle nationale (base synthétique de "
    "make benchmark) : il n'existe pas."
)


def national_export(directory: Path, communes_dir: Path, seed: int = 9) -> dict:
    """Write structures.json and services.json; returns their counts."""
    rng = random.Random(seed)
    departements = {r["code"]: r["nom"] for r in read_csv(communes_dir / "departements.csv")}
    epcis = {r["siren"]: r["nom"] for r in read_csv(communes_dir / "epci.csv")}
    epci_by_dep: dict[str, list[str]] = {}
    for r in read_csv(communes_dir / "communes.csv"):
        if r["epci_siren"] and r["epci_siren"] not in epci_by_dep.setdefault(r["departement"], []):
            epci_by_dep[r["departement"]].append(r["epci_siren"])
    structures, services = [], []
    today = date.today().isoformat()

    def structure(key, name, zone, catalogue):
        sid = f"{SOURCE}--{key}"
        structures.append(
            {
                "source": SOURCE,
                "id": sid,
                "nom": name,
                "date_maj": today,
                "description": DESCRIPTION,
                "reseaux_porteurs": None,
            }
        )
        for n, (label, thematiques, mobilisable_par) in enumerate(catalogue):
            services.append(
                {
                    "source": SOURCE,
                    "structure_id": sid,
                    "id": f"{sid}--{n}",
                    "nom": label,
                    "description": DESCRIPTION,
                    "date_maj": today,
                    "type": None,
                    "thematiques": thematiques,
                    "publics": rng.choice(PUBLICS),
                    "publics_precisions": None,
                    "conditions_acces": None,
                    "zone_eligibilite": zone,
                    "mobilisable_par": mobilisable_par,
                }
            )

    used: set[str] = set()  # an EPCI may lie in two départements: one structure only
    for code in sorted(epci_by_dep):
        structure(
            f"dep-{code.lower()}", f"Plateforme mobilité {departements.get(code, code)}", [code], CATALOGUE
        )
        free = [e for e in epci_by_dep[code] if e not in used]
        for siren in rng.sample(free, min(2, len(free))):
            used.add(siren)
            structure(
                f"epci-{siren}",
                f"Mobilité solidaire {epcis.get(siren, siren)}",
                [siren],
                rng.sample(CATALOGUE[1:], 4),
            )
    for name, records in (("structures", structures), ("services", services)):
        (directory / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return {"structures": len(structures), "services": len(services)}


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _rss_mb(url: str) -> float:
    """Resident memory of a fresh process holding the snapshot (as the action server does)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]); from orientation.knowledge.snapshot import Snapshot; "
        "s = Snapshot.from_database(sys.argv[1]); "
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, url, str(ROOT)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def _orientation_times(snapshot, n: int = 900, seed: int = 42) -> tuple[list[float], list[float]]:
    """(engine alone, commune resolution + engine) in ms, for the same queries on any base."""
    from orientation.engine import Profile, orient

    rng = random.Random(seed)
    communes = rng.sample(snapshot.communes.all(), n // 3)
    # As scripts/benchmark.py's knowledge figures: a name, a typo (last letter dropped), a postal code.
    queries = [
        q
        for c in communes
        for q in (
            c.nom,
            (c.nom[:-1] if len(c.nom) > 5 else c.nom).lower(),
            c.codes_postaux[0] if c.codes_postaux else c.code_insee,
        )
    ]
    profiles = [
        (["rsa"], "permis", None),
        (["demandeur_emploi"], "vehicule", 30),
        (["jeune"], "transport", 20),
        (["salarie"], "velo", 45),
        (["rsa", "demandeur_emploi"], "reparation", None),
    ]
    engine, whole = [], []
    for i, q in enumerate(queries):
        situations, besoin, age = profiles[i % len(profiles)]
        t = time.perf_counter()
        commune = snapshot.communes.resolve(q).commune
        t_engine = time.perf_counter()
        if commune is not None:
            orient(snapshot, Profile.of(situations, besoin, age), commune)
        done = time.perf_counter()
        engine.append((done - t_engine) * 1000)
        whole.append((done - t) * 1000)
    return engine, whole


def measure_base(root: Path, url: str) -> dict:
    """`make kb` on a knowledge root, then the snapshot, the queries and the memory."""
    from orientation.knowledge.build import build
    from orientation.knowledge.loader import load_knowledge
    from orientation.knowledge.snapshot import Snapshot

    started = time.perf_counter()
    knowledge = load_knowledge(root, communes_dir=ROOT / "knowledge" / "communes")
    report = build(root, url=url, knowledge=knowledge)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    snapshot = Snapshot.from_database(url)
    load_s = time.perf_counter() - started
    engine, whole = _orientation_times(snapshot)
    return {
        "services": report.counts["services"],
        "plateformes": report.counts["plateformes"],
        "build_s": build_s,
        "load_s": load_s,
        "engine_p50": _pct(engine, 0.5),
        "engine_p95": _pct(engine, 0.95),
        "p50_ms": _pct(whole, 0.5),
        "p95_ms": _pct(whole, 0.95),
        "rss_mb": _rss_mb(url),
        "snapshot": snapshot,
    }


def measure_recording(snapshot, tmp: Path, n: int = 2000) -> dict:
    """What a turn pays to record an event (build it, queue it), and what the writer thread pays."""
    from orientation.engine import Profile, orient
    from orientation.observatory import event as ev
    from orientation.observatory import record_orientation, recorder, store

    rng = random.Random(3)
    communes = rng.sample(snapshot.communes.all(), 200)
    orientations = [
        orient(snapshot, Profile.of("rsa", rng.choice(["permis", "vehicule", "velo"]), None), c)
        for c in communes
    ]
    url = f"sqlite:///{tmp / 'observatoire.db'}"
    recorder._default = recorder.Recorder(url)
    turn = []
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        record_orientation(orientations[i % len(orientations)], i % 3 == 0)
        turn.append((time.perf_counter() - t) * 1000)
    recorder._default.flush(60)
    drained_s = time.perf_counter() - started  # from the first event queued to the last one written
    engine = store.connect(url)
    one = []
    for o in orientations[:100]:
        event = ev.event_from_orientation(o, False, date.today())
        t = time.perf_counter()
        store.add_events(engine, [event])
        one.append((time.perf_counter() - t) * 1000)
    engine.dispose()
    recorder._default = None
    return {
        "turn_p50_ms": _pct(turn, 0.5),
        "turn_p95_ms": _pct(turn, 0.95),
        "n": n,
        "drained_s": drained_s,
        "write_one_ms": statistics.median(one),
    }


def bench_scale() -> dict:
    from orientation.knowledge.datainclusion.importer import import_export

    with tempfile.TemporaryDirectory(prefix="kb-national-") as tmp:
        tmp = Path(tmp)
        today = measure_base(ROOT / "knowledge", f"sqlite:///{tmp / 'today.db'}")
        export_dir = tmp / "export"
        export_dir.mkdir()
        counts = national_export(export_dir, ROOT / "knowledge" / "communes")
        root = tmp / "knowledge"
        (root / "plateformes").mkdir(parents=True)
        (root / "communes").symlink_to(ROOT / "knowledge" / "communes")
        for name in ("prescripteurs.yml", "glossaire.yml"):
            shutil.copy(ROOT / "knowledge" / name, root / name)
        for path in (ROOT / "knowledge" / "plateformes").glob("*.yml"):
            shutil.copy(path, root / "plateformes" / path.name)
        started = time.perf_counter()
        import_export(export_dir, root / "plateformes", root=root)
        import_s = time.perf_counter() - started
        national = measure_base(root, f"sqlite:///{tmp / 'national.db'}")
        recording = measure_recording(national["snapshot"], tmp)
    return {
        "today": today,
        "national": national,
        "generated": counts,
        "import_s": import_s,
        "recording": recording,
    }


def print_scale(r: dict) -> None:
    t, n, rec = r["today"], r["national"], r["recording"]
    print(
        f"\nÀ l'échelle nationale (base synthétique : {r['generated']['structures']} structures, "
        f"{r['generated']['services']} services, dossier temporaire)"
    )
    print(f"  {'':34} {'aujourd’hui':>12} {'nationale':>12}   objectif")
    print(
        f"  {'plateformes / services':34} {t['plateformes']:>5} / {t['services']:<4} "
        f"{n['plateformes']:>5} / {n['services']:<5}"
    )
    print(
        f"  {'make kb (validation + construction)':34} {t['build_s']:>10.1f} s {n['build_s']:>10.1f} s"
        f"   ≤ 60 s"
    )
    print(f"  {'chargement en mémoire':34} {t['load_s']:>10.1f} s {n['load_s']:>10.1f} s")
    print(f"  {'une orientation (moteur) p50':34} {t['engine_p50']:>9.2f} ms {n['engine_p50']:>9.2f} ms")
    print(
        f"  {'une orientation (moteur) p95':34} {t['engine_p95']:>9.2f} ms {n['engine_p95']:>9.2f} ms   ≤ 5 ms"
    )
    print(f"  {'commune + orientation p50':34} {t['p50_ms']:>9.2f} ms {n['p50_ms']:>9.2f} ms")
    print(f"  {'commune + orientation p95':34} {t['p95_ms']:>9.2f} ms {n['p95_ms']:>9.2f} ms")
    print(
        f"  {'mémoire du processus (RSS)':34} {t['rss_mb']:>9.0f} Mo {n['rss_mb']:>9.0f} Mo"
        f"   ≤ +200 Mo (ici {n['rss_mb'] - t['rss_mb']:+.0f} Mo)"
    )
    print(f"  make kb-import de l'export synthétique : {r['import_s']:.1f} s")
    print(
        f"  enregistrer un événement, dans le tour : p50 {rec['turn_p50_ms'] * 1000:.0f} µs, "
        f"p95 {rec['turn_p95_ms'] * 1000:.0f} µs ({rec['n']} tours ; objectif ≤ 1 ms)"
    )
    print(
        f"  hors du tour, le fil d'écriture : {rec['n']} événements écrits en {rec['drained_s']:.2f} s "
        f"(par lots) ; un événement seul, une transaction SQLite : {rec['write_one_ms']:.1f} ms"
    )


if __name__ == "__main__":
    print_scale(bench_scale())
