"""Starts the action server, the Rasa server and the web page, and checks they answer.

The processes, their commands and their readiness are scripts/topology.py's
`development()`: the production profile is built from the same description.

Used by `make run` (scripts/run.sh), the end-to-end tests and the benchmark,
so all three start the bot the same way. Readiness is a real webhook round
trip: Rasa answers GET /status before it can reply to a message.

Each server runs in its own process group. Whatever ends the stack (a
timeout, a server that stops, an exception, Ctrl+C, `kill`, the interpreter
exiting), `stop()` ends every group it started, so no server outlives it.
`BOT_START_TIMEOUT` (seconds, default 240) bounds `make run`'s wait.

The virtualenv is $VENV (default .venv, relative to the repository), as in
the Makefile, which exports it.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import topology
from topology import send  # noqa: F401  (evaluate_conversations.py and the tests send through here)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / os.environ.get("VENV", ".venv") / "bin"
STOP_GRACE_S = 15.0  # SIGTERM, then SIGKILL for what is still there


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int | None = 8080
    model: str = "models"
    with_rasa: bool = True  # False for `make shell`: `rasa shell` runs its own server
    plain_rasa: bool = False  # True: Rasa's own `rasa run`, without `python -m rasa_server`'s patches
    log_dir: Path = ROOT / "build" / "logs"
    env: dict = field(default_factory=dict)
    processes: list = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str | None:
        return f"http://127.0.0.1:{self.web_port}" if self.web_port else None

    def _spawn(self, name: str, args: list[str], env: dict) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "w")
        try:
            # Its own session, so its own process group: stop() ends the server and its children.
            proc = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        except BaseException:
            log.close()
            raise
        self.processes.append((name, proc, log))

    def start(self, timeout: float = 240.0) -> Stack:
        """Start the servers and wait until they answer; on any failure, stop what started."""
        self.launch()
        try:
            self.wait_ready(timeout)
        except BaseException:  # the timeout, a server that stopped, Ctrl+C…
            self.stop()
            raise
        return self

    def launch(self) -> Stack:
        """Start the servers without waiting for them (they load while the caller works on)."""
        atexit.register(self.stop)  # a caller that never reaches its stop() leaves no server
        try:
            self._spawn_all()
        except BaseException:  # a bad path, Ctrl+C…
            self.stop()
            raise
        return self

    def _spawn_all(self) -> None:
        env = {**os.environ, **self.env}
        endpoints = self.log_dir / "endpoints.yml"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # endpoints.yml with this stack's action server port.
        endpoints.write_text(
            (ROOT / "endpoints.yml")
            .read_text()
            .replace("http://localhost:5055/webhook", f"http://127.0.0.1:{self.actions_port}/webhook")
        )
        for process in self.topology(endpoints):
            self._spawn(process.name, list(process.command), {**env, **process.env})

    def topology(self, endpoints: Path | str = "endpoints.yml") -> list[topology.Process]:
        """This stack's processes, as scripts/topology.py describes `make run`."""
        return topology.development(
            rasa_port=self.rasa_port,
            actions_port=self.actions_port,
            web_port=self.web_port,
            endpoints=str(endpoints),
            model=self.model,
            with_rasa=self.with_rasa,
            plain_rasa=self.plain_rasa,
        )

    def wait_ready(self, timeout: float) -> float:
        """Seconds until a real message gets a real answer (through the action server)."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            for name, proc, _ in self.processes:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{name} stopped (code {proc.returncode}); " f"see {self.log_dir / (name + '.log')}"
                    )
            try:
                if self._bot_ready() and self._web_ready():
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"The bot did not answer within {timeout:.0f} s; see {self.log_dir}")

    def _bot_ready(self) -> bool:
        """A real message gets a real answer (through the action server); without Rasa, its /health."""
        kind = "rasa" if self.with_rasa else "actions"
        process = next(p for p in self.topology() if p.kind == kind)
        return process.ready()

    def _web_ready(self) -> bool:
        return not self.web_port or next(p for p in self.topology() if p.kind == "web").ready()

    def stop(self) -> None:
        """End every process group this stack started: SIGTERM, then SIGKILL after a grace time.

        A group is waited for, not only its first process: a server whose
        children outlive it would otherwise leave orphans. Idempotent.
        """
        atexit.unregister(self.stop)
        processes, self.processes = list(self.processes), []
        try:
            for _name, proc, _log in reversed(processes):
                _signal_group(proc, signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_S
            while any(_group_alive(proc) for _, proc, _ in processes) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:  # even when interrupted again while waiting
            for _name, proc, log in processes:
                _signal_group(proc, signal.SIGKILL)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
                log.close()


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)  # the group's id is the first process's pid (start_new_session)
    except ProcessLookupError:
        pass  # the group is empty: nothing left to stop


def _group_alive(proc: subprocess.Popen) -> bool:
    proc.poll()  # reaps the group leader once it exits (a zombie still counts as a member)
    try:
        os.killpg(proc.pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the servers too
    signal.signal(signal.SIGHUP, _interrupt)  # and so does closing the terminal
    shell = "--shell" in sys.argv
    stack = Stack(
        with_rasa=not shell,
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTIONS_PORT", "5055")),
        web_port=None if shell else int(os.environ.get("WEB_PORT", "8080")),
    )
    print("Démarrage du serveur d'actions, du serveur Rasa et de la page web…", flush=True)
    started = time.monotonic()
    try:
        stack.start(timeout=float(os.environ.get("BOT_START_TIMEOUT", "240")))
        print(f"Prêt en {time.monotonic() - started:.0f} s.")
        if shell:
            subprocess.run(
                [
                    str(VENV_BIN / "python"),
                    "-m",
                    "rasa_server",
                    "shell",
                    "--model",
                    stack.model,
                    "--endpoints",
                    str(stack.log_dir / "endpoints.yml"),
                ],
                cwd=ROOT,
            )
        else:
            print(f"\n  Discuter avec l'assistant : {stack.web_url}/")
            print(f"  API REST : POST {stack.rasa_url}/webhooks/rest/webhook")
            print(f"  Journaux : {stack.log_dir}/\n  Ctrl+C pour arrêter.", flush=True)
            while all(p.poll() is None for _, p, _ in stack.processes):
                time.sleep(1)
            print("Un serveur s'est arrêté ; voir les journaux.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    except (TimeoutError, RuntimeError) as error:  # start() has already stopped every server
        print(error, file=sys.stderr)
        sys.exit(1)
    finally:
        stack.stop()
