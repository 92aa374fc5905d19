"""The bot's processes and public paths, described once.

Every process the bot runs is a `Process`: its name, its command, its port,
its environment and how to tell it is ready. Both profiles are built here
from the same command lines (one function per kind of process):

- `development()`: `make run`, the end-to-end tests, the benchmark
  (scripts/stack.py starts these, in the foreground);
- `production(config, secrets)`: `make prod` and `make test-prod`
  (scripts/prod/prodstack.py writes supervisord's programs and nginx's
  upstreams from these);
- `kubernetes(kind)`: what deploy/k8s's containers must run, compared with
  the manifests by tests/prod/test_manifests.py.

The public paths are described once too: the web app's routes are read from
the aiohttp app itself (`web_routes()`), Rasa's public paths are `RASA_PATHS`;
nginx's locations are generated from both (`nginx_locations()`), and the
Kubernetes Ingress is checked against `ingress_paths()`. A route added to
web/app.py reaches nginx, and fails the Ingress check until it is listed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = str(ROOT / os.environ.get("VENV", ".venv") / "bin" / "python")

# ---- readiness ------------------------------------------------------------------------------

CONVERSATION = "conversation"  # a real message gets a real answer (Rasa answers /status before it can)
HTTP = "http"  # GET path answers 200
TCP = "tcp"  # the port accepts connections
POSTGRES = "postgres"  # pg_isready


@dataclass(frozen=True)
class Readiness:
    kind: str
    path: str | None = None

    def check(self, port: int, host: str = "127.0.0.1") -> bool:
        try:
            if self.kind == CONVERSATION:
                return bool(
                    send(f"http://{host}:{port}", f"readiness-{uuid.uuid4().hex}", READINESS_MESSAGE, 5)
                )
            if self.kind == HTTP:
                with urllib.request.urlopen(f"http://{host}:{port}{self.path}", timeout=2) as response:
                    return response.status == 200
            if self.kind == TCP:
                socket.create_connection((host, port), timeout=1).close()
                return True
            if self.kind == POSTGRES:
                return subprocess.run(["pg_isready", "-q", "-h", host, "-p", str(port)]).returncode == 0
        except OSError:
            return False
        raise ValueError(self.kind)


# "/inform" with a commune runs action_validate_slot_mappings: the answer proves
# Rasa, the action server and the knowledge base answer.
READINESS_MESSAGE = '/inform{"commune": "53130"}'


def send(rasa_url: str, sender: str, message: str, timeout: float = 30) -> list[dict]:
    """One turn through the REST channel."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


# ---- processes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Process:
    name: str  # "rasa-1"
    kind: str  # "rasa", "actions", "web", "redis", "postgresql", "nginx"
    command: tuple[str, ...]
    port: int
    env: Mapping[str, str] = field(default_factory=dict)
    readiness: Readiness = Readiness(TCP)

    def ready(self) -> bool:
        return self.readiness.check(self.port)


READINESS = {
    "actions": Readiness(HTTP, "/health"),
    "rasa": Readiness(CONVERSATION),
    "web": Readiness(HTTP, "/"),
    "redis": Readiness(TCP),
    "postgresql": Readiness(POSTGRES),
    "nginx": Readiness(HTTP, "/"),
}


def actions_command(port: int, python: str = VENV_PYTHON, debug: bool = False) -> list[str]:
    # Through rasa_server: no person's words in the action server's log either.
    command = [python, "-m", "rasa_server", "run", "actions", "--actions", "actions", "--port", str(port)]
    return command + (["--debug"] if debug else [])


def rasa_command(
    port: int,
    endpoints: str,
    cors: str,
    python: str = VENV_PYTHON,
    model: str = "models",
    interface: str | None = None,
    auth_token: str | None = None,
    plain: bool = False,
    debug: bool = False,
) -> list[str]:
    """`plain`: Rasa's own `rasa run`, without rasa_server's patches (the benchmark's baseline)."""
    program = [str(Path(python).with_name("rasa"))] if plain else [python, "-m", "rasa_server"]
    command = program + ["run", "--model", model, "--credentials", "credentials.yml"]
    command += ["--endpoints", endpoints, "--port", str(port)]
    command += ["--interface", interface] if interface else []
    command += ["--cors", cors]
    command += ["--enable-api", "--auth-token", auth_token] if auth_token else []
    return command + (["--debug"] if debug else [])


