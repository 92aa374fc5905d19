"""Serve the chat page (web/static/) with strict security headers.

The page itself connects to Rasa's socketio channel; this app only serves
files and `/config.json` (the Rasa URL), so that the page needs no inline
script and the Content-Security-Policy can forbid all of them.

    python -m web.app --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005
"""

import argparse
import logging
from pathlib import Path
from typing import Dict
from urllib.parse import urlsplit

from aiohttp import web

from web.observatoire import setup as setup_observatoire

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


def security_headers(rasa_url: str) -> Dict[str, str]:
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


def create_app(rasa_url: str) -> web.Application:
    headers = security_headers(rasa_url)
    config = {"rasa_url": rasa_url.rstrip("/"), "socketio_path": SOCKETIO_PATH}

    async def add_security_headers(
        _request: web.Request, response: web.StreamResponse
    ) -> None:
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

    app = web.Application()
    app.on_response_prepare.append(add_security_headers)
    app.router.add_get("/", index)
    app.router.add_get("/config.json", config_json)
    app.router.add_get("/favicon.ico", no_favicon)
    app.router.add_static("/static/", STATIC_DIR, follow_symlinks=False)
    setup_observatoire(app)  # /observatoire, behind OBSERVATOIRE_TOKEN
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
        print=lambda _: print(
            f"Page de discussion : http://{args.host}:{args.port}/ "
            f"(Rasa : {args.rasa_url})",
            flush=True,
        ),
    )


if __name__ == "__main__":
    main()
