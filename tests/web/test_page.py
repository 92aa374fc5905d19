"""The chat page, driven by Debian's chromium against the real bot.

`bot_servers` (tests/conftest.py) starts the action server and Rasa (REST +
socketio); this module starts `python -m web.app` in front of it. The
conversation is driven in general terms (wait for the orientation card,
whatever the number of questions), so that the bot's wording can change.
"""

import datetime
import json
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOT = REPO / "build" / "screenshots" / "orientation-card-360.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
FIRST_REPLY_TIMEOUT = 90  # s: the first message also warms the model up
REPLY_TIMEOUT = 30  # s
MAX_TURNS = 14
XSS_ANSWERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing (apt-get install -y chromium); "
    "the page tests never download a browser",
)


# ---------------------------------------------------------------- fixtures


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def web_url(bot_servers):
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--rasa-url",
            bot_servers.rasa_url,
        ],
        cwd=REPO,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "config.json", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("python -m web.app did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Watched:
    """A page and what it did that a test may want to refuse."""

    def __init__(self, page):
        self.page = page
        self.dialogs = []
        self.console_errors = []
        self.page_errors = []
        page.on("dialog", self._on_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)


def _open_page(browser, web_url) -> Watched:
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    watched = Watched(context.new_page())
    watched.page.goto(web_url)
    # Waits go through locators: page.wait_for_function evaluates its predicate
    # with eval, which the page's CSP forbids.
    watched.page.locator("#status:empty").wait_for(state="attached", timeout=30_000)
    return watched


@pytest.fixture
def watched(browser, web_url):
    watched = _open_page(browser, web_url)
    yield watched
    watched.page.context.close()


@pytest.fixture(scope="module")
def oriented(browser, web_url):
    """One conversation taken to the orientation card, shared by the card,
    fiche and accessibility tests (each leaves the page as it found it)."""
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
    return bool(re.search(
        r"quelle (commune|ville)|habite|code postal|vouliez-vous dire|laquelle", question))


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
        return self.page.locator("#messages .orientation").count() > 0

    def transcript(self) -> str:
        return "\n".join(
            self.page.locator("#messages .msg").all_inner_texts()
        ).replace("\n\n", "\n")

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
                (
                    b
                    for b in buttons
                    if any(word in _plain(b.inner_text()) for word in PREFERRED_BUTTONS)
                ),
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
        self.say("Bonjour", timeout=FIRST_REPLY_TIMEOUT)

    def drive_to_orientation(self) -> None:
        self.start()
        for _ in range(MAX_TURNS):
            if self.has_orientation():
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


def run_axe(page, context_selector="body"):
    """Inject the vendored axe-core (through the DevTools protocol, which the
    page's CSP does not govern) and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "async (selector) => (await axe.run(document.querySelector(selector), "
        "{resultTypes: ['violations']})).violations",
        context_selector,
    )


def assert_no_serious_violations(violations, where):
    others = [v for v in violations if v["impact"] not in ("serious", "critical")]
    for v in others:
        print(f"axe ({where}) {v['impact']}: {v['id']} - {v['help']} "
              f"({len(v['nodes'])} node(s))")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe ({where}): " + json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]]}
            for v in serious
        ],
        indent=1,
        ensure_ascii=False,
    )


# ------------------------------------------------------------------ tests


def test_conversation_reaches_an_orientation_card_with_badge_and_prescriber(oriented):
    watched, conversation = oriented
    page = watched.page
    assert conversation.by_button, (
        "no question was answered with a quick reply:\n" + conversation.transcript()
    )
    assert conversation.by_text, (
        "no question was answered by typing:\n" + conversation.transcript()
    )

    cards = page.locator("#messages .orientation .card")
    assert cards.count() >= 1
    badges = page.locator("#messages .orientation .badge").all_inner_texts()
    assert set(badges) <= {"Sur prescription", "Accès direct", "Accès à vérifier", "Public à vérifier",
                           "Premier pas"}, badges
    # Laval / RSA / permis: the Mayenne platform's services are prescribed.
    prescribed = page.locator("#messages .orientation .card", has_text="Sur prescription")
    assert prescribed.count() >= 1, conversation.transcript()
    first = prescribed.first
    assert first.locator(".card-title").inner_text().strip()
    assert first.locator(".card-platform").inner_text().startswith("Plateforme")
    prescriber = first.locator(".prescribers li, .prescriber-name").all_inner_texts()
    assert any(name.strip() for name in prescriber), first.inner_text()
    assert "À qui demander" in first.inner_text()

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    # Scroll it below the sticky top bar, so that the shot shows the card whole.
    first.evaluate("(card) => card.scrollIntoView({block: 'start', behavior: 'instant'})")
    first.screenshot(path=str(SCREENSHOT), animations="disabled")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 360 px ({width} px)"
    assert not watched.page_errors, watched.page_errors


def test_fiche_d_orientation_lists_what_a_social_worker_needs(oriented):
    watched, conversation = oriented
    page = watched.page
    service = (
        page.locator("#messages .orientation .card .card-title").first.inner_text().strip()
    )
    page.get_by_role("button", name="Fiche d’orientation").last.click()
    fiche = page.locator("#fiche")
    assert fiche.is_visible()
    text = fiche.inner_text()
    for heading in ("Profil", "Commune", "Services proposés", "Services non accessibles",
                    "Prescripteur à contacter", "Sources"):
        assert fiche.get_by_role("heading", name=heading, exact=True).count() == 1, heading
    for label in ("Situation :", "Besoin :", "Âge :", "Code INSEE :", "Département :",
                  "Date des connaissances :"):
        assert label in text, label
    assert "Laval" in text
    assert re.search(r"Code INSEE : \d[\dAB]\d{3}", text), text
    assert service in text
    assert "Sur prescription" in text
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert f"Fiche établie le {today}" in text
    assert "ni le nom" in text  # says it holds no identity
    assert re.search(r"Date des connaissances : \d{2}/\d{2}/\d{4}", text), text

    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    fiche.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    assert page.locator("#composer").is_hidden()
    assert page.locator("#messages").is_hidden()
    assert fiche.is_visible()
    page.emulate_media(media="screen")

    page.keyboard.press("Escape")
    assert fiche.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Fiche d’orientation"


def test_axe_finds_no_serious_violation(oriented, watched):
    assert_no_serious_violations(run_axe(watched.page), "empty page")
    page = oriented[0].page
    assert_no_serious_violations(run_axe(page), "orientation card")
    page.get_by_role("button", name="Fiche d’orientation").last.click()
    try:
        assert_no_serious_violations(run_axe(page, "#fiche"), "fiche")
    finally:
        page.keyboard.press("Escape")


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
    assert page.evaluate("document.scripts.length") == 2  # socket.io + chat.js
    page.wait_for_timeout(500)
    assert not watched.dialogs, watched.dialogs
    assert not watched.page_errors, watched.page_errors


def test_log_is_a_live_region_that_receives_each_message(watched):
    page = watched.page
    log = page.locator("#messages")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    page.evaluate(
        """() => {
          window.__added = [];
          new MutationObserver((records) => records.forEach((r) =>
            r.addedNodes.forEach((n) => window.__added.push(n.textContent))))
            .observe(document.getElementById('messages'), {childList: true});
        }"""
    )
    conversation = Conversation(page)
    conversation.start()
    added = page.evaluate("window.__added")
    assert any("Bonjour" in text for text in added)
    assert conversation.last_bot_text()
    assert any(conversation.last_bot_text() in text for text in added), added


def test_keyboard_only(watched):
    page = watched.page
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "message-input":
            break
    else:
        pytest.fail("Tab never reached the message input")

    conversation = Conversation(page)
    before = conversation.bot_count()
    page.keyboard.type("Bonjour")
    page.keyboard.press("Enter")
    conversation.wait_for_reply(before, FIRST_REPLY_TIMEOUT)
    assert page.evaluate("document.activeElement.id") == "message-input"

    for _ in range(MAX_TURNS):  # answer by typing until the bot offers buttons
        if conversation.quick_replies():
            break
        before = conversation.bot_count()
        page.keyboard.type(_typed_answer(_plain(conversation.last_bot_text())))
        page.keyboard.press("Enter")
        conversation.wait_for_reply(before)
    else:
        pytest.fail("the bot never offered quick replies:\n" + conversation.transcript())

    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#quick-replies-list')"):
            break
    else:
        pytest.fail("Tab never reached a quick reply")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2, f"focus not visible: {outline}"
    title = page.evaluate("document.activeElement.textContent")
    before = conversation.bot_count()
    page.keyboard.press("Enter")
    conversation.wait_for_reply(before)
    assert page.locator("#messages .msg-user .msg-text").last.inner_text() == title
    assert page.evaluate("document.activeElement.id") == "message-input"


def test_restart_clears_the_view_and_keeps_talking(watched):
    page = watched.page
    conversation = Conversation(page)
    conversation.start()
    session = page.evaluate("sessionStorage.getItem('mobilite.session_id')")
    assert session

    page.mouse.wheel(0, 5000)
    box = page.get_by_role("button", name="Recommencer").bounding_box()
    assert box and 0 <= box["y"] < PHONE["height"], "Recommencer scrolled out of view"

    page.get_by_role("button", name="Recommencer").click()
    assert page.locator("#messages .msg-user").count() == 0
    assert page.evaluate("document.activeElement.id") == "message-input"
    conversation.settle()  # whatever the bot says to /restart
    conversation.start()
    assert page.locator("#messages .msg-user").count() == 1
    assert page.evaluate("sessionStorage.getItem('mobilite.session_id')") == session


def test_input_is_labelled_and_limited_to_500_characters(watched):
    page = watched.page
    box = page.get_by_label("Votre message")
    assert box.get_attribute("maxlength") == "500"
    box.fill("a" * 600)
    assert len(box.input_value()) == 500
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.get_by_role("heading", name="Ce que nous gardons").is_visible()


def test_security_headers(web_url, bot_servers, watched):
    rasa = bot_servers.rasa_url.rstrip("/")
    host = rasa.split("://", 1)[1]
    for path in ("", "config.json", "static/chat.js", "static/vendor/socket.io.min.js",
                 "no-such-page"):
        try:
            response = urllib.request.urlopen(web_url + path, timeout=5)
        except urllib.error.HTTPError as error:
            response = error
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        directives = dict(
            (d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip()
        )
        assert directives["default-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["connect-src"].split() == ["'self'", rasa, f"ws://{host}"], path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path

    # The page keeps to the policy: no inline script or style to allow.
    page = watched.page
    assert page.evaluate("[...document.scripts].every((s) => s.src && !s.text.trim())")
    assert page.locator("style, [style]").count() == 0
    assert not [e for e in watched.console_errors if "Content Security Policy" in e]


NO_PLATFORM = {
    "orientation": {
        "statut": "aucune_plateforme",
        "commune": {"nom": "Commune <b>test</b>", "code_insee": "49007",
                    "departement": "49", "departement_nom": "Maine-et-Loire"},
        "profil": {"situations": ["salarie"], "situation": "salarie", "besoin": "vehicule", "age": 40},
        "plateformes": [],
        "services": [],
        "non_eligibles": [],
        "prescripteur": {"id": "france-travail", "nom": "France Travail",
                         "comment_joindre": "Appelez le 3949.",
                         "pourquoi": "Il connaît les aides de votre territoire."},
        "sources": [],
        "date_connaissances": "2017-12-11",
    }
}


def _mock_rasa_socket(page, bot_messages):
    """Stand in for Rasa's socket.io endpoint (Engine.IO 4 frames), for the
    statuses the real knowledge may not produce. Answers every user message
    with `bot_messages`."""

    def handler(ws):
        ws.send('0{"sid":"mock","upgrades":[],"pingInterval":25000,'
                '"pingTimeout":20000,"maxPayload":1000000}')

        def on_message(frame):
            if frame == "40":
                ws.send('40{"sid":"mock-socket"}')
            elif frame.startswith("42"):
                event, data = json.loads(frame[2:])
                if event == "session_request":
                    ws.send("42" + json.dumps(["session_confirm", "mock-session"]))
                elif event == "user_uttered":
                    for message in bot_messages:
                        ws.send("42" + json.dumps(["bot_uttered", message]))

        ws.on_message(on_message)

    page.route_web_socket(re.compile(r"/socket\.io/"), handler)


def test_no_platform_card_names_the_prescriber(browser, web_url):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        _mock_rasa_socket(page, [NO_PLATFORM, {"text": "Voici à qui vous adresser."}])
        page.goto(web_url)
        page.locator("#status:empty").wait_for(state="attached")
        Conversation(page).say("Bonjour")
        card = page.locator("#messages .orientation .card")
        assert card.count() == 1
        text = card.inner_text()
        assert "Pas de plateforme de mobilité pour votre commune" in text
        assert "France Travail" in text and "Appelez le 3949." in text
        assert "Commune <b>test</b>" in text
        assert card.locator(".badge").count() == 0
        page.get_by_role("button", name="Fiche d’orientation").click()
        fiche = page.locator("#fiche").inner_text()
        assert "Aucune plateforme de mobilité ne couvre cette commune." in fiche
        assert "Âge : 40 ans" in fiche and "Code INSEE : 49007" in fiche
        assert "49 – Maine-et-Loire" in fiche
    finally:
        context.close()
