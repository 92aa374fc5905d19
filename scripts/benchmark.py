"""`make benchmark`: prints the project's numbers (never asserted in tests).

1. Knowledge base: `make kb` build time, snapshot load, one orientation query
   (p50/p95 with all French communes loaded, names, typos and postal codes);
   then the same with a synthetic national base of about 2,000 services, the
   action server's memory and the cost of an observatory event
   (`scripts/benchmark_scale.py`; `--no-scale` skips it).
2. The bot through the REST channel, on this machine: server readiness (a real
   webhook round trip), one conversation alone (per-turn p50/p95), 10
   concurrent conversations (sustained turns/s, p50/p95), and the median number
   of messages a person sends before the orientation.
3. The same REST measures for Rasa's default pipeline trained on the same
   data (`--no-baseline` skips it: its training takes several minutes).
"""

from __future__ import annotations

import argparse
import asyncio
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


def bench_knowledge() -> dict:
    from orientation.engine import Profile, orient
    from orientation.knowledge.build import build
    from orientation.knowledge.snapshot import Snapshot

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/kb.db"
        started = time.perf_counter()
        build(ROOT / "knowledge", url=url)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        snapshot = Snapshot.from_database(url)
        load_s = time.perf_counter() - started
    rng = random.Random(42)
    communes = snapshot.communes.all()
    queries = []
    for c in rng.sample(communes, 300):
        name = c.nom
        typo = name[:-1] if len(name) > 5 else name
        queries += [name, typo.lower(), c.codes_postaux[0] if c.codes_postaux else c.code_insee]
    queries += ["Laval", "st nazaire", "Sablé sur Sarte", "49600", "Saint-Denis 93"]
    profiles = [("rsa", "permis", None), ("demandeur_emploi", "vehicule", 30), ("jeune", "transport", 20)]
    times = []
    for i, q in enumerate(queries):
        situation, besoin, age = profiles[i % len(profiles)]
        t = time.perf_counter()
        commune = snapshot.communes.resolve(q).commune  # the engine takes a resolved commune
        if commune is not None:
            orient(snapshot, Profile.of(situation, besoin, age), commune)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "build_s": build_s,
        "load_s": load_s,
        "n": len(times),
        "p50_ms": pct(times, 0.5),
        "p95_ms": pct(times, 0.95),
        "communes": len(communes),
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


async def bench_rest(url: str) -> dict:
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

        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(CONCURRENT)))
        elapsed = time.monotonic() - started
    reached = [n for n in to_orientation if n]
    return {
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
    try:
        return ready, asyncio.run(bench_rest(stack.rasa_url))
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

    kb = bench_knowledge()
    print("Base de connaissances")
    print(f"  make kb (validation + construction)  {kb['build_s']:.2f} s   (objectif ≤ 10 s)")
    print(f"  chargement en mémoire ({kb['communes']} communes)  {kb['load_s']:.2f} s")
    print(
        f"  une orientation ({kb['n']} requêtes)  p50 {kb['p50_ms']:.2f} ms   "
        f"p95 {kb['p95_ms']:.2f} ms   (objectif p95 ≤ 5 ms)"
    )
    if not args.no_scale:
        from benchmark_scale import bench_scale, print_scale

        print_scale(bench_scale())
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
        # action-response schema (scripts/rasa_fast.py) is worth on its own.
        rows["défaut, rasa run"] = run_stack(model, "baseline-plain", plain_rasa=True)

    print("\nConversation par le canal REST (2 cœurs)")
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
        "  objectifs : seul p50 ≤ 50 ms, ≥ 30 tours/s à 10 conversations, prêt ≤ 45 s, "
        "médiane ≤ 3 messages"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
