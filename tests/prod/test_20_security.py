"""Through nginx only the page and the chat channels are public; the rest is closed or limited.

- Rasa's HTTP API: 404 through nginx, 401 without the token on a replica;
- CORS and socket.io origins: the configured site only;
- per-client rate limit: a loop from one address gets 429, another address is served;
- socket.io sticks each client address to one replica (hash $remote_addr;
  ip_hash would send all of 127.0.0.0/24 to one replica).
"""

from __future__ import annotations

import asyncio
import re
import threading
import urllib.error
import urllib.request

import aiohttp
import pytest
import socketio
from chat import new_sender, post


def _get(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_page_and_channels_are_public(prod_stack):
    site = prod_stack.config.site_url
    assert _get(site + "/")[0] == 200
    assert _get(site + "/config.json")[0] == 200
    assert _get(site + "/socket.io/?EIO=4&transport=polling")[0] == 200
    status, reply = post(site, new_sender("public"), "bonjour")
    assert status == 200 and reply


@pytest.mark.parametrize(
    "path",
    [
        "/status",
        "/version",
        "/model/parse",
        "/conversations/x/tracker",
        "/webhooks/rest/",
        "/domain",
        "/nginx.conf",
        "/../secrets.env",
    ],
)
def test_everything_else_is_closed_through_nginx(prod_stack, path):
    assert _get(prod_stack.config.site_url + path)[0] in (400, 404)


def test_rasa_api_needs_the_token(prod_stack):
    replica = prod_stack.rasa_url(1)
    assert _get(replica + "/status")[0] == 401
    assert _get(replica + "/status?token=wrong")[0] == 401
    assert _get(replica + f"/status?token={prod_stack.secrets['RASA_TOKEN']}")[0] == 200


def test_cors_allows_the_configured_site_only(prod_stack):
    site = prod_stack.config.site_url
    preflight = {"Access-Control-Request-Method": "POST"}
    _, good = _get(site + "/webhooks/rest/webhook", {"Origin": site, **preflight}, "OPTIONS")
    _, evil = _get(
        site + "/webhooks/rest/webhook", {"Origin": "https://pirate.example", **preflight}, "OPTIONS"
    )
    assert good.get("Access-Control-Allow-Origin") == site
    assert "Access-Control-Allow-Origin" not in evil
    handshake = site + "/socket.io/?EIO=4&transport=polling"
    assert _get(handshake, {"Origin": site})[0] == 200
    assert _get(handshake, {"Origin": "https://pirate.example"})[0] == 400


def test_socketio_clients_stick_to_one_replica_and_both_replicas_serve(prod_stack):
    site = prod_stack.config.site_url
    addresses = [f"127.0.0.{i}" for i in range(2, 10)]
    access_log = prod_stack.config.logs / "nginx-access.log"
    already = access_log.stat().st_size

    async def one_client(address: str) -> bool:
        connector = aiohttp.TCPConnector(local_addr=(address, 0))
        async with aiohttp.ClientSession(connector=connector) as session:
            client = socketio.AsyncClient(http_session=session)
            answered = asyncio.Event()
            confirmed = asyncio.Event()
            session_id = new_sender("sio")
            client.on("session_confirm", lambda *_: confirmed.set())
            client.on("bot_uttered", lambda *_: answered.set())
            # Polling first: several HTTP requests per session, which only work
            # if they all reach the replica that holds the session.
            await client.connect(
                site, headers={"Origin": site}, transports=["polling"], socketio_path="/socket.io/"
            )
            await client.emit("session_request", {"session_id": session_id})
            await asyncio.wait_for(confirmed.wait(), 20)
            await client.emit("user_uttered", {"message": "bonjour", "session_id": session_id})
            await asyncio.wait_for(answered.wait(), 30)
            await client.disconnect()
            return True

    async def all_clients():
        return await asyncio.gather(*(one_client(a) for a in addresses))

    assert all(asyncio.run(all_clients()))
    upstreams: dict[str, set[str]] = {}
    with open(access_log, "rb") as log:
        log.seek(already)
        lines = log.read().decode().splitlines()
    for line in lines:
        match = re.match(r"(\S+) .*\"\S+ /socket.io/\" \d+ .* upstream=(\S+)", line)
        if match and match.group(1) in addresses and match.group(2) != "-":
            upstreams.setdefault(match.group(1), set()).add(match.group(2))
    assert set(upstreams) == set(addresses)
    assert all(len(u) == 1 for u in upstreams.values()), upstreams
    assert len(set().union(*upstreams.values())) == 2, "both replicas serve socket.io clients"


# Last of this file: the flooding address stays limited for a few seconds.
def test_a_loop_from_one_address_gets_429_and_others_are_served(prod_stack):
    site = prod_stack.config.site_url
    statuses: list[int] = []
    lock = threading.Lock()

    def flood():
        for _ in range(6):
            status, _ = post(site, new_sender("flood"), "bonjour", source="127.0.0.2")
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=flood) for _ in range(30)]
    for t in threads:
        t.start()
    status, reply = post(
        site, new_sender("polite"), "je suis au RSA à Laval et je veux passer le permis", source="127.0.0.3"
    )
    for t in threads:
        t.join(120)
    assert 429 in statuses and set(statuses) <= {200, 429}
    assert status == 200 and reply
    # nginx is still up and the flooding address is served again once it slows down.
    assert _get(site + "/")[0] == 200