def web_command(port: int, rasa_url: str, python: str = VENV_PYTHON, host: str = "127.0.0.1") -> list[str]:
    return [python, "-m", "web.app", "--host", host, "--port", str(port), "--rasa-url", rasa_url]


def development(
    rasa_port: int = 5005,
    actions_port: int = 5055,
    web_port: int | None = 8080,
    endpoints: str = "endpoints.yml",
    model: str = "models",
    with_rasa: bool = True,
    plain_rasa: bool = False,
) -> list[Process]:
    """`make run`: one action server, one Rasa server (conversations in memory), the page."""
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    processes = [Process("actions", "actions", tuple(actions_command(actions_port)), actions_port)]
    if with_rasa:
        command = rasa_command(rasa_port, endpoints, "*", model=model, plain=plain_rasa)
        processes.append(Process("rasa", "rasa", tuple(command), rasa_port))
    if web_port:
        processes.append(Process("web", "web", tuple(web_command(web_port, rasa_url)), web_port))
    return [_with_readiness(p) for p in processes]


def _with_readiness(process: Process) -> Process:
    return Process(
        process.name, process.kind, process.command, process.port, process.env, READINESS[process.kind]
    )


@dataclass
class ProdConfig:
    """The production profile on one machine (`make prod`); `for_tests()` is a second instance."""

    state_dir: Path = ROOT / "build" / "prod"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    rasa_ports: tuple[int, ...] = (5006, 5007)
    actions_ports: tuple[int, ...] = (5057, 5058)
    actions_lb_port: int = 5056
    web_ports: tuple[int, ...] = (8081, 8082)
    redis_port: int = 6380
    pg_port: int = 5433
    pg_cluster: str = "mobilite"
    pg_max_connections: int = 100
    # Per replica. Rasa's SQLTrackerStore queries synchronously on the event
    # loop, so a replica uses one connection at a time: 5 + 5 is ample.
    sql_pool_size: int = 5
    sql_max_overflow: int = 5
    # Connections kept free for the superuser, `make kb`, `make purge`, the
    # action servers' knowledge reloads, the observatory and the hand-over codes.
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
            web_ports=(8091, 8092),
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

    def database_url(self, secrets: Mapping[str, str], db: str) -> str:
        return f"postgresql://rasa:{secrets['TRACKER_DB_PASSWORD']}@127.0.0.1:{self.pg_port}/{db}"

    def redis_url(self, secrets: Mapping[str, str], db: int) -> str:
        return f"redis://:{secrets['REDIS_PASSWORD']}@127.0.0.1:{self.redis_port}/{db}"

    def check_pool_budget(self) -> None:
        used = len(self.rasa_ports) * (self.sql_pool_size + self.sql_max_overflow)
        if used + self.pg_reserved_connections > self.pg_max_connections:
            raise SystemExit(
                f"Pools trop grands : {len(self.rasa_ports)} répliques × "
                f"({self.sql_pool_size} + {self.sql_max_overflow}) + {self.pg_reserved_connections} "
                f"réservées > max_connections = {self.pg_max_connections}."
            )


# Redis databases: 1 holds the conversation locks (endpoints.prod.yml), 2 the web page's rate limits.
REDIS_DB_LOCKS, REDIS_DB_RATE_LIMITS = 1, 2


def rasa_env(config: ProdConfig, secrets: Mapping[str, str]) -> dict[str, str]:
    """What endpoints.prod.yml and rasa_server read, in a production replica."""
    return {
        "TRACKER_DB_HOST": "127.0.0.1",
        "TRACKER_DB_PORT": str(config.pg_port),
        "TRACKER_DB_NAME": "conversations",
        "TRACKER_DB_USER": "rasa",
        "TRACKER_DB_PASSWORD": secrets["TRACKER_DB_PASSWORD"],
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(config.redis_port),
        "REDIS_PASSWORD": secrets["REDIS_PASSWORD"],
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{config.actions_lb_port}/webhook",
        "SQL_POOL_SIZE": str(config.sql_pool_size),
        "SQL_MAX_OVERFLOW": str(config.sql_max_overflow),
        "ACTION_TIMEOUT_SECONDS": str(config.action_timeout_seconds),
        "TICKET_LOCK_LIFETIME": str(config.lock_lifetime_seconds),
        "SOCKETIO_ALLOWED_ORIGINS": config.site_url,
    }


