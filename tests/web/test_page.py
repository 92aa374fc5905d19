"""The chat page against the real bot, driven by Debian's chromium.

`bot_servers` (tests/conftest.py) starts the action server and Rasa (REST +
socketio); this module starts `python -m web.app` in front of it. The
conversation is driven in general terms (wait for the orientation, whatever
the number of questions), so that the bot's wording can change. The page's
states one by one are tested faster with a stand-in bot in
test_page_states.py; here, what only the real servers can show.

With `--base-url` (tests/conftest.py) nothing is started: the same tests
talk to that site, e.g. `make prod` through nginx (tests/prod/test_13_browser.py)
or a running `make run` (`--base-url http://127.0.0.1:8080/`).
"""

import json
import re
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pagekit import PHONE, Watched, WebApp, assert_no_violations, needs_chromium, run_axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from orientation.text.messages import BESOIN_BUTTONS, RESTARTED

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "build" / "screenshots" / "orientation-card-360.png"
FIRST_REPLY_TIMEOUT = 90  # s: the greeting also warms the model up
REPLY_TIMEOUT = 30  # s
MAX_TURNS = 14
XSS_ANSWERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
# What a service line's badge says for each `prescription` of the payload (docs/orientation-rules.md §6, §8).
ACCESS_BADGES = {"oui": "Sur prescription", "non": "Accès direct", "non_precise": "Accès à vérifier"}
NEED_TITLES = [b["title"] for b in BESOIN_BUTTONS]

pytestmark = needs_chromium


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def web_url(request, base_url, tmp_path_factory):
    """The page in front of the real bot: the site given (--base-url), else one started here."""
    if base_url:
        yield base_url
        return
    bot_servers, kb_url = request.getfixturevalue("bot_servers"), request.getfixturevalue("kb_url")
    fiches = tmp_path_factory.mktemp("fiches-e2e") / "fiches.db"
    app = WebApp(
        bot_servers.rasa_url, {"KB_DATABASE_URL": kb_url, "FICHES_DATABASE_URL": f"sqlite:///{fiches}"}
    )
    yield app.url
    app.stop()


class Received:
    """What Rasa's socket sent the page (its `bot_uttered` events), read off the wire.

    The page is checked against these, not against what it shows of them.
    """

    def __init__(self, page):
        self.events: list[dict] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        # socket.io over engine.io 4: '42["bot_uttered",{...}]' (4 message, 2 event).
        match = re.match(r"42(?:/[^,\[]*,)?(\[.*)\Z", payload, re.S) if isinstance(payload, str) else None
        if match:
            name, *args = json.loads(match.group(1))
            if name == "bot_uttered" and args and isinstance(args[0], dict):
                self.events.append(args[0])

    def last(self, key: str):
        """The last value of `key` the bot sent (an orientation, a question marker)."""
        return next((e[key] for e in reversed(self.events) if key in e), None)

    def last_buttons(self) -> list[str]:
        return next(
            (
                [b["title"] for b in e["quick_replies"]]
                for e in reversed(self.events)
                if e.get("quick_replies")
            ),
            [],
        )


def _open_page(browser, web_url) -> Watched:
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    watched = Watched(context.new_page())
    watched.received = Received(watched.page)
    watched.page.goto(web_url)
    return watched


def _expected_cards(orientation) -> list[dict]:
    """The cards the page must show for an orientation: one per platform, in the payload's order,
    each service with its access badge, "Public à vérifier" and "Premier pas" where the payload says so."""
    cards = {}
    for s in orientation["services"]:
        badges = [ACCESS_BADGES[s["prescription"]]]
        badges += ["Public à vérifier"] if s["eligibilite"] == "a_verifier" else []
        badges += ["Premier pas"] if s["premier_pas"] else []
        cards.setdefault(s["plateforme"]["nom"], []).append({"nom": s["nom"], "badges": badges})
    return [{"title": title, "lines": lines} for title, lines in cards.items()]


def _shown_cards(block) -> list[dict]:
    return block.evaluate(
        """(b) => [...b.querySelectorAll('.card')].map((c) => ({
            title: c.querySelector('.card-title').textContent,
            lines: [...c.querySelectorAll('.service-line')].map((l) => ({
                nom: l.querySelector('.service-name').textContent,
                badges: [...l.querySelectorAll('.badge')].map((x) => x.textContent),
            })),
        }))"""
    )


