"""Through nginx, the same site as `make run`: every route of the web app, every page the chat page
links to, the hand-over code from creation to deletion.

The routes are read from the aiohttp app itself (scripts/topology.py
`web_routes()`), so a route added to web/app.py is requested here without
anyone listing it. Each one, with each of its methods, is requested straight
from a page replica and through nginx: the same status, and the web app's own
security headers (nginx's own 404 is not the app's answer).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser

import topology
from chat import _SourceHandler

LAVAL = {"consentement": "oui", "situations": ["rsa"], "code_insee": "53130", "besoin": "permis", "age": 35}
SOURCE = "127.0.0.20"  # this file's client address through nginx


def request(
    url: str, method: str = "GET", body: dict | None = None, headers: dict | None = None, source=None
):
    """(status, headers, body) of one request; `source` binds the client address."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {**(headers or {}), **({"Content-Type": "application/json"} if body is not None else {})}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    opener = urllib.request.build_opener(_SourceHandler(source)) if source else urllib.request.build_opener()
    try:
        with opener.open(req, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _call(base: str, route: topology.Route, method: str, token: str, source=None):
    body = LAVAL if method == "POST" else None
    headers = {"Authorization": f"Bearer {token}"} if route.path == "/observatoire" else {}
    return request(base + route.example, method, body, headers, source)


def test_every_route_of_the_web_app_answers_through_nginx_as_the_app_does(prod_stack):
    site, direct = prod_stack.config.site_url, prod_stack.web_url(1)
    token = prod_stack.config.env["OBSERVATOIRE_TOKEN"]
    checked = []
    for route in topology.web_routes():
        for method in route.methods:
            expected, _, _ = _call(direct, route, method, token)
            status, headers, _ = _call(site, route, method, token, SOURCE)
            where = f"{method} {route.example}"
            assert status == expected, f"{where}: {status} through nginx, {expected} from the app"
            assert headers.get("Content-Security-Policy"), f"{where}: not the web app's answer"
            checked.append(f"{where} {status}")
    print(f"\n{len(checked)} routes × methods through nginx, as the app answers them: " + ", ".join(checked))
    assert {"GET /confidentialite 200", "GET /glossaire.json 200", "POST /api/fiches 201"} <= set(checked)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and value.startswith("/") and not value.startswith("//"):
                self.links.add(value.split("#")[0] or "/")


def _links(html: bytes) -> set[str]:
    parser = _Links()
    parser.feed(html.decode("utf-8"))
    return parser.links


def test_every_page_the_chat_page_links_to_answers_200_through_nginx(prod_stack):
    site = prod_stack.config.site_url
    status, _, page = request(site + "/", source=SOURCE)
    assert status == 200
    seen, todo = {"/"}, _links(page)
    while todo:  # the chat page's links, and the links of the pages it links to
        path = todo.pop()
        seen.add(path)
        status, headers, body = request(site + path, source=SOURCE)
        assert status == 200, f"{path}: {status}"
        if headers.get_content_type() == "text/html":
            todo |= _links(body) - seen
    print(f"\n{len(seen)} pages and files linked from the chat page, all 200: {', '.join(sorted(seen))}")
    assert {"/confidentialite", "/accessibilite", "/mentions-legales", "/fiche"} <= seen


def test_a_handover_code_is_created_opened_and_deleted_through_nginx(prod_stack):
    site = prod_stack.config.site_url
    status, _, body = request(site + "/api/fiches", "POST", LAVAL, source=SOURCE)
    assert status == 201, body
    code = json.loads(body)["code"]
    status, _, body = request(f"{site}/api/fiches/{code}", source=SOURCE)
    assert status == 200 and json.loads(body)["orientation"]["commune"]["code_insee"] == "53130"
    assert request(f"{site}/fiche/{code}", source=SOURCE)[0] == 200  # the professional's page
    assert request(f"{site}/api/fiches/{code}", "DELETE", source=SOURCE)[0] == 204
    assert request(f"{site}/api/fiches/{code}", source=SOURCE)[0] == 404
    # Neither nginx's log nor the page replicas' logs hold the code.
    for log in ("nginx-access.log", "web-1.log", "web-2.log"):
        text = (prod_stack.config.logs / log).read_text(errors="replace")
        assert code not in text and code[4:9] not in text, log


def test_nginx_locations_are_the_web_routes_and_rasa_s_two_channels(prod_stack):
    """The generated nginx.conf routes exactly the topology's public paths; everything else is 404."""
    conf = (prod_stack.config.state_dir / "nginx.conf").read_text()
    server = conf[conf.index(f"listen {prod_stack.config.http_host}:{prod_stack.config.http_port}") :]
    server = server[: server.index("upstream actions")]
    locations = set(re.findall(r"location ((?:= |\^~ )?/\S*) \{", server))
    expected = {r.nginx for r in topology.public_routes()} | {"/"}
    assert locations == expected