def actions_env(config: ProdConfig, secrets: Mapping[str, str]) -> dict[str, str]:
    return {"KB_DATABASE_URL": config.database_url(secrets, "knowledge")}


def web_env(config: ProdConfig, secrets: Mapping[str, str]) -> dict[str, str]:
    return {
        # The privacy page says how long conversations are kept: here, in PostgreSQL.
        "TRACKER_DATABASE_URL": config.database_url(secrets, "conversations"),
        "KB_DATABASE_URL": config.database_url(secrets, "knowledge"),
        # The person's address is the one nginx saw (X-Real-IP), believed from nginx only.
        "WEB_CLIENT_ADDRESS_HEADER": "X-Real-IP",
        "WEB_TRUSTED_PROXIES": "127.0.0.1",
        # Hand-over limits counted in Redis: one count per person across the web replicas.
        "WEB_RATE_LIMIT_REDIS_URL": config.redis_url(secrets, REDIS_DB_RATE_LIMITS),
        # The review page reads the moments from the Rasa replicas themselves, not through nginx
        # (which never routes /webhooks/revue/): the first that answers.
        "REVUE_RASA_URLS": " ".join(f"http://127.0.0.1:{port}" for port in config.rasa_ports),
    }


def production(config: ProdConfig, secrets: Mapping[str, str], pg_version: str = "15") -> list[Process]:
    """`make prod`: PostgreSQL, Redis, the action servers, the Rasa replicas, the page, nginx."""
    c = config
    processes = [
        Process(
            "postgresql",
            "postgresql",
            ("pg_ctlcluster", pg_version, c.pg_cluster, "start", "--foreground"),
            c.pg_port,
        ),
        Process("redis", "redis", ("redis-server", str(c.state_dir / "redis.conf")), c.redis_port),
    ]
    for number, port in enumerate(c.actions_ports, 1):
        command = actions_command(port, debug=number in c.debug_replicas)
        processes.append(
            Process(f"actions-{number}", "actions", tuple(command), port, actions_env(c, secrets))
        )
    for number, port in enumerate(c.rasa_ports, 1):
        command = rasa_command(
            port,
            "endpoints.prod.yml",
            c.site_url,
            model=c.model,
            interface="127.0.0.1",
            auth_token=secrets["RASA_TOKEN"],
            debug=number in c.debug_replicas,
        )
        command = (["taskset", "-c", c.cpus] if c.cpus else []) + command
        processes.append(Process(f"rasa-{number}", "rasa", tuple(command), port, rasa_env(c, secrets)))
    for number, port in enumerate(c.web_ports, 1):
        # The page talks to Rasa through the site itself (nginx).
        command = web_command(port, c.site_url)
        processes.append(Process(f"web-{number}", "web", tuple(command), port, web_env(c, secrets)))
    nginx = ("nginx", "-c", str(c.state_dir / "nginx.conf"), "-p", str(c.state_dir), "-g", "daemon off;")
    processes.append(Process("nginx", "nginx", nginx, c.http_port))
    return [
        Process(p.name, p.kind, p.command, p.port, {**c.env, **p.env}, READINESS[p.kind]) for p in processes
    ]


# What Kubernetes' containers run: the same commands, with the cluster's values.
KUBERNETES_PORTS = {"rasa": 5005, "actions": 5055, "web": 8080}


def kubernetes(kind: str) -> list[str]:
    """The container command of `kind` in deploy/k8s (values from the ConfigMap and Secret)."""
    port = KUBERNETES_PORTS[kind]
    if kind == "actions":
        return actions_command(port, python="python")
    if kind == "rasa":
        return rasa_command(
            port, "endpoints.prod.yml", "$(SITE_URL)", python="python", auth_token="$(RASA_TOKEN)"
        )
    return web_command(port, "$(SITE_URL)", python="python", host="0.0.0.0")