def _whom_to_ask(orientation, services) -> str | None:
    """The card's "À qui demander" line: the prescribers named for its prescribed services, else the person's."""
    prescribed = [s for s in services if s["prescription"] == "oui"]
    if not prescribed:
        return None
    named = list(dict.fromkeys(p["nom"] for s in prescribed for p in s["prescripteurs"]))
    names = named or [orientation["prescripteur"]["nom"]]
    return "À qui demander : " + ", ".join(names)


@pytest.fixture
def watched(browser, web_url):
    watched = _open_page(browser, web_url)
    yield watched
    watched.page.context.close()


@pytest.fixture(scope="module")
def oriented(browser, web_url):
    """One conversation taken to the orientation, shared by the card, fiche,
    reload and accessibility tests (each leaves the page as it found it)."""
    watched = _open_page(browser, web_url)
    conversation = Conversation(watched.page)
    conversation.drive_to_orientation()
    yield watched, conversation
    watched.page.context.close()


# ------------------------------------------------------ driving the bot


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _asks_commune(question: str) -> bool:
    # "Dans quelle commune habitez-vous ?", "… ou donner le code postal ?",
    # "Vouliez-vous dire :", "Laquelle ?"; not the greeting's "votre commune".
    return bool(re.search(r"quelle (commune|ville)|habite|code postal|vouliez-vous dire|laquelle", question))


def _typed_answer(question: str) -> str:
    if _asks_commune(question):
        return "Laval"
    if re.search(r"situation|statut|rsa|emploi", question):
        return "RSA"
    if re.search(r"\bage\b|quel age|ans\b", question):
        return "35"
    return "permis"


PREFERRED_BUTTONS = ("rsa", "permis", "laval", "mayenne")


class Conversation:
    """Talks to the bot through the page as a person would."""

    def __init__(self, page):
        self.page = page
        self.by_button = []
        self.by_text = []

    # -- reading the page
    def bot_count(self) -> int:
        return self.page.locator("#messages .msg-bot").count()

    def last_bot_text(self) -> str:
        texts = self.page.locator("#messages .msg-bot .msg-text").all_text_contents()
        return texts[-1] if texts else ""

    def quick_replies(self):
        return self.page.locator("#quick-replies-list button").all()

    def has_orientation(self) -> bool:
        return self.page.locator("#messages .msg-orientation").count() > 0

    def transcript(self) -> str:
        return "\n".join(self.page.locator("#messages .msg").all_inner_texts()).replace("\n\n", "\n")

    # -- waiting
    def wait_for_reply(self, before: int, timeout: float = REPLY_TIMEOUT) -> None:
        """Wait for at least one new bot message, then for the end of the bot's turn (the page
        marks the conversation busy until the server says the turn is over)."""
        try:
            self.page.locator("#messages .msg-bot").nth(before).wait_for(
                state="attached", timeout=timeout * 1000
            )
            self.page.locator('#messages[aria-busy="false"]').wait_for(
                state="attached", timeout=timeout * 1000
            )
        except PlaywrightTimeout:
            pytest.fail(f"the bot did not answer within {timeout} s:\n{self.transcript()}")

    # -- talking
    def say(self, text: str, timeout: float = REPLY_TIMEOUT) -> None:
        before = self.bot_count()
        box = self.page.get_by_label("Votre message")
        box.fill(text)
        box.press("Enter")
        self.wait_for_reply(before, timeout)

    def click(self, button) -> str:
        title = button.inner_text()
        before = self.bot_count()
        button.click()
        self.wait_for_reply(before)
        return title

    def answer(self, commune_answers=None) -> None:
        """Answer the last question: a relevant button, else the first one;
        the commune is typed (it is free text in the bot's design)."""
        question = _plain(self.last_bot_text())
        buttons = self.quick_replies()
        if _asks_commune(question) and commune_answers:
            text = commune_answers.pop(0)
            self.by_text.append(text)
            self.say(text)
            return
        if buttons and not _asks_commune(question):
            chosen = next(
                (b for b in buttons if any(word in _plain(b.inner_text()) for word in PREFERRED_BUTTONS)),
                buttons[0],
            )
            self.by_button.append(self.click(chosen))
            return
        if buttons:  # communes offered as buttons (homonyms, spelling)
            laval = [b for b in buttons if "laval" in _plain(b.inner_text())]
            self.by_button.append(self.click((laval or buttons)[0]))
            return
        text = _typed_answer(question)
        self.by_text.append(text)
        self.say(text)

    def start(self) -> None:
        """The page greets by itself: wait for the greeting and its choices."""
        self.wait_for_reply(0, FIRST_REPLY_TIMEOUT)

    def drive_to_orientation(self) -> None:
        self.start()
        for _ in range(MAX_TURNS):
            if self.has_orientation():
                self.page.wait_for_timeout(400)  # the announcement and the focus follow
                return
            self.answer(commune_answers=["Laval"])
        pytest.fail(f"no orientation after {MAX_TURNS} answers:\n{self.transcript()}")

    def drive_to_commune_question(self) -> None:
        self.start()
        for _ in range(MAX_TURNS):
            if _asks_commune(_plain(self.last_bot_text())):
                return
            self.answer()
        pytest.fail(f"the bot never asked for the commune:\n{self.transcript()}")


