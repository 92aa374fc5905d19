"""`make benchmark-prod`: 50 concurrent conversations for 60 s, printed (never asserted).

Rows:
1. `make run`'s single process (in-memory, one Rasa server, one action server), direct;
2. the production profile through nginx, the two Rasa replicas free on both cores;
3. the same with both replicas pinned to one core (`taskset -c 0`).

Each conversation is a scripted person with its own client address
(127.0.0.10…59, as 50 people would be, so nginx's per-client limit does not
apply) who types the next message as soon as the bot answers, and starts a
new conversation after the orientation. Errors: HTTP status other than 200,
no answer, or the "service unavailable" message.

    python scripts/prod/benchmark_prod.py [--conversations 50] [--seconds 60] [--skip-single]
"""

from __future__ import annotations

import argparse
import asyncio
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


async def _person(url: str, index: int, deadline: float, latencies: list, errors: list) -> None:
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{10 + index}", 0))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        script = PERSONAS[index % len(PERSONAS)]
        while time.monotonic() < deadline:
            sender = f"bench-{uuid.uuid4().hex}"
            for message in script:
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


async def load(url: str, conversations: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_person(url, i, deadline, latencies, errors) for i in range(conversations)))
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
            single = asyncio.run(load(stack.rasa_url, args.conversations, args.seconds))
            rasa_pid = next(p.pid for n, p, _ in stack.processes if n == "rasa")
            rows.append(
                _row("`make run` : 1 processus Rasa, direct", single, f"Rasa {_memory_of(rasa_pid):.0f} Mo")
            )
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
            for replica in ("rasa-1", "rasa-2"):
                prod.kill(replica)
            prod.config.cpus = cpus
            prod.up(timeout=600)
            result = asyncio.run(load(config.site_url, args.conversations, args.seconds))
            memory = " / ".join(f"{prod.memory_mb(r):.0f}" for r in ("rasa-1", "rasa-2"))
            rows.append(
                _row(name, result, f"Rasa {memory} Mo, actions " f"{prod.memory_mb('actions-1'):.0f} Mo")
            )
            if single and cpus == "0,1":
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
