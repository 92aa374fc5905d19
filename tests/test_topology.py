"""One description of the processes (scripts/topology.py): make run's stack, make prod's supervisord
programs and nginx configuration are generated from it, so they cannot disagree."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
import topology

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "prod"))

SECRETS = {"TRACKER_DB_PASSWORD": "pg-secret", "REDIS_PASSWORD": "redis-secret", "RASA_TOKEN": "token"}


@pytest.fixture
def prod(tmp_path):
    from prodstack import ProdStack

    stack = ProdStack(topology.ProdConfig.for_tests(state_dir=tmp_path / "prod"))
    stack.secrets = SECRETS
    return stack


def test_make_run_and_make_prod_start_each_kind_with_the_same_program():
    dev = {p.kind: p for p in topology.development()}
    prod = topology.production(topology.ProdConfig(), SECRETS)
    assert set(dev) == {"actions", "rasa", "web"}
    for process in prod:
        if process.kind in dev:
            program = dev[process.kind].command[:3]  # python -m rasa_server / web.app
            assert process.command[:3] == program, process.name
            assert process.readiness == dev[process.kind].readiness, process.name
    assert dev["rasa"].command[2] == "rasa_server" and dev["actions"].command[2] == "rasa_server"


def test_every_production_process_has_its_own_port_and_a_readiness_probe():
    processes = topology.production(topology.ProdConfig(), SECRETS)
    ports = [p.port for p in processes]
    assert len(set(ports)) == len(ports)
    assert {p.kind for p in processes} == set(topology.READINESS)
    names = [p.name for p in processes]
    assert names == [
        "postgresql",
        "redis",
        "actions-1",
        "actions-2",
        "rasa-1",
        "rasa-2",
        "web-1",
        "web-2",
        "nginx",
    ]


def test_supervisord_runs_every_process_as_described(prod):
    conf = prod.supervisor_conf()
    programs = dict(re.findall(r"\[program:(\S+)\]\ncommand=(.*)\n", conf))
    assert list(programs) == prod.component_names()
    for process in prod.processes():
        command = shlex.split(programs[process.name].replace("%%", "%"))
        assert command[0].endswith("scripts/prod/fresh-group.sh")
        assert command[2:] == list(process.command), process.name
        section = conf[conf.index(f"[program:{process.name}]") :].split("\n\n")[0]
        assert "autorestart=true" in section and "stopasgroup=true" in section
        for key in process.env:
            assert f'{key}="' in section, (process.name, key)


def test_nginx_sends_every_web_route_to_the_page_replicas_and_nothing_of_rasa_but_its_channels(prod):
    conf = prod.nginx_conf()
    locations = set(re.findall(r"location ((?:= |\^~ )?/\S*) \{", conf))
    assert locations == {r.nginx for r in topology.public_routes()} | {"/"}
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", conf, re.S))
    for kind, upstream in (
        ("web", "web_page"),
        ("rasa", "rasa_rest"),
        ("rasa", "rasa_socketio"),
        ("actions", "actions"),
    ):
        ports = {int(port) for port in re.findall(r"server 127\.0\.0\.1:(\d+)", upstreams[upstream])}
        assert ports == {p.port for p in prod.processes() if p.kind == kind}, upstream
    assert "@" not in re.sub(r"location @\w+|= @\w+", "", conf), "a placeholder was left"


def test_every_web_route_is_public_and_the_fiche_codes_never_reach_a_log():
    paths = {r.path for r in topology.web_routes()}
    assert {"/", "/confidentialite", "/accessibilite", "/mentions-legales", "/glossaire.json"} <= paths
    assert {"/fiche", "/fiche/", "/api/fiches", "/api/fiches/", "/observatoire", "/static/"} <= paths
    template = (ROOT / "scripts" / "prod" / "nginx.conf.in").read_text()
    assert '"$request_method $logged_uri"' in template and '$uri" $status' not in template
