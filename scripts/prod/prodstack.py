"""The production profile on one machine: PostgreSQL, Redis, 2 action servers, 2 Rasa replicas, the page, nginx.

    python scripts/prod/prodstack.py up       # `make prod`: start what is not running, print the address
    python scripts/prod/prodstack.py status   # `make prod-status`: NAME PID PORT, one line per process
    python scripts/prod/prodstack.py stop     # `make prod-stop`
    python scripts/prod/prodstack.py purge|forget SENDER   # `make purge`, `make forget SENDER=…`

Processes run detached (the command returns once the bot answers through
nginx); their PIDs and ports are in build/prod/state.json, their logs in
build/prod/logs/. PostgreSQL is a Debian cluster of its own (`pg_createcluster`,
port 5433) so that it never touches the machine's main cluster. Secrets
(database and Redis passwords, Rasa API token) are generated once into
build/prod/secrets.env (mode 600).

The tests (tests/prod/stack/) start a second instance on other ports
(`ProdStack(ProdConfig.for_tests())`) and use the same methods to kill,
stop and restart its parts.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack  # noqa: E402  (its `_bot_ready` is the readiness probe)

PYTHON = str(ROOT / os.environ.get("VENV", ".venv") / "bin" / "python")  # $(VENV), as in the Makefile
# Rasa's SQLAlchemy 1.4 models warn about 2.0 on every import; nothing to act on here.
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@dataclass
class ProdConfig:
    state_dir: Path = ROOT / "build" / "prod"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    rasa_ports: tuple[int, ...] = (5006, 5007)
    actions_ports: tuple[int, ...] = (5057, 5058)
    actions_lb_port: int = 5056
    web_port: int = 8081
    redis_port: int = 6380
    pg_port: int = 5433
    pg_cluster: str = "mobilite"
    pg_max_connections: int = 100
    # Per replica. Rasa's SQLTrackerStore queries synchronously on the event
    # loop, so a replica uses one connection at a time: 5 + 5 is ample.
    sql_pool_size: int = 5
    sql_max_overflow: int = 5
    # Connections kept free for the superuser, `make kb`, `make purge`, the
    # action servers' knowledge reloads and the observatory.
    pg_reserved_connections: int = 20
    rate_per_second: int = 10
    rate_burst: int = 20
    # A stopped action server is refused at once; this bounds a hung one. Not
    # lower: a knowledge reload holds every action for 1.5 s idle, up to 5 s
    # under load (orientation.knowledge.snapshot.SnapshotCache reloads under its lock).
    action_timeout_seconds: float = 10
    lock_lifetime_seconds: int = 15
    model: str = "models"
    debug_replicas: tuple[int, ...] = ()  # replica numbers logging at DEBUG (tests)
    cpus: str | None = None  # taskset list for the Rasa replicas (benchmark)
    env: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> ProdConfig:
        if os.environ.get("PROD_INSTANCE") == "test":  # the tests' instance (make purge/forget)
            return cls.for_tests()
        return cls(
            http_host=os.environ.get("PROD_HOST", "127.0.0.1"),
            http_port=int(os.environ.get("PROD_PORT", "8000")),
            cpus=os.environ.get("PROD_RASA_CPUS") or None,
        )

    @classmethod
    def for_tests(cls, **overrides) -> ProdConfig:
        """Another instance beside `make prod`'s: own ports, cluster and state."""
        options = dict(
            state_dir=ROOT / "build" / "prod-test",
            http_port=8010,
            rasa_ports=(5016, 5017),
            actions_ports=(5067, 5068),
            actions_lb_port=5066,
            web_port=8091,
            redis_port=6390,
            pg_port=5434,
            pg_cluster="mobilite_test",
        )
        options.update(overrides)
        return cls(**options)

    @property
    def site_url(self) -> str:
        host = "127.0.0.1" if self.http_host in ("0.0.0.0", "::") else self.http_host
        return f"http://{host}:{self.http_port}"

    @property
    def logs(self) -> Path:
        return self.state_dir / "logs"

    def check_pool_budget(self) -> None:
        used = len(self.rasa_ports) * (self.sql_pool_size + self.sql_max_overflow)
        if used + self.pg_reserved_connections > self.pg_max_connections:
            raise SystemExit(
                f"Pools trop grands : {len(self.rasa_ports)} répliques × "
                f"({self.sql_pool_size} + {self.sql_max_overflow}) + {self.pg_reserved_connections} "
                f"réservées > max_connections = {self.pg_max_connections}."
            )


