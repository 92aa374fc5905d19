"""`make benchmark`: prints the project's numbers (never asserted in tests).

0. The machine: its cores, and those this process may use (what every figure depends on).
1. Knowledge base: `make kb` build time, the action server's load of the
   base, then answers to "in which commune?" read as the bot reads them: the
   reading of the message (`Reader.read`, spaCy's whole analysis included, as the
   Rasa server's NLU step runs it), then `action_validate_slot_mappings` (the
   commune decision, homonyms' buttons, the observatory's count) and the engine's
   orientation, with all French communes loaded: names, typos and postal codes
   (p50/p95). Then the same with a synthetic
   national base of about 2,000 services, the action server's memory and the
   cost of an observatory event (`scripts/benchmark_scale.py`; `--no-scale`
   skips it; its lookups call `CommuneIndex.resolve` directly).
2. The bot through the REST channel, on this machine, with the scripted
   people of PERSONAS (printed): server readiness (a real webhook round
   trip), one conversation alone (per-turn p50/p95), 10 concurrent
   conversations (sustained turns/s, p50/p95), and the median number of
   messages they send before the orientation. Scripted, not real people.
3. The same REST measures for Rasa's default pipeline trained on the same
   data (`--no-baseline` skips it: its training takes several minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from stack import VENV_BIN, Stack, free_port  # noqa: E402

# Scripted people: what each types, in order, until the orientation arrives.
PERSONAS = [
    ["je suis au RSA à Laval et je veux passer le permis"],
    ["bonjour", "je voudrais passer le permis", "je suis au rsa", "Sablé-sur-Sarthe"],
    ["jsuis o rsa a st nazaire g besoin d'une aide pour payer mes trajets"],
    ["j'accompagne une personne au RSA qui habite Cholet et n'a pas de voiture"],
    ["je cherche un garage pas cher", "demandeur d'emploi", "Château-Gontier", "35 ans"],
    ["salut", "je n'ai pas de transport pour aller travailler", "je suis au RSA", "Beaupréau-en-Mauges"],
    ["je suis au rsa à Nantes et je veux un vélo"],
    ["je suis jeune, j'ai 19 ans, j'habite Angers et je ne sais pas comment faire"],
]
TURNS_ALONE = 100
CONCURRENT = 10
CONCURRENT_SECONDS = 30


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


FIXED_ANSWERS = ["Laval", "st nazaire", "Sablé sur Sarte", "49600", "Saint-Denis 93"]
SAMPLED_COMMUNES = 300  # each typed three ways: its name, a typo, a postal code
PROFILES = [("rsa", "permis", None), ("demandeur_emploi", "vehicule", 30), ("jeune", "transport", 20)]


def machine() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{os.cpu_count()} cœurs sur la machine (os.cpu_count), {usable} utilisables par ce processus (sched_getaffinity)"


def commune_answers(communes) -> list[str]:
    rng = random.Random(42)
    answers = []
    for c in rng.sample(communes, SAMPLED_COMMUNES):
        name = c.nom
        typo = name[:-1] if len(name) > 5 else name
        answers += [name, typo.lower(), c.codes_postaux[0] if c.codes_postaux else c.code_insee]
    return answers + FIXED_ANSWERS


def _answer_tracker(text: str, reading: dict, situation: str, besoin: str, age):
    """The person answers the form's question "in which commune?" (the reading as the NLU step gives it)."""
    from rasa_sdk import Tracker

    slots = {"requested_slot": "commune", "situations": [situation], "besoin": besoin, "age": age}
    latest = {
        "text": text,
        "intent": {"name": "inform", "confidence": 1.0},
        "entities": [],
        "lecture": reading,
    }
    return Tracker.from_dict(
        {
            "sender_id": "benchmark",
            "slots": slots,
            "latest_message": latest,
            "events": [{"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "orientation_form"},
            "latest_action_name": "action_listen",
        }
    )


async def _answers_as_the_bot(snapshot, answers: list[str]) -> tuple[list[float], list[float], dict]:
    """Each answer through action_validate_slot_mappings, then the engine (as action_orienter)."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.slots import ValidateSlotMappings
    from orientation.engine import Profile, orient
    from orientation.knowledge.loader import load_knowledge
    from orientation.knowledge.terms import named_terms
    from orientation.language.communes import CommuneIndex
    from orientation.language.reading import build_reader
    from orientation.territory import load_communes

    reader = build_reader(CommuneIndex(*load_communes()), named_terms(load_knowledge(ROOT / "knowledge")))
    action = ValidateSlotMappings()
    read_ms, total_ms, outcomes = [], [], {"trouvée": 0, "choix proposé": 0, "introuvable": 0}
    for i, text in enumerate(answers):
        situation, besoin, age = PROFILES[i % len(PROFILES)]
        t = time.perf_counter()
        reading = reader.read(text).as_dict()
        tracker, dispatcher = _answer_tracker(text, reading, situation, besoin, age), CollectingDispatcher()
        events = await action.run(dispatcher, tracker, {})
        read = time.perf_counter() - t
        code = next((e["value"] for e in events if e.get("name") == "code_insee" and e["value"]), None)
        commune = snapshot.communes.by_code(code) if code else None
        if commune is not None:
            orient(snapshot, Profile.of(situation, besoin, age), commune)
        read_ms.append(read * 1000)
        total_ms.append((time.perf_counter() - t) * 1000)
        chooses = any(m.get("buttons") for m in dispatcher.messages)
        outcomes["trouvée" if commune else "choix proposé" if chooses else "introuvable"] += 1
    return read_ms, total_ms, outcomes


def bench_knowledge() -> dict:
    from orientation.knowledge.build import build
    from orientation.observatory.recorder import default_recorder

    saved = {k: os.environ.get(k) for k in ("KB_DATABASE_URL", "OBSERVATOIRE_DATABASE_URL")}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/kb.db"
        started = time.perf_counter()
        build(ROOT / "knowledge", url=url)
        build_s = time.perf_counter() - started
        # The action server's own load (actions/knowledge.py loads the base when imported),
        # and its observatory counts kept in this temporary folder.
        os.environ.update(KB_DATABASE_URL=url, OBSERVATOIRE_DATABASE_URL=f"sqlite:///{tmp}/obs.db")
        try:
            import rasa_sdk  # noqa: F401 - imported first: not part of the load time

            started = time.perf_counter()
            knowledge = importlib.import_module("actions.knowledge")
            load_s = time.perf_counter() - started
            snapshot = knowledge._cache.get()
            answers = commune_answers(snapshot.communes.all())
            read_ms, total_ms, outcomes = asyncio.run(_answers_as_the_bot(snapshot, answers))
            default_recorder().flush()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return {
        "build_s": build_s,
        "load_s": load_s,
        "n": len(total_ms),
        "read_p50_ms": pct(read_ms, 0.5),
        "read_p95_ms": pct(read_ms, 0.95),
        "p50_ms": pct(total_ms, 0.5),
        "p95_ms": pct(total_ms, 0.95),
        "outcomes": outcomes,
        "communes": len(snapshot.communes),
    }


async def _turn(session, url, sender, text):
    t = time.perf_counter()
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
        body = await r.json()
    return (time.perf_counter() - t) * 1000, body


async def _conversation(session, url, persona, latencies):
    sender = f"bench-{uuid.uuid4().hex}"
    for n, text in enumerate(persona, 1):
        ms, body = await _turn(session, url, sender, text)
        latencies.append(ms)
        if any(isinstance(m.get("custom"), dict) and "orientation" in m["custom"] for m in body):
            return n
    return None


def group_usage(pgid: int) -> tuple[float, float, float]:
    """CPU seconds used so far, resident memory and its anonymous part (MB) of a process group: a
    server and its children (each server runs in a session of its own, see scripts/stack.py).
    The anonymous part is the processes' own memory; the rest is pages of files (the libraries)
    mapped from the page cache, which varies with the kernel's cache for the same files."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    cpu = rss = anon = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            status = (stat.parent / "status").read_text() if int(fields[2]) == pgid else ""
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == pgid:  # fields after "(name)": state, ppid, pgrp, …
            cpu += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            rss += int(fields[21]) * page / 1e6
            anon += next(
                (
                    int(line.split()[1]) * 1024 / 1e6
                    for line in status.splitlines()
                    if line.startswith("RssAnon:")
                ),
                0.0,
            )
    return cpu, rss, anon


def training_by_component(log: Path) -> list[tuple[str, int]]:
    """Seconds per component from the last training's log (models/training.log): Rasa logs
    "Starting/Finished to train component 'X'" with a timestamp (to the second)."""
    if not log.exists():
        return []
    stamps, out, first = {}, [], None
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0][:4].isdigit():
            continue
        when = time.mktime(time.strptime(f"{parts[0]} {parts[1]}", "%Y-%m-%d %H:%M:%S"))
        first = first if first is not None else when
        name = line.rsplit("'", 2)[-2] if line.count("'") >= 2 else ""
        if "Starting to train component" in line:
            stamps[name] = when
        elif "Finished training component" in line and name in stamps:
            out.append((name, int(when - stamps.pop(name))))
            last = when
    if out:
        out.append(("total (lecture des données et chargement de spaCy compris)", int(last - first)))
    return out


async def bench_rest(url: str, probe=None) -> dict:
    async with aiohttp.ClientSession() as session:
        # Messages to an orientation, and warm-up.
        to_orientation = [await _conversation(session, url, p, []) for p in PERSONAS]
        # One conversation alone.
        alone: list[float] = []
        while len(alone) < TURNS_ALONE:
            for p in PERSONAS:
                await _conversation(session, url, p, alone)
        # Ten concurrent conversations, for a fixed time.
        loaded: list[float] = []
        stop_at = time.monotonic() + CONCURRENT_SECONDS

        async def worker(i):
            while time.monotonic() < stop_at:
                await _conversation(session, url, PERSONAS[i % len(PERSONAS)], loaded)

        before = probe() if probe else {}
        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(CONCURRENT)))
        elapsed = time.monotonic() - started
        after = probe() if probe else {}
    reached = [n for n in to_orientation if n]
    return {
        # CPU milliseconds each server spent per turn under load, and its memory after the run
        "processes": {
            name: ((after[name][0] - before[name][0]) * 1000 / max(1, len(loaded)), *after[name][1:])
            for name in after
        },
        "conversations": len(loaded),
        "alone_p50": pct(alone, 0.5),
        "alone_p95": pct(alone, 0.95),
        "turns_per_s": len(loaded) / elapsed,
        "loaded_p50": pct(loaded, 0.5),
        "loaded_p95": pct(loaded, 0.95),
        "oriented": f"{len(reached)}/{len(PERSONAS)}",
        "median_messages": statistics.median(reached) if reached else None,
    }


