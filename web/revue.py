"""`/revue`: the maintainers' review of real conversations, behind the observatory's token.

- `GET /revue`: the moments the stored conversations went wrong, by kind and
  most frequent first, masked (orientation/review). The page asks the Rasa
  server, where the conversations are (rasa_server/review.py), from inside:
  `REVUE_RASA_URLS` (space separated, tried in order; by default the page's
  `--rasa-url`). Nothing is kept here but the decisions (web/revue_store.py).
- `POST /revue`: a maintainer's choice for a message: `apprendre` writes a
  training example (data/nlu/revue.yml) and the reader's new phrases
  (orientation/language/lexique_revu.yml), after the checks of
  orientation/review/training.py; `ecarter` stops proposing it.
  `REVUE_NLU_FILE` and `REVUE_LEXIQUE_FILE` write elsewhere (tests).
- `GET /revue/correctif`: every example learnt, as a patch against the
  repository's committed files, for a deployment whose files cannot be written
  or are not the repository (a container): `git apply`, then `make train`.

Closed (403) while `OBSERVATOIRE_TOKEN` is not set; a browser asks for it
(HTTP Basic, any user name), a tool sends `Authorization: Bearer`.
`REVUE_ACTIVE=0` turns the review off (404), and the Rasa server's side too.
A form carries a token derived from `OBSERVATOIRE_TOKEN`, and a post from
another site is refused: the browser sends the Basic credentials by itself.
The page has its own Content-Security-Policy: no script, forms to itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import yaml
from aiohttp import web

from orientation.review import TOKEN_ENV, enabled
from orientation.review.groups import digest, sections
from orientation.review.page import CSP, render_page
from orientation.review.training import (
    LEXICON_FILE,
    NLU_FILE,
    ROOT,
    Label,
    TrainingData,
    example_from,
    unified_patch,
)
from web.observatoire import _REALM, _presented_token, token_matches
from web.revue_store import ReviewStore

PATH = "/revue"
PATCH_PATH = "/revue/correctif"
RASA_URLS_ENV = "REVUE_RASA_URLS"
NLU_ENV, LEXICON_ENV = "REVUE_NLU_FILE", "REVUE_LEXIQUE_FILE"
MOMENTS_ROUTE = "/webhooks/revue/moments"
DOMAIN = ROOT / "domain.yml"
LOCK = ROOT / "build" / "revue.lock"
# Rasa's own intents that no example teaches.
NOT_TAUGHT = {"nlu_fallback", "session_start", "back"}

logger = logging.getLogger(__name__)


def domain_intents(path: Path = DOMAIN) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    names = [i if isinstance(i, str) else next(iter(i)) for i in (document or {}).get("intents") or []]
    return [n for n in names if n not in NOT_TAUGHT]


def conversations_kept() -> str:
    """How long the conversations the page reads are kept (the privacy page says it to people)."""
    if os.environ.get("TRACKER_DATABASE_URL"):
        return f"au bout de {os.environ.get('RETENTION_DAYS') or '30'} jours"
    return "une heure après leur dernier message"


def form_token(token: str) -> str:
    return hmac.new(token.encode("utf-8"), b"revue-formulaire", hashlib.sha256).hexdigest()


def committed(path: Path) -> str | None:
    """The file as the repository's last commit has it (None: not there, or not the repository's
    file); in a copy without git (a container's image), as on disk."""
    try:
        relative = path.resolve().relative_to(ROOT)
    except ValueError:
        return None
    try:
        inside = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--is-inside-work-tree"], capture_output=True, timeout=5
        )
        if inside.returncode == 0:
            shown = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"HEAD:{relative}"], capture_output=True, timeout=5
            )
            return shown.stdout.decode("utf-8") if shown.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        pass
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


