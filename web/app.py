"""Serve the chat page (web/static/) with strict security headers.

The page itself connects to Rasa's socketio channel; this app serves its
files, `/config.json` (the Rasa URL), so that the page needs no inline
script and the Content-Security-Policy can forbid all of them, and what the
page reads from the knowledge base (`/glossaire.json`, `/libelles.json`).
It also serves the handed-over fiches (web/handover_api.py), the privacy
notice, accessibility statement and legal notice (web/site_pages.py), the
observatory (web/observatoire.py) and the maintainers' review of real
conversations (web/revue.py), both behind OBSERVATOIRE_TOKEN.

    python -m web.app --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005
"""

import argparse
import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from web import handover_api, site_pages
from web.handover_store import HandoverStore
from web.knowledge import Knowledge, labels_document
from web.observatoire import setup as setup_observatoire
from web.rate_limit import client_address
from web.revue import setup as setup_revue

STATIC_DIR = Path(__file__).parent / "static"
SOCKETIO_PATH = "/socket.io/"

logger = logging.getLogger(__name__)


def rasa_origins(rasa_url: str) -> str:
    """The HTTP origin of Rasa and its WebSocket form, for `connect-src`."""
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--rasa-url must be an http(s) URL, not {rasa_url!r}")
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc} {ws_scheme}://{parts.netloc}"


def security_headers(rasa_url: str) -> dict[str, str]:
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"connect-src 'self' {rasa_origins(rasa_url)}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        # For browsers that predate frame-ancestors.
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


WARM_UP = web.AppKey("knowledge_warm_up", asyncio.Task)
_CODE_IN_PATH = re.compile(r"(/fiches?/)[^/?#\s]+")


class AccessLogger(AbstractAccessLogger):
    """aiohttp's access log, without the codes of handed-over fiches (they open a fiche).

    The address is the one the limits count (web/rate_limit.py): behind nginx, the person's.
    """

    def log(self, request, response, time):
        path = _CODE_IN_PATH.sub(r"\1…", request.path)
        address = client_address(request)
        self.logger.info("%s %s %s %d %.3fs", address, request.method, path, response.status, time)


def create_app(
    rasa_url: str,
    kb_url: str | None = None,
    fiches_url: str | None = None,
    clock: Callable | None = None,
    knowledge: Knowledge | None = None,
) -> web.Application:
    """`clock` (naive UTC datetimes) lets tests move the hand-over codes' time."""
    headers = security_headers(rasa_url)
    config = {"rasa_url": rasa_url.rstrip("/"), "socketio_path": SOCKETIO_PATH}

    async def add_security_headers(_request: web.Request, response: web.StreamResponse) -> None:
        # on_response_prepare also reaches static files and error pages,
        # which a middleware would miss when a handler raises.
        response.headers.update(headers)

    async def index(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(
            STATIC_DIR / "index.html",
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

    async def no_favicon(_request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def config_json(_request: web.Request) -> web.Response:
        return web.json_response(config, headers={"Cache-Control": "no-store"})

    knowledge = knowledge or Knowledge(kb_url)

    async def glossary_json(_request: web.Request) -> web.Response:
        return web.json_response(await knowledge.glossary(), headers={"Cache-Control": "max-age=300"})

    async def warm_up(app: web.Application) -> None:
        async def load() -> None:
            try:
                await knowledge.snapshot()
            except Exception:
                logger.warning("Knowledge base not available (run `make kb`): no glossary, no fiche code")

        app[WARM_UP] = asyncio.create_task(load())

    async def stop_warm_up(app: web.Application) -> None:
        app[WARM_UP].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await app[WARM_UP]

    async def labels_json(_request: web.Request) -> web.Response:
        return web.json_response(labels_document(), headers={"Cache-Control": "max-age=300"})

    app = web.Application()
    app.on_response_prepare.append(add_security_headers)
    app.router.add_get("/", index)
    app.router.add_get("/config.json", config_json)
    app.router.add_get("/favicon.ico", no_favicon)
    app.on_startup.append(warm_up)
    app.on_cleanup.append(stop_warm_up)
    app.router.add_get("/glossaire.json", glossary_json)
    app.router.add_get("/libelles.json", labels_json)
    app.router.add_static("/static/", STATIC_DIR, follow_symlinks=False)
    store = HandoverStore(fiches_url, **({"clock": clock} if clock else {}))
    handover_api.setup(app, knowledge, store, page=STATIC_DIR / "fiche.html")
    site_pages.setup(app)  # /confidentialite, /accessibilite, /mentions-legales
    setup_observatoire(app)  # /observatoire, behind OBSERVATOIRE_TOKEN
    setup_revue(app, rasa_url)  # /revue, behind the same token
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--rasa-url",
        default="http://127.0.0.1:5005",
        help="Rasa server as the browser reaches it (socketio channel)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app(args.rasa_url)
    web.run_app(
        app,
        host=args.host,
        port=args.port,
        access_log_class=AccessLogger,
        print=lambda _: print(
            f"Page de discussion : http://{args.host}:{args.port}/ " f"(Rasa : {args.rasa_url})",
            flush=True,
        ),
    )


if __name__ == "__main__":
    main()