def run_stack(model: str, log_name: str, plain_rasa: bool = False) -> tuple[float, dict]:
    stack = Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=None,
        model=model,
        log_dir=ROOT / "build" / "benchmark" / log_name,
        plain_rasa=plain_rasa,
    )
    started = time.monotonic()
    stack.start(timeout=300)
    ready = time.monotonic() - started

    def probe() -> dict:
        return {name: group_usage(proc.pid) for name, proc, _ in stack.processes}

    try:
        return ready, asyncio.run(bench_rest(stack.rasa_url, probe))
    finally:
        stack.stop()


def train_baseline() -> tuple[str, float | None]:
    """Rasa's default pipeline and policies (no config given), on the same data.

    Reused when it is newer than the training data (its training takes minutes).
    """
    out = ROOT / "build" / "benchmark" / "baseline"
    model = out / "baseline.tar.gz"
    inputs = [ROOT / "domain.yml", *(ROOT / "data").rglob("*.yml")]
    if model.exists() and model.stat().st_mtime > max(p.stat().st_mtime for p in inputs):
        return str(model), None
    out.mkdir(parents=True, exist_ok=True)
    config = out / "config.yml"
    config.write_text("recipe: default.v1\nlanguage: fr\nassistant_id: baseline\npipeline:\npolicies:\n")
    started = time.monotonic()
    subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "train",
            "--config",
            str(config),
            "--out",
            str(out),
            "--fixed-model-name",
            "baseline",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return str(out / "baseline.tar.gz"), time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-baseline", action="store_true", help="skip Rasa's default pipeline")
    parser.add_argument("--no-rest", action="store_true", help="knowledge base figures only")
    parser.add_argument("--no-scale", action="store_true", help="skip the synthetic national base")
    args = parser.parse_args()

    print(f"Machine : {machine()}\n", flush=True)
    kb = bench_knowledge()
    print("Base de connaissances")
    print(f"  make kb (validation + construction)  {kb['build_s']:.2f} s   (objectif ≤ 10 s)")
    print(f"  chargement par le serveur d'actions ({kb['communes']} communes)  {kb['load_s']:.2f} s")
    print(
        f"  {kb['n']} réponses à « Dans quelle commune ? » : {SAMPLED_COMMUNES} communes tirées au hasard "
        "(graine 42), chacune écrite 3 fois (son nom, sans sa dernière lettre en minuscules, "
        f"un code postal), et {', '.join(FIXED_ANSWERS)}"
    )
    print("  lues par le code du bot (action_validate_slot_mappings, sans les entités de DIET) :")
    print(
        f"    {', '.join(f'{k} {v}' for k, v in kb['outcomes'].items())} (choix : homonymes ou orthographes)"
    )
    print(
        f"    lecture de la commune          p50 {kb['read_p50_ms']:.2f} ms   p95 {kb['read_p95_ms']:.2f} ms"
    )
    print(
        f"    lecture + orientation (moteur)  p50 {kb['p50_ms']:.2f} ms   "
        f"p95 {kb['p95_ms']:.2f} ms   (objectif p95 ≤ 5 ms)"
    )
    if not args.no_scale:
        from benchmark_scale import bench_scale, print_scale

        print_scale(bench_scale())
        print(
            "  (ce tableau cherche la commune par CommuneIndex.resolve seul, sans l'action du bot : "
            "le chemin du bot est mesuré plus haut)"
        )
    if args.no_rest:
        return 0

    rows = {}
    rows["ce projet"] = run_stack("models", "ours")
    if not args.no_baseline:
        print("\nEntraînement du pipeline Rasa par défaut (quelques minutes)…", flush=True)
        model, train_s = train_baseline()
        print(f"  entraîné en {train_s:.0f} s" if train_s else "  modèle déjà entraîné, réutilisé")
        rows["Rasa par défaut"] = run_stack(model, "baseline")
        # The same default model behind Rasa's own `rasa run`: what the compiled
        # action-response schema (rasa_server/action_response.py) is worth on its own.
        rows["défaut, rasa run"] = run_stack(model, "baseline-plain", plain_rasa=True)

    print(f"\nConversations scriptées par le canal REST ({machine()})")
    print(
        f"  Tout sauf « prêt » vient des {len(PERSONAS)} personnes scriptées ci-dessous, pas de vraies "
        "personnes : « orientés » et « messages », leur premier passage (qui sert aussi d'échauffement) ; "
        f"« seul », leurs messages rejoués une conversation à la fois (au moins {TURNS_ALONE} tours) ; "
        f"« {CONCURRENT} conv. », les mêmes rejoués par {CONCURRENT} conversations à la fois "
        f"pendant {CONCURRENT_SECONDS} s"
    )
    for n, persona in enumerate(PERSONAS, 1):
        print(f"    {n}. " + " → ".join(f"« {text} »" for text in persona))
    print(
        f"  {'':18} {'prêt':>6} {'seul p50':>9} {'seul p95':>9} {'10 conv. tours/s':>17} "
        f"{'p50':>7} {'p95':>7} {'orientés':>9} {'messages (méd.)':>16}"
    )
    for name, (ready, r) in rows.items():
        print(
            f"  {name:18} {ready:5.0f}s {r['alone_p50']:7.0f}ms {r['alone_p95']:7.0f}ms "
            f"{r['turns_per_s']:17.1f} {r['loaded_p50']:5.0f}ms {r['loaded_p95']:5.0f}ms "
            f"{r['oriented']:>9} {str(r['median_messages']):>16}"
        )
    print(
        "  objectifs : seul p50 ≤ 25 ms, ≥ 50 tours/s à 10 conversations, prêt ≤ 45 s, "
        "médiane ≤ 3 messages"
    )
    print(f"\nOù va le temps et la mémoire, pendant les {CONCURRENT} conversations à la fois")
    print(f"  {'':18} {'processus':12} {'CPU par tour':>13} {'mémoire (RSS) après':>21} {'dont anonyme':>13}")
    for name, (_, r) in rows.items():
        for process, (cpu_ms, rss_mb, anon_mb) in r["processes"].items():
            print(f"  {name:18} {process:12} {cpu_ms:10.1f} ms {rss_mb:17.0f} Mo {anon_mb:10.0f} Mo")
    print("  objectifs : Rasa ≤ 1 000 Mo, actions ≤ 300 Mo")
    components = training_by_component(ROOT / "models" / "training.log")
    if components:
        print("\nEntraînement du modèle de ce projet, par composant (journal models/training.log)")
        for name, seconds in components:
            print(f"  {name:45} {seconds:5d} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