# ---- public paths ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A public path: `exact` ("/x" only) or a prefix ("/static/…"), and who serves it."""

    path: str
    exact: bool
    to: str  # "web" or "rasa"
    methods: tuple[str, ...]
    example: str  # a URL path that reaches it, for the tests

    @property
    def nginx(self) -> str:
        return f"= {self.path}" if self.exact else f"^~ {self.path}"

    @property
    def ingress(self) -> tuple[str, str]:
        # Kubernetes' Prefix matches whole path elements: "/static" covers "/static/chat.js".
        return (self.path, "Exact") if self.exact else (self.path.rstrip("/"), "Prefix")


# Rasa's public paths; nginx's locations for them (limits, timeouts, sticky sessions) are in
# scripts/prod/nginx.conf.in. Everything else Rasa answers (its HTTP API) stays inside.
RASA_PATHS = (
    Route("/webhooks/rest/webhook", True, "rasa", ("POST", "OPTIONS"), "/webhooks/rest/webhook"),
    Route("/socket.io/", False, "rasa", ("GET", "POST"), "/socket.io/?EIO=4&transport=polling"),
)

# A value for each variable part of a web route, in the tests' requests.
EXAMPLE_VALUES = {"code": "MOB-00000-00000"}


def web_routes() -> list[Route]:
    """The routes of the web app (web/app.py), read from the aiohttp app itself."""
    if str(ROOT) not in sys.path:  # run as a script from scripts/
        sys.path.insert(0, str(ROOT))
    from web.app import STATIC_DIR, create_app

    app = create_app("http://127.0.0.1:9", kb_url="sqlite://", fiches_url="sqlite://")
    routes: dict[str, Route] = {}
    for resource in app.router.resources():
        info = resource.get_info()
        methods = tuple(sorted({r.method for r in resource} - {"HEAD"}))
        if "prefix" in info:  # static files: every file under the folder
            prefix = info["prefix"].rstrip("/") + "/"
            example = prefix + sorted(p.name for p in STATIC_DIR.glob("*.js"))[0]
            route = Route(prefix, False, "web", methods, example)
        elif "formatter" in info:  # /fiche/{code}: everything under /fiche/
            formatter = info["formatter"]
            prefix = formatter[: formatter.index("{")]
            example = formatter.format(**EXAMPLE_VALUES)
            route = Route(prefix, False, "web", methods, example)
        else:
            route = Route(info["path"], True, "web", methods, info["path"])
        key = route.nginx
        if key in routes:  # GET and DELETE /api/fiches/{code}: one location
            known = routes[key]
            route = Route(
                route.path, route.exact, "web", tuple(sorted({*known.methods, *methods})), known.example
            )
        routes[key] = route
    return sorted(routes.values(), key=lambda r: (r.path, not r.exact))


def public_routes() -> list[Route]:
    return web_routes() + list(RASA_PATHS)


def nginx_web_locations(upstream: str = "web_page", proxy_include: str = "nginx-proxy.conf") -> str:
    """nginx's locations for every web route (the Rasa ones are written in nginx.conf.in)."""
    return "\n".join(
        f"        location {route.nginx} {{ proxy_pass http://{upstream}; include {proxy_include}; }}"
        for route in web_routes()
    )


def nginx_security_headers(rasa_url: str) -> str:
    """The web app's security headers (web/app.py), for the answers nginx gives itself (its 404)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from web.app import security_headers

    return "\n".join(
        f'            add_header {name} "{value}" always;'
        for name, value in security_headers(rasa_url).items()
    )


def ingress_paths() -> set[tuple[str, str, str]]:
    """(path, pathType, service) the Kubernetes Ingresses must route: the same public paths."""
    services = {"web": "mobilite-web", "rasa": "mobilite-rasa"}
    paths = {(*route.ingress, services[route.to]) for route in public_routes()}
    # A Prefix path also matches itself: "/fiche" (Prefix) covers the form at "/fiche".
    prefixes = {(path, service) for path, kind, service in paths if kind == "Prefix"}
    return {
        (path, kind, service)
        for path, kind, service in paths
        if kind == "Prefix" or (path, service) not in prefixes
    }
