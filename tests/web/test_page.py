"""The chat page against the real bot, driven by Debian's chromium.

`bot_servers` (tests/conftest.py) starts the action server and Rasa (REST +
socketio); this module starts `python -m web.app` in front of it. The
conversation is driven in general terms (wait for the orientation, whatever
the number of questions), so that the bot's wording can change. The page's
states one by one are tested faster with a stand-in bot in
test_page_states.py; here, what only the real servers can show.
"""

import re
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pagekit import PHONE, Watched, WebApp, assert_no_violations, needs_chromium, run_axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "build" / "screenshots" / "orientation-card-360.png"
FIRST_REPLY_TIMEOUT = 90  # s: the greeting also warms the model up
REPLY_TIMEOUT = 30  # s
MAX_TURNS = 14
XSS_ANSWERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]

pytestmark = needs_chromium


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def web_url(bot_servers, kb_url, tmp_path_factory):
    fiches = tmp_path_factory.mktemp("fiches-e2e") / "fiches.db"
    app = WebApp(
        bot_servers.rasa_url, {"KB_DATABASE_URL": kb_url, "FICHES_DATABASE_URL": f"sqlite:///{fiches}"}
    )
    yield app.url
    app.stop()


def _open_page(browser, web_url) -> Watched:
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    watched = Watched(context.new_page())
    watched.page.goto(web_url)
    return watched


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
        """Wait for at least one new bot message, then for the bot to be quiet."""
        try:
            self.page.locator("#messages .msg-bot").nth(before).wait_for(
                state="attached", timeout=timeout * 1000
            )
        except PlaywrightTimeout:
            pytest.fail(f"the bot did not answer within {timeout} s:\n{self.transcript()}")
        self.settle()
        if not self.quick_replies() and not self.has_orientation():
            if not self.last_bot_text().rstrip().endswith("?"):
                self.settle(quiet=2.5)  # a slower action may still be talking

    def settle(self, quiet: float = 1.0) -> None:
        count, since = self.bot_count(), time.monotonic()
        while time.monotonic() - since < quiet:
            self.page.wait_for_timeout(150)
            now = self.bot_count()
            if now != count:
                count, since = now, time.monotonic()

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
    watched, conversation = oriented
    page = watched.page
    assert conversation.by_button, "no question was answered with a choice:\n" + conversation.transcript()
    assert conversation.by_text, "no question was answered by typing:\n" + conversation.transcript()

    block = page.locator("#messages .msg-orientation").last
    assert page.evaluate("document.activeElement.textContent") == "Votre orientation"
    badges = block.locator(".badge").all_inner_texts()
    assert set(badges) <= {
        "Sur prescription",
        "Accès direct",
        "Accès à vérifier",
        "Public à vérifier",
        "Premier pas",
    }, badges
    # Laval / RSA / permis: the Mayenne platform's services are prescribed, in one card.
    card = block.locator(".card", has_text="Plateforme mobilité de la Mayenne")
    assert card.count() == 1, conversation.transcript()
    assert "Sur prescription" in badges
    assert card.locator(".prescriber").first.inner_text().startswith("À qui demander : ")
    # The bot's own words lead the block once: the text message became its first lines.
    lead = block.locator(".orientation-lead").inner_text()
    assert lead and page.locator("#messages .msg-bot .msg-text", has_text=lead[:40]).count() == 1
    assert page.locator("#quick-replies-list button").all_inner_texts()[0] == "La fiche"

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    block.evaluate("(b) => b.scrollIntoView({block: 'start', behavior: 'instant'})")
    page.screenshot(path=str(SCREENSHOT), animations="disabled")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 360 px ({width} px)"
    assert not watched.page_errors, watched.page_errors


def test_fiche_of_a_real_orientation_prints_on_one_page(oriented):
    page = oriented[0].page
    page.get_by_role("button", name="La fiche").click()
    fiche = page.locator("#fiche")
    try:
        text = fiche.inner_text()
        assert "Laval" in text and "Sur prescription" in text and "Prochaine étape" in text
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
        assert conversation.quick_replies(), conversation.transcript()
        assert not _asks_commune(_plain(conversation.last_bot_text()))
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
    assert conversation.quick_replies()
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


def test_security_headers(web_url, bot_servers, watched):
    rasa = bot_servers.rasa_url.rstrip("/")
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