class ProdStack:
    def __init__(self, config: ProdConfig | None = None):
        self.config = config or ProdConfig.from_env()
        self.state_file = self.config.state_dir / "state.json"
        self.secrets = self._load_secrets()

    # ---- secrets and URLs -------------------------------------------------
    def _load_secrets(self) -> dict:
        path = self.config.state_dir / "secrets.env"
        values = {}
        if path.exists():
            for line in path.read_text().splitlines():
                key, _, value = line.partition("=")
                values[key] = value
        missing = [k for k in ("TRACKER_DB_PASSWORD", "REDIS_PASSWORD", "RASA_TOKEN") if not values.get(k)]
        if missing:
            for key in missing:
                values[key] = secrets.token_hex(24)
            self.config.state_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        return values

    def database_url(self, db: str) -> str:
        return (
            f"postgresql://rasa:{self.secrets['TRACKER_DB_PASSWORD']}"
            f"@127.0.0.1:{self.config.pg_port}/{db}"
        )

    @property
    def tracker_url(self) -> str:
        return self.database_url("conversations")

    @property
    def kb_url(self) -> str:
        return self.database_url("knowledge")

    def rasa_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.config.rasa_ports[number - 1]}"

    # ---- state ------------------------------------------------------------
    def _read_state(self) -> dict:
        if self.state_file.exists():
            return json.loads(self.state_file.read_text())
        return {"processes": {}}

    def _write_state(self, state: dict) -> None:
        self.state_file.write_text(json.dumps(state, indent=2))

    def _record(self, name: str, pid: int, port: int) -> None:
        state = self._read_state()
        state["processes"][name] = {"pid": pid, "port": port}
        self._write_state(state)

    def pid(self, name: str) -> int | None:
        if name == "postgresql":
            return self._postgres_pid()
        entry = self._read_state()["processes"].get(name)
        if entry and _alive(entry["pid"]):
            return entry["pid"]
        return None

    # ---- PostgreSQL: a Debian cluster of our own --------------------------
    @property
    def _pg_version(self) -> str:
        versions = sorted((p.name for p in Path("/usr/lib/postgresql").iterdir()), key=int)
        return versions[-1]

    def _pg_data_dir(self) -> Path:
        return Path(f"/var/lib/postgresql/{self._pg_version}/{self.config.pg_cluster}")

    def _postgres_pid(self) -> int | None:
        pid_file = self._pg_data_dir() / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if _alive(pid) else None

    def start_postgres(self) -> None:
        c, version = self.config, self._pg_version
        if not self._pg_data_dir().exists():
            _run(
                [
                    "pg_createcluster",
                    version,
                    c.pg_cluster,
                    "--port",
                    str(c.pg_port),
                    "--start-conf",
                    "manual",
                    "--",
                    "--auth-host=scram-sha-256",
                    "--auth-local=peer",
                ]
            )
        settings = {
            "port": c.pg_port,
            "listen_addresses": "'127.0.0.1'",
            "max_connections": c.pg_max_connections,
            # Failed statements carry the events' JSON (the person's words): never logged.
            "log_min_error_statement": "panic",
            "log_statement": "'none'",
            "log_min_duration_statement": -1,
            "log_connections": "off",
            "shared_buffers": "'128MB'",
        }
        conf_d = Path(f"/etc/postgresql/{version}/{c.pg_cluster}/conf.d")
        conf_d.mkdir(parents=True, exist_ok=True)
        (conf_d / "mobilite.conf").write_text(
            "# Written by scripts/prod/prodstack.py\n"
            + "".join(f"{key} = {value}\n" for key, value in settings.items())
        )
        if self._postgres_pid() is None:
            _run(["pg_ctlcluster", version, c.pg_cluster, "start"])
        self._wait_postgres()
        password = self.secrets["TRACKER_DB_PASSWORD"]
        self._psql(
            f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rasa') "
            f"THEN CREATE ROLE rasa LOGIN; END IF; END$$; "
            f"ALTER ROLE rasa PASSWORD '{password}';"
        )
        for db in ("conversations", "knowledge", "observatoire"):
            exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'", quiet=True)
            if "1" not in exists:
                self._psql(f"CREATE DATABASE {db} OWNER rasa")

    def _wait_postgres(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.config.pg_port)])
            if ready.returncode == 0:
                return
            time.sleep(0.3)
        raise TimeoutError(f"PostgreSQL ne répond pas sur le port {self.config.pg_port}")

    def _psql(self, sql: str, quiet: bool = False) -> str:
        result = subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-X",
                "-q",
                "-t",
                "-p",
                str(self.config.pg_port),
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            cwd="/",
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql: {result.stderr.strip()}")
        return result.stdout

    def stop_postgres(self, mode: str = "fast") -> None:
        if self._postgres_pid() is not None:
            _run(["pg_ctlcluster", self._pg_version, self.config.pg_cluster, "stop", "-m", mode])

    def drop_postgres(self) -> None:
        """Delete the cluster and its data (tests only)."""
        if self._pg_data_dir().exists():
            _run(["pg_dropcluster", "--stop", self._pg_version, self.config.pg_cluster])

    def init_databases(self) -> None:
        self.init_tracker_tables()
        self.build_knowledge()

    def build_knowledge(self) -> None:
        from orientation.knowledge.build import build

        build(ROOT / "knowledge", url=self.kb_url)

    def init_tracker_tables(self) -> None:
        """Rasa's tables, before the replicas start: two replicas creating them at
        once race in PostgreSQL's catalog."""
        from rasa.core.tracker_store import SQLTrackerStore
        from sqlalchemy import create_engine, text

        engine = create_engine(self.tracker_url)
        SQLTrackerStore.Base.metadata.create_all(engine)
        with engine.begin() as conn:  # `make purge` deletes by age
            conn.execute(text("CREATE INDEX IF NOT EXISTS events_timestamp ON events (timestamp)"))
        engine.dispose()

    # ---- processes --------------------------------------------------------
    def _spawn(self, name: str, args: list[str], port: int, env: dict | None = None) -> int:
        if self.pid(name):
            return self.pid(name)
        self.config.logs.mkdir(parents=True, exist_ok=True)
        with open(self.config.logs / f"{name}.log", "a") as log:
            proc = subprocess.Popen(
                args,
                cwd=ROOT,
                env={**os.environ, **self.config.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._record(name, proc.pid, port)
        return proc.pid

    def start_redis(self) -> int:
        c = self.config
        conf = c.state_dir / "redis.conf"
        conf.touch(mode=0o600)
        conf.write_text(
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {c.redis_port}",
                    "protected-mode yes",
                    f"requirepass {self.secrets['REDIS_PASSWORD']}",
                    # Locks only: nothing to keep across a restart, nothing evicted.
                    'save ""',
                    "appendonly no",
                    "maxmemory 64mb",
                    "maxmemory-policy noeviction",
                    f"dir {c.state_dir}",
                    "daemonize no",
                    "loglevel notice",
                    "",
                ]
            )
        )
        pid = self._spawn("redis", ["redis-server", str(conf)], c.redis_port)
        _wait_http(f"127.0.0.1:{c.redis_port}", None)
        return pid

    def start_actions(self, number: int, wait: bool = True) -> int:
        port = self.config.actions_ports[number - 1]
        args = [
            PYTHON,
            "-m",
            "rasa_server",
            "run",
            "actions",
            "--actions",
            "actions",
            "--port",
            str(port),
        ]
        if number in self.config.debug_replicas:
            args.append("--debug")
        pid = self._spawn(f"actions-{number}", args, port, {"KB_DATABASE_URL": self.kb_url})
        if wait:
            _wait_http(f"127.0.0.1:{port}", "/health", alive=lambda: self.pid(f"actions-{number}"))
        return pid

    def rasa_env(self) -> dict:
        c = self.config
        return {
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(c.pg_port),
            "TRACKER_DB_NAME": "conversations",
            "TRACKER_DB_USER": "rasa",
            "TRACKER_DB_PASSWORD": self.secrets["TRACKER_DB_PASSWORD"],
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(c.redis_port),
            "REDIS_PASSWORD": self.secrets["REDIS_PASSWORD"],
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{c.actions_lb_port}/webhook",
            "SQL_POOL_SIZE": str(c.sql_pool_size),
            "SQL_MAX_OVERFLOW": str(c.sql_max_overflow),
            "ACTION_TIMEOUT_SECONDS": str(c.action_timeout_seconds),
            "TICKET_LOCK_LIFETIME": str(c.lock_lifetime_seconds),
            "SOCKETIO_ALLOWED_ORIGINS": c.site_url,
        }

    def start_rasa(self, number: int) -> int:
        c = self.config
        port = c.rasa_ports[number - 1]
        args = ([] if not c.cpus else ["taskset", "-c", c.cpus]) + [
            PYTHON,
            "-m",
            "rasa_server",
            "run",
            "--model",
            c.model,
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.prod.yml",
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--cors",
            c.site_url,
            "--enable-api",
            "--auth-token",
            self.secrets["RASA_TOKEN"],
        ]
        if number in c.debug_replicas:
            args.append("--debug")
        return self._spawn(f"rasa-{number}", args, port, self.rasa_env())

    def start_web(self) -> int:
        c = self.config
        # The privacy page says how long conversations are kept: here, in PostgreSQL.
        return self._spawn(
            "web",
            [
                PYTHON,
                "-m",
                "web.app",
                "--host",
                "127.0.0.1",
                "--port",
                str(c.web_port),
                "--rasa-url",
                c.site_url,
            ],
            c.web_port,
            {"TRACKER_DATABASE_URL": self.tracker_url, "KB_DATABASE_URL": self.kb_url},
        )

    def write_nginx_conf(self, rasa_ports: tuple[int, ...] | None = None) -> Path:
        from rasa_server.messages import SERVICE_UNAVAILABLE

        c = self.config
        rasa_ports = rasa_ports or c.rasa_ports
        (c.state_dir / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        c.logs.mkdir(parents=True, exist_ok=True)
        (c.state_dir / "nginx-proxy.conf").write_text(
            'proxy_http_version 1.1;\nproxy_set_header Connection "";\n' "proxy_set_header Host $host;\n"
        )
        replace = {
            "@STATE@": str(c.state_dir),
            "@LOGS@": str(c.logs),
            "@HTTP_HOST@": c.http_host,
            "@HTTP_PORT@": str(c.http_port),
            "@WEB_PORT@": str(c.web_port),
            "@ACTIONS_LB_PORT@": str(c.actions_lb_port),
            "@RATE@": str(c.rate_per_second),
            "@BURST@": str(c.rate_burst),
            "@RASA_SERVERS@": "\n".join(
                f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in rasa_ports
            ),
            "@ACTIONS_SERVERS@": "\n".join(
                f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in c.actions_ports
            ),
            "@UNAVAILABLE@": SERVICE_UNAVAILABLE.replace("'", "’").replace('"', "”"),
        }
        text = (ROOT / "scripts" / "prod" / "nginx.conf.in").read_text()
        for key, value in replace.items():
            text = text.replace(key, value)
        path = c.state_dir / "nginx.conf"
        path.write_text(text)
        _run(["nginx", "-t", "-q", "-c", str(path), "-p", str(c.state_dir)])
        return path

    def reload_nginx(self, rasa_ports: tuple[int, ...] | None = None) -> None:
        """Rewrite nginx's configuration (tests: `rasa_ports` pointing elsewhere) and reload it."""
        path = self.write_nginx_conf(rasa_ports)
        _run(["nginx", "-c", str(path), "-p", str(self.config.state_dir), "-s", "reload"])
        time.sleep(1)  # the new workers take over

    def start_nginx(self) -> int:
        path = self.write_nginx_conf()
        return self._spawn(
            "nginx",
            ["nginx", "-c", str(path), "-p", str(self.config.state_dir), "-g", "daemon off;"],
            self.config.http_port,
        )

    def component_names(self) -> list[str]:
        n_actions, n_rasa = len(self.config.actions_ports), len(self.config.rasa_ports)
        return (
            ["redis"]
            + [f"actions-{i}" for i in range(1, n_actions + 1)]
            + ["web", "nginx"]
            + [f"rasa-{i}" for i in range(1, n_rasa + 1)]
        )

    def start(self, name: str) -> int:
        if name == "postgresql":
            self.start_postgres()
            return self._postgres_pid()
        kind, _, number = name.partition("-")
        starters = {"redis": self.start_redis, "web": self.start_web, "nginx": self.start_nginx}
        if kind == "actions":
            return self.start_actions(int(number))
        if kind == "rasa":
            return self.start_rasa(int(number))
        return starters[kind]()

    def kill(self, name: str, sig: int = signal.SIGTERM, wait: float = 20) -> None:
        if name == "postgresql":
            self.stop_postgres("immediate" if sig == signal.SIGKILL else "fast")
            return
        pid = self.pid(name)
        if pid is None:
            return
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        port = (self._read_state()["processes"].get(name) or {}).get("port")
        # The leader turns zombie while its other threads still hold the
        # listening socket: down means the port refuses connections.
        while (_alive(pid) or _listening(port)) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)

    # ---- whole stack ------------------------------------------------------
    def up(self, timeout: float = 420) -> float:
        started = time.monotonic()
        self.config.check_pool_budget()
        self.config.state_dir.mkdir(parents=True, exist_ok=True)
        if not list((ROOT / self.config.model).glob("*.tar.gz")):
            raise SystemExit("Aucun modèle entraîné dans models/ : lancez `make train`.")
        self.start_postgres()
        self.start("redis")
        self.init_tracker_tables()
        # The replicas load their model (the longest part) while the knowledge
        # base is built and the action servers load it.
        rasa = [n for n in self.component_names() if n.startswith("rasa-")]
        for name in rasa:
            self.start(name)
        self.build_knowledge()
        actions = range(1, len(self.config.actions_ports) + 1)
        for number in actions:
            self.start_actions(number, wait=False)
        for number in actions:
            self.start_actions(number)
        for name in self.component_names():
            if name not in rasa and not name.startswith("actions-"):
                self.start(name)
        self.wait_ready(timeout)
        return time.monotonic() - started

    def wait_ready(self, timeout: float = 420, names: list[str] | None = None) -> None:
        """Every Rasa replica answers a real message, then the page and the REST channel through nginx."""
        deadline = time.monotonic() + timeout
        replicas = [n for n in (names or self.component_names()) if n.startswith("rasa-")]
        for name in replicas:
            probe = Stack(rasa_port=self.config.rasa_ports[int(name.split("-")[1]) - 1])
            while True:
                if self.pid(name) is None:
                    raise RuntimeError(f"{name} s'est arrêté ; voir {self.config.logs / name}.log")
                try:
                    if probe._bot_ready() and _answers_for_real(probe.rasa_url):
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} ne répond pas ; voir {self.config.logs}")
                time.sleep(1)
        while True:
            try:
                with urllib.request.urlopen(self.config.site_url + "/", timeout=3) as response:
                    # The same probe, through nginx (a Stack whose "Rasa" is nginx).
                    if (
                        response.status == 200
                        and Stack(rasa_port=self.config.http_port)._bot_ready()
                        and _answers_for_real(self.config.site_url)
                    ):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"nginx ne répond pas sur {self.config.site_url}")
            time.sleep(0.5)

    def status(self) -> list[tuple[str, int | None, int]]:
        state = self._read_state()["processes"]
        rows = [("postgresql", self._postgres_pid(), self.config.pg_port)]
        for name in self.component_names():
            entry = state.get(name)
            port = entry["port"] if entry else None
            rows.append((name, self.pid(name), port))
        return rows

    def stop(self) -> None:
        for name in reversed(self.component_names()):
            self.kill(name)
        self.stop_postgres()

    def memory_mb(self, name: str) -> float | None:
        """Resident memory of a process and its children, in MB."""
        pid = self.pid(name)
        if pid is None:
            return None
        total = 0
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                stat = (proc / "stat").read_text().split()
                if int(stat[4]) != pid and int(proc.name) != pid:  # process group
                    continue
                for line in (proc / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1024


def _answers_for_real(url: str) -> bool:
    """Not the unavailability message: the action server and databases answered too.

    `_bot_ready` accepts any answer, and a replica whose action server fails
    still answers (politely): enough for Kubernetes to keep it in service,
    not for `make prod` to say it is ready.
    """
    from rasa_server.messages import SERVICE_UNAVAILABLE
    from stack import send

    reply = send(url, f"readiness-{os.urandom(8).hex()}", '/inform{"commune": "53130"}', timeout=10)
    return bool(reply) and all(m.get("text") != SERVICE_UNAVAILABLE for m in reply)


def _listening(port: int | None) -> bool:
    import socket

    if not port:
        return False
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _wait_http(address: str, path: str | None, timeout: float = 120, alive=lambda: True) -> None:
    """Until `address` accepts connections (and answers `path` with 200 when given)."""
    import socket

    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while True:
        try:
            if path is None:
                socket.create_connection((host, int(port)), timeout=1).close()
                return
            with urllib.request.urlopen(f"http://{address}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline or not alive():
            raise RuntimeError(f"{address} ne répond pas")
        time.sleep(0.3)


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])}…: {result.stderr.strip() or result.stdout.strip()}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "up"
    stack = ProdStack()
    if command == "up":
        print(
            "Démarrage du profil de production (PostgreSQL, Redis, 2 serveurs d'actions, "
            "2 répliques Rasa, page, nginx)…",
            flush=True,
        )
        elapsed = stack.up()
        print(
            f"Prêt en {elapsed:.0f} s.\n\n  Discuter avec l'assistant : {stack.config.site_url}/\n"
            f"  API REST : POST {stack.config.site_url}/webhooks/rest/webhook\n"
            f"  Processus : make prod-status ; arrêt : make prod-stop\n"
            f"  Journaux : {stack.config.logs}/"
        )
    elif command == "status":
        for name, pid, port in stack.status():
            print(f"{name} {pid if pid else '-'} {port if port else '-'}")
    elif command == "stop":
        stack.stop()
        print("Profil de production arrêté.")
    elif command in ("purge", "forget"):
        os.environ["TRACKER_DATABASE_URL"] = stack.tracker_url
        from rasa_server import retention

        return retention.main(argv)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
