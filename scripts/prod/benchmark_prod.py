"""`make benchmark-prod`: 50 concurrent conversations for 60 s, printed (never asserted).

Rows:
1. `make run`'s single process (in-memory, one Rasa server, one action server), direct;
2. the production profile through nginx, the two Rasa replicas free on both cores;
3. the same with both replicas pinned to one core (`taskset -c 0`).

Each conversation is a scripted person with its own client address
(127.0.0.10…59, as 50 people would be, so nginx's per-client limit does not
apply), who starts a new conversation after the orientation. Each row is
played twice:
- at saturation: the next message is sent as soon as the bot answers. The
  server's capacity (turns/s); the latency is then 50 ÷ capacity (Little's law);
- at a person's pace: before each message the person reads and types,
  `THINK_SECONDS + len(message) / TYPED_PER_SECOND` seconds, a fast typist
  (twice the 3 characters/s measured on phones, Palin et al., MobileHCI 2019).
  The latency 50 people typing at once meet.
Errors: HTTP status other than 200, no answer, or the "service unavailable" message.

    python scripts/prod/benchmark_prod.py [--conversations 50] [--seconds 60] [--skip-single]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "scripts" / "prod"))

from prodstack import ProdConfig, ProdStack  # noqa: E402

from stack import Stack, free_port  # noqa: E402

PERSONAS = [
    ["je suis au RSA à Laval et je veux passer le permis"],
    ["bonjour", "je voudrais passer le permis", "je suis au rsa", "Sablé-sur-Sarthe"],
    ["jsuis o rsa a st nazaire g besoin d'une aide pour payer mes trajets"],
    ["j'accompagne une personne au RSA qui habite Cholet et n'a pas de voiture"],
    ["je cherche un garage pas cher", "demandeur d'emploi", "Château-Gontier", "35 ans"],
    ["salut", "je n'ai pas de transport pour aller travailler", "je suis au RSA", "Beaupréau-en-Mauges"],
]


THINK_SECONDS = 1.0  # reading the answer, at the least
TYPED_PER_SECOND = 6.0  # characters


def pause_before(message: str) -> float:
    """Seconds a fast typist takes to read the answer and type `message`."""
    return THINK_SECONDS + len(message) / TYPED_PER_SECOND


async def _person(url: str, index: int, deadline: float, latencies: list, errors: list, paced: bool) -> None:
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{10 + index}", 0))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        script = PERSONAS[index % len(PERSONAS)]
        if paced:  # people do not all start typing at the same second
            await asyncio.sleep(random.Random(index).uniform(0, pause_before(script[0])))
        while time.monotonic() < deadline:
            sender = f"bench-{uuid.uuid4().hex}"
            for message in script:
                if paced:
                    await asyncio.sleep(pause_before(message))
                if time.monotonic() >= deadline:
                    return
                started = time.monotonic()
                try:
                    async with session.post(
                        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
                    ) as r:
                        reply = await r.json(content_type=None) if r.status == 200 else None
                        status = r.status
                except Exception as error:  # timeouts, refused connections
                    errors.append(type(error).__name__)
                    continue
                latencies.append(time.monotonic() - started)
                if status != 200 or not reply:
                    errors.append(str(status))
                elif any("indisponible" in (m.get("text") or "") for m in reply):
                    errors.append("indisponible")


async def load(url: str, conversations: int, seconds: float, paced: bool = False) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_person(url, i, deadline, latencies, errors, paced) for i in range(conversations)))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)

    def pct(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "turns": len(latencies),
        "turns_s": len(latencies) / elapsed,
        "p50": pct(0.5),
        "p95": pct(0.95),
        "errors": len(errors),
        "kinds": {e: errors.count(e) for e in set(errors)},
    }


def _row(name: str, r: dict, memory: str) -> str:
    return (
        f"| {name} | {r['turns']} | {r['turns_s']:.1f} | {r['p50'] * 1000:.0f} | "
        f"{r['p95'] * 1000:.0f} | {r['errors']}{' ' + str(r['kinds']) if r['kinds'] else ''} "
        f"| {memory} |"
    )


PACES = {False: "saturation", True: "au rythme d'une personne"}

HEADER = (
    "| configuration | tours | tours/s | p50 (ms) | p95 (ms) | erreurs | mémoire (RSS) |\n"
    "|---|---|---|---|---|---|---|"
)


class _Rows(list):
    """The table's rows, each also printed as soon as measured."""

    def append(self, row: str) -> None:
        print(row, flush=True)
        super().append(row)


def _memory_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--skip-single", action="store_true")
    args = parser.parse_args()
    rows = _Rows()
    print(
        f"{args.conversations} conversations simultanées pendant {args.seconds:.0f} s "
        f"(machine : {len(__import__('os').sched_getaffinity(0))} cœurs)…",
        flush=True,
    )

    single = None
    if not args.skip_single:
        stack = Stack(
            rasa_port=free_port(),
            actions_port=free_port(),
            web_port=None,
            log_dir=ROOT / "build" / "bench-logs",
        )
        stack.start(timeout=420)
        try:
            rasa_pid = next(p.pid for n, p, _ in stack.processes if n == "rasa")
            for paced in PACES:
                result = asyncio.run(load(stack.rasa_url, args.conversations, args.seconds, paced))
                single = single or result  # the saturation row comes first
                memory = f"Rasa {_memory_of(rasa_pid):.0f} Mo"
                rows.append(_row(f"`make run` : 1 processus Rasa, direct, {PACES[paced]}", result, memory))
        finally:
            stack.stop()

    config = ProdConfig.for_tests(state_dir=ROOT / "build" / "prod-bench")
    prod = ProdStack(config)
    prod.stop()
    try:
        for cpus, name in (
            ("0,1", "2 répliques via nginx, 2 cœurs"),
            ("0", "2 répliques via nginx, épinglées sur 1 cœur (taskset)"),
        ):
            prod.config.cpus = cpus
            prod.up(timeout=600)  # the replicas' command changed: supervisord's programs are replaced
            for paced in PACES:
                result = asyncio.run(load(config.site_url, args.conversations, args.seconds, paced))
                memory = " / ".join(f"{prod.memory_mb(r):.0f}" for r in ("rasa-1", "rasa-2"))
                rows.append(
                    _row(
                        f"{name}, {PACES[paced]}",
                        result,
                        f"Rasa {memory} Mo, actions {prod.memory_mb('actions-1'):.0f} Mo, "
                        f"page {prod.memory_mb('web-1'):.0f} Mo",
                    )
                )
                if single and cpus == "0,1" and not paced:
                    rows.append(
                        f"|  → débit / processus unique | | "
                        f"{result['turns_s'] / single['turns_s']:.2f}× | | | | |"
                    )
    finally:
        prod.stop()

    print("\n" + HEADER)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