# ------------------------------------------------------------------ tests


def test_conversation_reaches_an_orientation_with_badges_and_whom_to_ask(oriented):
    """The card shows what the bot sent: each platform, each service, its badges, whom to ask."""
    watched, conversation = oriented
    page = watched.page
    assert conversation.by_button, "no question was answered with a choice:\n" + conversation.transcript()
    assert conversation.by_text, "no question was answered by typing:\n" + conversation.transcript()
    orientation = watched.received.last("orientation")
    assert orientation is not None, "no orientation on the socket:\n" + conversation.transcript()
    assert orientation["commune"]["code_insee"] == "53130", orientation["commune"]  # "Laval", typed
    assert orientation["services"], f"nothing proposed ({orientation['statut']}): the cards are not tested"

    block = page.locator("#messages .msg-orientation").last
    assert page.evaluate("document.activeElement.textContent") == "Votre orientation"
    assert _shown_cards(block) == _expected_cards(orientation)
    for card in _expected_cards(orientation):
        services = [s for s in orientation["services"] if s["plateforme"]["nom"] == card["title"]]
        shown = block.locator(".card", has=page.locator(".card-title", has_text=card["title"]))
        expected = _whom_to_ask(orientation, services)
        assert shown.locator(".prescriber").all_inner_texts() == ([expected] if expected else []), card[
            "title"
        ]
    # The bot's own words lead the block once: the text message became its first lines.
    lead = block.locator(".orientation-lead").inner_text()
    assert " ".join(lead.split()) == " ".join(watched.received.last("texte").split())
    assert page.locator("#messages .msg-bot .msg-text", has_text=lead[:40]).count() == 1
    assert page.locator("#quick-replies-list button").all_inner_texts()[0] == "La fiche"

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    block.evaluate("(b) => b.scrollIntoView({block: 'start', behavior: 'instant'})")
    page.screenshot(path=str(SCREENSHOT), animations="disabled")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 360 px ({width} px)"
    assert not watched.page_errors, watched.page_errors


def test_fiche_of_a_real_orientation_prints_on_one_page(oriented):
    page = oriented[0].page
    orientation = oriented[0].received.last("orientation")
    page.get_by_role("button", name="La fiche").click()
    fiche = page.locator("#fiche")
    try:
        text = fiche.inner_text()
        assert orientation["commune"]["nom"] in text and "Prochaine étape" in text
        for s in orientation["services"]:  # every service the bot proposed, with its access
            assert s["nom"] in text and ACCESS_BADGES[s["prescription"]] in text, s["id"]
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
        assert_no_violations(run_axe(page, "#fiche"), "fiche")
    finally:
        page.keyboard.press("Escape")


def test_axe_finds_nothing_on_a_real_orientation(oriented):
    assert_no_violations(run_axe(oriented[0].page), "orientation")


def test_reload_keeps_the_conversation_and_the_bot_goes_on(browser, web_url):
    watched = _open_page(browser, web_url)
    page = watched.page
    try:
        conversation = Conversation(page)
        conversation.drive_to_orientation()
        shown = page.locator("#messages .msg").count()
        page.reload()
        page.locator("#messages .msg-orientation").wait_for()
        page.locator("#status:empty").wait_for(state="attached")
        assert page.locator("#messages .msg").count() == shown + 1  # and the notice
        # Same session: the bot remembers the profile and asks only for the new need.
        conversation.click(page.get_by_role("button", name="Un autre besoin"))
        assert watched.received.last("question") == "besoin", conversation.transcript()
        assert [b.inner_text() for b in conversation.quick_replies()] == NEED_TITLES
        assert not watched.page_errors, watched.page_errors
    finally:
        page.context.close()


