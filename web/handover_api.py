"""The hand-over routes: create a code with the person's "oui", open it, delete it.

    POST   /api/fiches          {"consentement": "oui", "situations": ["rsa"],
                                 "code_insee": "53130", "besoin": "permis", "age": 35}
    GET    /api/fiches/<code>   the fiche (rate-limited per client address)
    DELETE /api/fiches/<code>   deleted at once (rate-limited too)
    GET    /fiche, /fiche/<code>   the professional's page (web/static/fiche.html)

The client sends codes only; the orientation is recomputed here from them.
Any other field (text the person typed, a name…) is ignored, never stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import web

from web.handover_store import HandoverStore, formatted, normalized
from web.knowledge import InvalidProfile, Knowledge, ProfileCodes, labels_document
from web.rate_limit import RateLimiter, RedisRateLimiter, client_address, limiter

log = logging.getLogger(__name__)

PURGE_EVERY = 3600.0  # s
PURGE_TASK = web.AppKey("handover_purge", asyncio.Task)
NO_STORE = {"Cache-Control": "no-store"}
NOT_FOUND = "Ce code est inconnu ou a expiré. Un code est valable 30 jours."
TOO_MANY = "Trop d'essais. Réessayez dans une minute."


def _error(status: int, text: str, **headers) -> web.Response:
    return web.json_response({"erreur": text}, status=status, headers={**NO_STORE, **headers})


async def _limited(limits: RateLimiter | RedisRateLimiter, request: web.Request) -> web.Response | None:
    wait = await limits.seconds_to_wait(client_address(request))
    return _error(429, TOO_MANY, **{"Retry-After": str(wait)}) if wait else None


def setup(
    app: web.Application,
    knowledge: Knowledge,
    store: HandoverStore,
    page,
    lookups: RateLimiter | RedisRateLimiter | None = None,
    creations: RateLimiter | RedisRateLimiter | None = None,
    purge_every: float = PURGE_EVERY,
) -> None:
    lookups = lookups or limiter("lookups", 10)
    creations = creations or limiter("creations", 10)

    async def create(request: web.Request) -> web.Response:
        refused = await _limited(creations, request)
        if refused is not None:
            return refused
        if request.content_type != "application/json":
            return _error(415, "Envoyez du JSON.")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "Demande illisible.")
        if not isinstance(body, dict) or body.get("consentement") != "oui":
            return _error(400, "Il faut l'accord de la personne : un « oui » explicite.")
        try:
            codes = ProfileCodes.parse(body)
            orientation = await knowledge.orientation(codes)
        except InvalidProfile as error:
            return _error(400, f"Réponse non reconnue : {error}.")
        fiche = await asyncio.to_thread(
            store.create, codes.situations, codes.code_insee, codes.besoin, codes.age, orientation
        )
        log.info("fiche transmise créée statut=%s", orientation["statut"])  # never the code
        return web.json_response(
            {
                "code": fiche.code,
                "expire_le": fiche.document()["expire_le"],
                "chemin": f"/fiche/{fiche.code}",
            },
            status=201,
            headers=NO_STORE,
        )

    async def read(request: web.Request) -> web.Response:
        refused = await _limited(lookups, request)
        if refused is not None:
            return refused
        fiche = await asyncio.to_thread(store.get, request.match_info["code"])
        if fiche is None:
            return _error(404, NOT_FOUND)
        return web.json_response({**fiche.document(), "libelles": labels_document()}, headers=NO_STORE)

    async def remove(request: web.Request) -> web.Response:
        refused = await _limited(lookups, request)
        if refused is not None:
            return refused
        if not await asyncio.to_thread(store.delete, request.match_info["code"]):
            return _error(404, NOT_FOUND)
        return web.Response(status=204, headers=NO_STORE)

    async def fiche_page(request: web.Request) -> web.StreamResponse:
        typed = request.query.get("code")
        if typed is not None:  # the form, without JavaScript
            body = normalized(typed)
            location = f"/fiche/{formatted(body)}" if body else "/fiche?inconnu=1"
            raise web.HTTPSeeOther(location)
        return web.FileResponse(
            page, headers={"Content-Type": "text/html; charset=utf-8", "X-Robots-Tag": "noindex", **NO_STORE}
        )

    async def purge_regularly(app: web.Application) -> None:
        async def loop():
            while True:
                try:
                    removed = await asyncio.to_thread(store.purge)
                    if removed:
                        log.info("fiches transmises expirées supprimées : %d", removed)
                except Exception:  # the database may be away for a moment: try again later
                    log.exception("purge des fiches transmises impossible")
                await asyncio.sleep(purge_every)

        app[PURGE_TASK] = asyncio.create_task(loop())

    async def stop_purging(app: web.Application) -> None:
        task = app.get(PURGE_TASK)
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        store.close()

    app.router.add_post("/api/fiches", create)
    app.router.add_get("/api/fiches/{code}", read)
    app.router.add_delete("/api/fiches/{code}", remove)
    app.router.add_get("/fiche", fiche_page)
    app.router.add_get("/fiche/{code}", fiche_page)
    app.on_startup.append(purge_regularly)
    app.on_cleanup.append(stop_purging)
