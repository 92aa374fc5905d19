"""The production profile on one machine, under a supervisor: PostgreSQL, Redis, the action servers,
the Rasa replicas, the page's replicas, nginx.

    python scripts/prod/prodstack.py up       # `make prod`: start what is not running, print the address
    python scripts/prod/prodstack.py status   # `make prod-status`: NAME PID PORT, one line per process
    python scripts/prod/prodstack.py stop     # `make prod-stop`
    python scripts/prod/prodstack.py purge|forget SENDER   # `make purge`, `make forget SENDER=…`

The processes are scripts/topology.py's `production()`: the same description
as `make run`'s. They run under supervisord (Debian's `supervisor` package),
which restarts any of them that dies, `kill -9` included: a program started
by supervisord is its child, so its death is seen at once, with no polling,
and supervisord needs nothing of the project's venv. Each program starts
through scripts/prod/fresh-group.sh, which first ends what a killed leader
left behind (nginx's workers keep its port). Programs are started in order
by this file (PostgreSQL, Redis and the Rasa replicas, the knowledge base,
the action servers, the page, nginx), so none has `autostart`; once started,
every one has `autorestart`.

State in build/prod/: supervisord.conf (mode 600: it holds the programs'
environment), the logs in logs/ (one file per program), the nginx and Redis
configurations, secrets.env (database and Redis passwords, Rasa API token,
generated once, mode 600). PostgreSQL is a Debian cluster of its own
(`pg_createcluster`, port 5433), started in the foreground by supervisord
(`pg_ctlcluster … start --foreground`), so it never touches the machine's
main cluster.

The tests (tests/prod/) start a second instance on other ports
(`ProdStack(ProdConfig.for_tests())`) and use the same methods to kill, stop
and restart its parts.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import topology  # noqa: E402
from topology import ProdConfig  # noqa: E402

# Rasa's SQLAlchemy 1.4 models warn about 2.0 on every import; nothing to act on here.
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

__all__ = ["ProdConfig", "ProdStack"]

# Start order (supervisord's priority: lower starts first and stops last).
PRIORITY = {"postgresql": 10, "redis": 10, "actions": 20, "rasa": 30, "web": 40, "nginx": 50}
# How a program is asked to stop: PostgreSQL's SIGTERM waits for every client to leave.
STOP_SIGNAL = {"postgresql": "INT", "nginx": "QUIT"}
FRESH_GROUP = ROOT / "scripts" / "prod" / "fresh-group.sh"


class ProdStack:
    def __init__(self, config: ProdConfig | None = None):
        self.config = config or ProdConfig.from_env()
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
        return self.config.database_url(self.secrets, db)

    @property
    def tracker_url(self) -> str:
        return self.database_url("conversations")

    @property
    def kb_url(self) -> str:
        return self.database_url("knowledge")

    def rasa_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.config.rasa_ports[number - 1]}"

    def web_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.config.web_ports[number - 1]}"

    # ---- the topology -----------------------------------------------------
    def processes(self) -> list[topology.Process]:
        return topology.production(self.config, self.secrets, self._pg_version)

    def process(self, name: str) -> topology.Process:
        return next(p for p in self.processes() if p.name == name)

    def component_names(self) -> list[str]:
        return [p.name for p in self.processes()]

    # ---- PostgreSQL: a Debian cluster of our own --------------------------
    @property
    def _pg_version(self) -> str:
        """Debian's newest PostgreSQL (15 on bookworm, when none is installed: configuration only)."""
        installed = Path("/usr/lib/postgresql")
        versions = sorted((p.name for p in installed.iterdir()), key=int) if installed.is_dir() else ["15"]
        return versions[-1]

    def _pg_data_dir(self) -> Path:
        return Path(f"/var/lib/postgresql/{self._pg_version}/{self.config.pg_cluster}")

    def create_postgres_cluster(self) -> None:
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
        # Its socket's folder (a tmpfs in containers: gone after a restart).
        _run(["install", "-d", "-o", "postgres", "-g", "postgres", "-m", "2775", "/var/run/postgresql"])

    def init_postgres(self) -> None:
        password = self.secrets["TRACKER_DB_PASSWORD"]
        self._psql(
            f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rasa') "
            f"THEN CREATE ROLE rasa LOGIN; END IF; END$$; "
            f"ALTER ROLE rasa PASSWORD '{password}';"
        )
        for db in ("conversations", "knowledge", "observatoire"):
            exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'")
            if "1" not in exists:
                self._psql(f"CREATE DATABASE {db} OWNER rasa")

    def _psql(self, sql: str) -> str:
        command = [
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
        ]
        result = subprocess.run(command + ["-c", sql], capture_output=True, text=True, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"psql: {result.stderr.strip()}")
        return result.stdout

    def drop_postgres(self) -> None:
        """Delete the cluster and its data (tests only)."""
        if self._pg_data_dir().exists():
            _run(["pg_dropcluster", "--stop", self._pg_version, self.config.pg_cluster])

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

    # ---- configuration files ----------------------------------------------
    def write_redis_conf(self) -> None:
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
                    # Locks and rate-limit counts only: nothing to keep across a restart.
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

    def nginx_conf(self, rasa_ports: tuple[int, ...] | None = None) -> str:
        from rasa_server.messages import SERVICE_UNAVAILABLE

        c = self.config
        processes = self.processes()

        def servers(kind: str, ports=None) -> str:
            ports = ports or [p.port for p in processes if p.kind == kind]
            return "\n".join(
                f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
            )

        replace = {
            "@STATE@": str(c.state_dir),
            "@LOGS@": str(c.logs),
            "@HTTP_HOST@": c.http_host,
            "@HTTP_PORT@": str(c.http_port),
            "@ACTIONS_LB_PORT@": str(c.actions_lb_port),
            "@RATE@": str(c.rate_per_second),
            "@BURST@": str(c.rate_burst),
            "@RASA_SERVERS@": servers("rasa", rasa_ports),
            "@ACTIONS_SERVERS@": servers("actions"),
            "@WEB_SERVERS@": servers("web"),
            "@WEB_LOCATIONS@": topology.nginx_web_locations(
                proxy_include=str(c.state_dir / "nginx-proxy.conf")
            ),
            "@SECURITY_HEADERS@": topology.nginx_security_headers(c.site_url),
            "@UNAVAILABLE@": SERVICE_UNAVAILABLE.replace("'", "’").replace('"', "”"),
        }
        text = (ROOT / "scripts" / "prod" / "nginx.conf.in").read_text()
        for key, value in replace.items():
            text = text.replace(key, value)
        return text

    def write_nginx_conf(self, rasa_ports: tuple[int, ...] | None = None) -> Path:
        c = self.config
        (c.state_dir / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        c.logs.mkdir(parents=True, exist_ok=True)
        (c.state_dir / "nginx-proxy.conf").write_text(
            "proxy_http_version 1.1;\n"
            'proxy_set_header Connection "";\n'
            "proxy_set_header Host $host;\n"
            # The address nginx saw, replacing whatever the client sent.
            "proxy_set_header X-Real-IP $remote_addr;\n"
            "proxy_connect_timeout 2s;\n"
            # A page replica that is down (refused, reset): the other one answers.
            "proxy_next_upstream error timeout http_502 http_503;\n"
        )
        path = c.state_dir / "nginx.conf"
        path.write_text(self.nginx_conf(rasa_ports))
        _run(["nginx", "-t", "-q", "-c", str(path), "-p", str(c.state_dir)])
        return path

    def supervisor_conf(self) -> str:
        c = self.config
        lines = [
            "; Written by scripts/prod/prodstack.py from scripts/topology.py: regenerated by `make prod`.",
            "[unix_http_server]",
            f"file={self._socket_path}",
            "chmod=0700",
            "",
            "[supervisord]",
            f"logfile={c.logs / 'supervisord.log'}",
            "logfile_maxbytes=10MB",
            "logfile_backups=2",
            f"pidfile={c.state_dir / 'supervisord.pid'}",
            f"childlogdir={c.logs}",
            f"directory={ROOT}",
            f"identifier=mobilite-{c.state_dir.name}",
            "",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
            "",
            "[supervisorctl]",
            f"serverurl=unix://{self._socket_path}",
        ]
        for process in self.processes():
            group_file = c.state_dir / "groups" / process.name
            command = [str(FRESH_GROUP), str(group_file), *process.command]
            env = dict(process.env)
            lines += [
                "",
                f"[program:{process.name}]",
                "command=" + _escape(shlex.join(command)),
                f"directory={ROOT}",
                "environment=" + ",".join(f'{key}="{_escape(value)}"' for key, value in env.items()),
                f"priority={PRIORITY[process.kind]}",
                "autostart=false",  # prodstack starts them in order (see the module's docstring)
                "autorestart=true",
                "startsecs=1",
                "startretries=10",
                f"stopsignal={STOP_SIGNAL.get(process.kind, 'TERM')}",
                "stopwaitsecs=20",
                "stopasgroup=true",
                "killasgroup=true",
                "redirect_stderr=true",
                f"stdout_logfile={c.logs / (process.name + '.log')}",
                "stdout_logfile_maxbytes=20MB",
                "stdout_logfile_backups=2",
            ]
        return "\n".join(lines) + "\n"

    def write_supervisor_conf(self) -> Path:
        path = self.config.state_dir / "supervisord.conf"
        path.touch(mode=0o600)  # the programs' environment holds the secrets
        path.write_text(self.supervisor_conf())
        (self.config.state_dir / "groups").mkdir(exist_ok=True)
        return path

    # ---- supervisord --------------------------------------------------------
    @property
    def _socket_path(self) -> Path:
        return self.config.state_dir / "supervisor.sock"

    def _rpc(self):
        return xmlrpc.client.ServerProxy(
            "http://localhost", transport=_UnixSocketTransport(str(self._socket_path))
        ).supervisor

    def supervisor_running(self) -> bool:
        try:
            return self._rpc().getState()["statename"] == "RUNNING"
        except (OSError, xmlrpc.client.Fault, http.client.HTTPException):
            return False

    def start_supervisor(self) -> None:
        """Start supervisord with the programs' description, or give a running one the new description."""
        if self.supervisor_running():
            self._update_programs()
            return
        self._stop_unsupervised()
        path = self.write_supervisor_conf()
        _run(["supervisord", "-c", str(path)])
        deadline = time.monotonic() + 20
        while not self.supervisor_running():
            if time.monotonic() > deadline:
                raise RuntimeError(f"supervisord ne répond pas ; voir {self.config.logs}/supervisord.log")
            time.sleep(0.1)

    def _update_programs(self) -> None:
        """`supervisorctl update`: programs whose description changed are stopped and replaced
        (`up` then starts them), the others go on."""
        rpc = self._rpc()
        [[added, changed, removed]] = rpc.reloadConfig()
        for name in changed + removed:
            rpc.stopProcessGroup(name, True)
            rpc.removeProcessGroup(name)
        for name in changed + added:
            rpc.addProcessGroup(name)

    def _stop_unsupervised(self) -> None:
        """What an earlier `make prod` started without supervisord (state.json, a detached cluster)."""
        import json

        state = self.config.state_dir / "state.json"
        if state.exists():
            for entry in json.loads(state.read_text()).get("processes", {}).values():
                try:
                    os.killpg(entry["pid"], signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass
            state.unlink()
        subprocess.run(
            ["pg_ctlcluster", self._pg_version, self.config.pg_cluster, "stop", "-m", "fast"],
            capture_output=True,
            cwd="/",
        )

    def info(self, name: str) -> dict | None:
        try:
            return self._rpc().getProcessInfo(name)
        except (OSError, xmlrpc.client.Fault, http.client.HTTPException):
            return None

    def pid(self, name: str) -> int | None:
        info = self.info(name)
        return info["pid"] if info and info["statename"] == "RUNNING" and info["pid"] else None

    # ---- one process --------------------------------------------------------
    def start(self, name: str, wait: bool = True, timeout: float = 300) -> int:
        """Start a program that is stopped (an outage's end, or `up`), then wait until it is ready."""
        info = self.info(name)
        if info is None or info["statename"] not in ("RUNNING", "STARTING"):
            try:
                self._rpc().startProcess(name, True)
            except xmlrpc.client.Fault as fault:
                if "ALREADY_STARTED" not in fault.faultString:
                    log = self.config.logs / f"{name}.log"
                    raise RuntimeError(f"{name} : {fault.faultString} ; voir {log}") from fault
        if wait:
            self.wait_process(name, timeout)
        return self.pid(name)

    def wait_process(self, name: str, timeout: float = 300) -> float:
        """Seconds until `name` runs and answers its readiness probe."""
        process, started = self.process(name), time.monotonic()
        while not (self.pid(name) and process.ready()):
            info = self.info(name) or {}
            if info.get("statename") == "FATAL" or time.monotonic() - started > timeout:
                raise RuntimeError(
                    f"{name} ne répond pas ({info.get('statename')}) ; voir {self.config.logs}"
                )
            time.sleep(0.2)
        return time.monotonic() - started

    def stop_process(self, name: str) -> None:
        """Stop a program for good (an outage): supervisord does not restart it until `start`."""
        try:
            self._rpc().stopProcess(name, True)
        except xmlrpc.client.Fault as fault:
            if "NOT_RUNNING" not in fault.faultString:
                raise

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int | None:
        """Send `sig` to the program's process itself, as a crash would: supervisord restarts it."""
        pid = self.pid(name)
        if pid is not None:
            os.kill(pid, sig)
        return pid

    def signal(self, name: str, signame: str) -> None:
        self._rpc().signalProcess(name, signame)

    # ---- whole stack ------------------------------------------------------
    def up(self, timeout: float = 420) -> float:
        started = time.monotonic()
        c = self.config
        c.check_pool_budget()
        c.state_dir.mkdir(parents=True, exist_ok=True)
        c.logs.mkdir(parents=True, exist_ok=True)
        if not list((ROOT / c.model).glob("*.tar.gz")):
            raise SystemExit("Aucun modèle entraîné dans models/ : lancez `make train`.")
        self.create_postgres_cluster()
        self.write_redis_conf()
        self.write_nginx_conf()
        self.write_supervisor_conf()
        self.start_supervisor()
        self.start("postgresql")
        self.init_postgres()
        self.start("redis")
        self.init_tracker_tables()
        # The replicas load their model (the longest part) while the knowledge
        # base is built and the action servers load it.
        names = self.component_names()
        for name in names:
            if name.startswith("rasa-"):
                self.start(name, wait=False)
        self.build_knowledge()
        for name in names:
            if name.startswith("actions-"):
                self.start(name, wait=False)
        for name in names:
            if name.startswith(("actions-", "web-")) or name == "nginx":
                self.start(name, timeout=timeout)
        self.wait_ready(timeout)
        return time.monotonic() - started

    def wait_ready(self, timeout: float = 420, names: list[str] | None = None) -> None:
        """Every Rasa replica answers a real message, then the page and the REST channel through nginx."""
        deadline = time.monotonic() + timeout
        for name in [n for n in (names or self.component_names()) if n.startswith("rasa-")]:
            url = self.rasa_url(int(name.split("-")[1]))
            while True:
                info = self.info(name) or {}
                if info.get("statename") in ("FATAL", "STOPPED", None):
                    raise RuntimeError(f"{name} s'est arrêté ; voir {self.config.logs / name}.log")
                if self.process(name).ready() and _answers_for_real(url):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} ne répond pas ; voir {self.config.logs}")
                time.sleep(1)
        site = self.config.site_url
        while True:
            try:
                with urllib.request.urlopen(site + "/", timeout=3) as response:
                    # The same probe, through nginx.
                    if response.status == 200 and _answers_for_real(site):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"nginx ne répond pas sur {site}")
            time.sleep(0.5)

    def reload_nginx(self, rasa_ports: tuple[int, ...] | None = None) -> None:
        """Rewrite nginx's configuration (tests: `rasa_ports` pointing elsewhere) and reload it."""
        self.write_nginx_conf(rasa_ports)
        self.signal("nginx", "HUP")
        time.sleep(1)  # the new workers take over

    def status(self) -> list[tuple[str, int | None, int]]:
        return [(p.name, self.pid(p.name), p.port) for p in self.processes()]

    def stop(self) -> None:
        """Stop every program (nginx first, PostgreSQL last), then supervisord itself."""
        pid_file = self.config.state_dir / "supervisord.pid"
        if self.supervisor_running():
            self._rpc().shutdown()
            try:
                pid = int(pid_file.read_text())
            except (OSError, ValueError):
                pid = None
            deadline = time.monotonic() + 120
            while pid and _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
        else:
            self._stop_unsupervised()

    def memory_mb(self, name: str) -> float | None:
        """Resident memory of a process and its process group, in MB."""
        pid = self.pid(name)
        if pid is None:
            return None
        total = 0
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[2]) != pid:  # process group (fresh-group.sh: the leader's pid)
                    continue
                for line in (proc / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1024


class _UnixSocketTransport(xmlrpc.client.Transport):
    """XML-RPC to supervisord over its unix socket (supervisorctl's own way, without its package)."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        path = self.path

        class Connection(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(30)
                self.sock.connect(path)

        return Connection("localhost")


def _escape(value: str) -> str:
    """supervisord expands %(name)s in its values; quotes end an environment value."""
    return value.replace("%", "%%").replace('"', '\\"')


def _answers_for_real(url: str) -> bool:
    """Not the unavailability message: the action server and databases answered too.

    The conversation probe accepts any answer, and a replica whose action
    server fails still answers (politely): enough for Kubernetes to keep it in
    service, not for `make prod` to say it is ready.
    """
    from rasa_server.messages import SERVICE_UNAVAILABLE

    try:
        reply = topology.send(url, f"readiness-{os.urandom(8).hex()}", topology.READINESS_MESSAGE, timeout=10)
    except OSError:
        return False
    return bool(reply) and all(m.get("text") != SERVICE_UNAVAILABLE for m in reply)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])}…: {result.stderr.strip() or result.stdout.strip()}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "up"
    stack = ProdStack()
    if command == "up":
        print(
            "Démarrage du profil de production sous supervisord (PostgreSQL, Redis, "
            f"{len(stack.config.actions_ports)} serveurs d'actions, {len(stack.config.rasa_ports)} "
            f"répliques Rasa, {len(stack.config.web_ports)} pages, nginx)…",
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
