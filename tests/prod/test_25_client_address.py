"""Behind nginx the limits count the person's address, once for all the page's replicas.

nginx sets X-Real-IP to the address it saw, replacing any the client sent; the
web app believes it from nginx only (WEB_TRUSTED_PROXIES) and counts the
hand-over lookups (10 a minute) in Redis. Each page replica logs the address
it counted: the tests read it there.
"""

from __future__ import annotations

import time

from test_12_site import request

UNKNOWN = "/api/fiches/MOB-00000-0000{}"
LIMIT = 10


def _counted(prod_stack, address: str, since: dict[str, int]) -> dict[str, int]:
    """How many lookups each page replica logged for `address` since `since` (bytes per log)."""
    counts = {}
    for name in ("web-1", "web-2"):
        with open(prod_stack.config.logs / f"{name}.log", "rb") as log:
            log.seek(since[name])
            lines = log.read().decode(errors="replace").splitlines()
        counts[name] = sum(1 for line in lines if line.startswith(f"{address} GET /api/fiches/"))
    return counts


def _counted_once_logged(prod_stack, address: str, since: dict[str, int], expected: int) -> dict[str, int]:
    """`_counted`, once the replicas have logged `expected` lines (a line follows its answer)."""
    deadline = time.monotonic() + 5
    while sum((counts := _counted(prod_stack, address, since)).values()) < expected:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return counts


def _log_sizes(prod_stack) -> dict[str, int]:
    return {name: (prod_stack.config.logs / f"{name}.log").stat().st_size for name in ("web-1", "web-2")}


def test_each_person_has_the_limit_once_across_the_page_replicas(prod_stack):
    site, person, neighbour = prod_stack.config.site_url, "127.0.0.21", "127.0.0.22"
    sizes = _log_sizes(prod_stack)
    statuses = [request(site + UNKNOWN.format(i % 10), source=person)[0] for i in range(LIMIT + 1)]
    assert statuses == [404] * LIMIT + [429], statuses
    # Another person behind the same nginx is not limited by the first one's tries.
    assert request(site + UNKNOWN.format(0), source=neighbour)[0] == 404
    counted = _counted_once_logged(prod_stack, person, sizes, LIMIT + 1)
    print(f"\nlookups from {person} counted by each page replica: {counted}; the 11th refused (429)")
    # Both replicas served the person: a count per process would have allowed 10 on each.
    assert all(counted.values()) and sum(counted.values()) == LIMIT + 1, counted


def test_an_address_sent_by_the_client_is_not_believed(prod_stack):
    site, exhausted, liar = prod_stack.config.site_url, "127.0.0.21", "127.0.0.23"
    sizes = _log_sizes(prod_stack)
    # Through nginx: the X-Real-IP the client sends is replaced by the one nginx saw.
    status = request(site + UNKNOWN.format(1), headers={"X-Real-IP": exhausted}, source=liar)[0]
    assert status == 404  # not the exhausted person's 429
    # Straight to a page replica, from an address that is not nginx's: the header is ignored,
    # so changing it at every try does not escape the limit.
    direct = prod_stack.web_url(1)
    statuses = [
        request(direct + UNKNOWN.format(i % 10), headers={"X-Real-IP": f"10.9.8.{i}"}, source=liar)[0]
        for i in range(LIMIT)
    ]
    assert statuses == [404] * (LIMIT - 1) + [429], statuses
    assert sum(_counted_once_logged(prod_stack, liar, sizes, LIMIT + 1).values()) == LIMIT + 1
    assert sum(_counted(prod_stack, exhausted, sizes).values()) == 0