@contextlib.contextmanager
def _file_lock():
    """One writer at a time across the page's replicas on one machine (make prod)."""
    try:
        import fcntl

        LOCK.parent.mkdir(parents=True, exist_ok=True)
        handle = open(LOCK, "w")
    except OSError:  # a read-only container: nothing will be written anyway
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class Review:
    def __init__(self, rasa_url: str, store: ReviewStore, token: str | None, training: TrainingData):
        self.rasa_urls = (os.environ.get(RASA_URLS_ENV) or rasa_url).split()
        self.store = store
        self.token = token
        self.training = training
        self.intents = domain_intents()

    @staticmethod
    async def stored(operation, *args):
        """A decision store operation off the event loop. Its failure is logged by its kind only:
        SQLAlchemy's message would carry the statement's values, a masked text among them."""
        try:
            return await asyncio.to_thread(operation, *args)
        except Exception as error:  # noqa: BLE001
            logger.warning("Revue : base des décisions indisponible (%s)", type(error).__name__)
            raise web.HTTPServiceUnavailable(
                text="Base de la revue indisponible : réessayez dans une minute.\n"
            ) from None

    def refused(self, request: web.Request) -> web.Response | None:
        if not enabled():
            return web.Response(status=404, text="Revue désactivée (REVUE_ACTIVE=0).\n")
        if not self.token:
            return web.Response(
                status=403, text=f"Revue fermée : aucun jeton n'est configuré ({TOKEN_ENV}).\n"
            )
        if not token_matches(_presented_token(request), self.token):
            return web.Response(status=401, text="Jeton requis.\n", headers={"WWW-Authenticate": _REALM})
        return None

    async def moments(self) -> tuple[dict, str | None]:
        """The Rasa server's moments document, or why there is none."""
        headers = {"Authorization": f"Bearer {self.token}"}
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for url in self.rasa_urls:
                try:
                    async with session.get(url.rstrip("/") + MOMENTS_ROUTE, headers=headers) as response:
                        if response.status == 200:
                            return await response.json(), None
                        reason = f"le serveur Rasa répond {response.status}"
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    reason = f"le serveur Rasa ne répond pas ({type(error).__name__})"
        return {"conversations": 0, "moments": []}, f"Conversations indisponibles : {reason}."

    async def page(self, request: web.Request, errors: tuple[str, ...] = (), status: int = 200):
        document, unavailable = await self.moments()
        decided = await self.stored(self.store.decided)
        learnt = len(await self.stored(self.store.examples))
        html = render_page(
            sections(document.get("moments") or [], decided),
            conversations=document.get("conversations") or 0,
            kept=conversations_kept(),
            intents=self.intents,
            csrf=form_token(self.token),
            learnt=learnt,
            notice=request.query.get("fait"),
            errors=errors,
            unavailable=unavailable,
        )
        return web.Response(
            status=status,
            text=html,
            content_type="text/html",
            charset="utf-8",
            headers={"Cache-Control": "no-store"},
        )

    @staticmethod
    def same_site(request: web.Request) -> bool:
        """A post from the page itself. With `Referrer-Policy: no-referrer` Chromium sends
        `Origin: null`: the Fetch metadata say where the form was, else the form token alone."""
        fetched_from = request.headers.get("Sec-Fetch-Site")
        if fetched_from:
            return fetched_from in ("same-origin", "none")
        origin = request.headers.get("Origin")
        if not origin or origin == "null":
            return True
        return urlsplit(origin).hostname == urlsplit(f"//{request.host}").hostname

    async def decide(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        if not self.same_site(request) or not hmac.compare_digest(
            str(form.get("jeton", "")), form_token(self.token)
        ):
            return web.Response(
                status=403, text="Formulaire refusé : ouvrez la page /revue et recommencez.\n"
            )
        text = str(form.get("texte", ""))
        if form.get("action") == "ecarter":
            await self.stored(self.store.dismiss, digest(text))
            raise web.HTTPSeeOther(f"{PATH}?fait=ecarte")
        label = Label(
            text=text,
            intent=str(form.get("intention", "")),
            besoin=str(form.get("besoin", "")) or None,
            besoin_words=str(form.get("besoin_mots", "")),
            situation=str(form.get("situation", "")) or None,
            situation_words=str(form.get("situation_mots", "")),
            commune_words=str(form.get("commune_mots", "")),
            commune_role=str(form.get("commune_role", "domicile")),
        )
        example, problems = example_from(label, self.intents)
        if example is not None:
            problems = await asyncio.to_thread(self.training.problems, example)
        if problems:
            return await self.page(request, errors=tuple(problems), status=422)
        await self.stored(self.store.learn, digest(text), example)
        written = await asyncio.to_thread(self.write, example)
        raise web.HTTPSeeOther(f"{PATH}?fait={'appris' if written else 'appris-base'}")

    def write(self, example) -> bool:
        """Adds the example to the files; False where they cannot be written (the patch remains)."""
        files = (self.training.nlu_file, self.training.lexicon_file)
        try:
            with _file_lock():
                before = [p.read_text(encoding="utf-8") if p.is_file() else None for p in files]
                after = self.training.contents([example], *before)
                for path, old, new in zip(files, before, after, strict=False):
                    if new != old:
                        _write(path, new)
            return True
        except OSError as error:
            logger.warning("Revue : fichiers d'entraînement non écrits (%s)", type(error).__name__)
            return False

    async def patch(self, request: web.Request) -> web.Response:
        refused = self.refused(request)
        if refused is not None:
            return refused

        def build() -> str:
            # Against the repository's files, wherever this deployment writes its own.
            files = (NLU_FILE, LEXICON_FILE)
            before = [committed(p) for p in files]
            after = self.training.contents(self.store.examples(), *before)
            return "".join(
                unified_patch(_relative(p), b, a) for p, b, a in zip(files, before, after, strict=False)
            )

        text = await self.stored(build)
        return web.Response(
            text=text,
            content_type="text/x-diff",
            charset="utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="revue.patch"',
                "Cache-Control": "no-store",
            },
        )


def setup(
    app: web.Application, rasa_url: str, store: ReviewStore | None = None, token: str | None = None
) -> None:
    """Add the routes; call after the app's own `on_response_prepare` (this one must run last)."""
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    training = TrainingData(
        nlu_file=Path(os.environ.get(NLU_ENV) or NLU_FILE),
        lexicon_file=Path(os.environ.get(LEXICON_ENV) or LEXICON_FILE),
        data_dir=NLU_FILE.parent,
    )
    review = Review(rasa_url, store or ReviewStore(), token, training)

    # A Response is a mapping, empty hence false: compared with None.
    async def get(request: web.Request) -> web.StreamResponse:
        refused = review.refused(request)
        return refused if refused is not None else await review.page(request)

    async def post(request: web.Request) -> web.StreamResponse:
        refused = review.refused(request)
        return refused if refused is not None else await review.decide(request)

    async def own_policy(request: web.Request, response: web.StreamResponse) -> None:
        if request.path in (PATH, PATCH_PATH):
            response.headers["Content-Security-Policy"] = CSP

    app.router.add_get(PATH, get)
    app.router.add_post(PATH, post)
    app.router.add_get(PATCH_PATH, review.patch)
    app.on_response_prepare.append(own_policy)
