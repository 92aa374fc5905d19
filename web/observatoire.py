"""`/observatoire`: the coordinators' report page, closed without a token.

Serves the page `make report` last wrote (build/report/observatoire.html).
Closed (403) while no token is configured (`OBSERVATOIRE_TOKEN`); once it is,
a browser asks for it (HTTP Basic: any user name, the token as password) and
a tool sends `Authorization: Bearer <token>`. Tokens are compared in
constant time. The page has its own Content-Security-Policy: no script at
all, its image as a data: URI, its one style element allowed by hash.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from pathlib import Path

from aiohttp import web

from orientation.observatory.page import CSP

PATH = "/observatoire"
TOKEN_ENV = "OBSERVATOIRE_TOKEN"
DEFAULT_PAGE = Path(__file__).resolve().parent.parent / "build" / "report" / "observatoire.html"
_REALM = 'Basic realm="Observatoire des besoins de mobilite", charset="UTF-8"'


def _presented_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            _, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return password
    return None


def token_matches(presented: str | None, expected: str) -> bool:
    return presented is not None and hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


def setup(app: web.Application, token: str | None = None, page: Path | None = None) -> None:
    """Add the route; call after the app's own `on_response_prepare` (this one must run last)."""
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    page = Path(page or os.environ.get("OBSERVATOIRE_PAGE") or DEFAULT_PAGE)

    async def observatoire(request: web.Request) -> web.Response:
        if not token:
            return web.Response(
                status=403, text="Observatoire fermé : aucun jeton n'est configuré " f"({TOKEN_ENV}).\n"
            )
        if not token_matches(_presented_token(request), token):
            return web.Response(
                status=401, text="Jeton de l'observatoire requis.\n", headers={"WWW-Authenticate": _REALM}
            )
        if not page.is_file():
            return web.Response(status=404, text="Aucun rapport : lancez « make report ».\n")
        return web.Response(
            body=page.read_bytes(),
            content_type="text/html",
            charset="utf-8",
            headers={"Cache-Control": "no-store"},
        )

    async def own_policy(request: web.Request, response: web.StreamResponse) -> None:
        if request.path == PATH:
            response.headers["Content-Security-Policy"] = CSP

    app.router.add_get(PATH, observatoire)
    app.on_response_prepare.append(own_policy)