def test_markup_typed_as_a_commune_stays_text(watched):
    page = watched.page
    conversation = Conversation(page)
    conversation.drive_to_commune_question()
    for text in XSS_ANSWERS:
        conversation.say(text)
    shown = page.locator("#messages .msg-user .msg-text").all_text_contents()
    for text in XSS_ANSWERS:
        assert text in shown
    assert page.locator("#messages script, #messages img").count() == 0
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.scripts.length") == 5  # socket.io, dom, glossary, fiche, chat
    page.wait_for_timeout(500)
    assert not watched.dialogs, watched.dialogs
    assert not watched.page_errors, watched.page_errors


def test_keyboard_only_with_the_real_bot(watched):
    page = watched.page
    conversation = Conversation(page)
    conversation.start()
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#quick-replies-list')"):
            break
    else:
        pytest.fail("Tab never reached a choice")
    title = page.evaluate("document.activeElement.textContent")
    before = conversation.bot_count()
    page.keyboard.press("Enter")
    conversation.wait_for_reply(before)
    assert page.locator("#messages .msg-user .msg-text").last.inner_text() == title
    assert page.evaluate("document.activeElement.id") == "message-input"
    for _ in range(MAX_TURNS):  # then type every answer, as someone who prefers to
        if conversation.has_orientation():
            break
        before = conversation.bot_count()
        page.keyboard.type(_typed_answer(_plain(conversation.last_bot_text())))
        page.keyboard.press("Enter")
        conversation.wait_for_reply(before)
    else:
        pytest.fail("no orientation by keyboard:\n" + conversation.transcript())
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.textContent") == "Votre orientation"


def test_restart_clears_the_view_and_keeps_talking(watched):
    page = watched.page
    conversation = Conversation(page)
    conversation.start()
    session = page.evaluate("sessionStorage.getItem('mobilite.session_id')")
    assert session
    conversation.click(conversation.quick_replies()[0])

    page.mouse.wheel(0, 5000)
    box = page.get_by_role("button", name="Recommencer").bounding_box()
    assert box and 0 <= box["y"] < PHONE["height"], "Recommencer scrolled out of view"

    before = conversation.bot_count()
    page.get_by_role("button", name="Recommencer").click()
    assert page.locator("#messages .msg-user").count() == 0
    assert page.evaluate("document.activeElement.id") == "message-input"
    conversation.wait_for_reply(0)  # the bot says it starts again, and asks for the need
    assert watched.received.last("text") == RESTARTED
    assert page.evaluate("[...document.querySelectorAll('#messages .msg-bot')].pop().botText") == RESTARTED
    assert [b.inner_text() for b in conversation.quick_replies()] == NEED_TITLES
    assert page.evaluate("sessionStorage.getItem('mobilite.session_id')") == session
    assert before > 0


def test_input_is_labelled_and_limited_to_500_characters(watched):
    page = watched.page
    box = page.get_by_label("Votre message")
    assert box.get_attribute("maxlength") == "500"
    box.fill("a" * 600)
    assert len(box.input_value()) == 500
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).count() == 1
    privacy = page.get_by_role("link", name="Vos données").first
    assert privacy.get_attribute("href") == "/confidentialite"


def test_security_headers(web_url, watched):
    with urllib.request.urlopen(web_url + "config.json", timeout=5) as response:
        rasa = json.loads(response.read())["rasa_url"].rstrip("/")  # the bot's address, as the page has it
    host = rasa.split("://", 1)[1]
    for path in (
        "",
        "config.json",
        "static/chat.js",
        "static/vendor/socket.io.min.js",
        "glossaire.json",
        "libelles.json",
        "fiche",
        "fiche/MOB-00000-00000",
        "api/fiches/MOB-00000-00000",
        "confidentialite",
        "accessibilite",
        "mentions-legales",
        "no-such-page",
    ):
        try:
            response = urllib.request.urlopen(web_url + path, timeout=5)
        except urllib.error.HTTPError as error:
            response = error
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
        assert directives["default-src"] == "'self'", path
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["connect-src"].split() == ["'self'", rasa, f"ws://{host}"], path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path

    # The page keeps to the policy: no inline script or style to allow.
    page = watched.page
    Conversation(page).start()
    assert page.evaluate("[...document.scripts].every((s) => s.src && !s.text.trim())")
    assert page.locator("style, [style]").count() == 0
    assert not [e for e in watched.console_errors if "Content Security Policy" in e]
