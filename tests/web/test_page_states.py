"""The page as people use it, state by state, in Debian's chromium (no Rasa: seconds).

A stand-in bot (tests/web/pagekit.py) sends the real texts of
`actions.messages` and real orientations from the engine, in the order and
shape Rasa's socketio channel emits them. What is measured: the question and
its choices on the first 360×640 screen; the essential of an orientation on
the first 360×740 screen; what a screen reader is told; the conversation
after a reload; the fiche on one A4 page; the hand-over code from "oui" to
deletion; the keyboard alone; axe-core on every state.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from pagekit import PHONE, SMALL_PHONE, ScriptedBot, Watched, assert_no_violations, run_axe

CODE = re.compile(r"MOB-[0-9A-Z]{5}-[0-9A-Z]{5}")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
FOLLOW_UPS = ["La fiche", "Un autre besoin", "Changer de commune", "Recommencer"]
AXE_STATES = []  # (state, number of violations), printed at the end for the accessibility statement


def open_page(browser, app, bot, viewport=PHONE, path=""):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    watched = Watched(context.new_page())
    bot.route(watched.page)
    watched.page.goto(app.url + path)
    return watched


def wait_for_question(page, count=1):
    """The greeting (sent by the page itself) or a question, with its choices, announced."""
    page.locator("#messages .msg-bot").nth(count - 1).wait_for()
    page.locator("#quick-replies-list button").first.wait_for()
    page.wait_for_timeout(350)  # the announcement and the scroll follow the last event


def to_orientation(page, need="Passer le permis", situation="Au RSA", commune="Laval"):
    wait_for_question(page)
    page.get_by_role("button", name=need, exact=True).click()
    page.get_by_role("button", name=situation, exact=True).wait_for()
    page.wait_for_timeout(300)
    page.get_by_role("button", name=situation, exact=True).click()
    box = page.get_by_label("Votre message")
    page.locator("#messages .msg-bot", has_text="Dans quelle commune").wait_for()
    box.fill(commune)
    box.press("Enter")
    page.locator("#messages .msg-orientation").wait_for()
    page.locator("#quick-replies-list button", has_text="La fiche").wait_for()
    page.wait_for_timeout(350)


def inside(page, locator, viewport):
    """The element is entirely on the screen, below the sticky top bar."""
    bar = page.locator(".topbar").bounding_box()
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= bar["y"] + bar["height"] - 1
        and box["y"] + box["height"] <= viewport["height"] + 0.5
    )


@pytest.fixture
def bot(snapshot):
    return ScriptedBot(snapshot)


@pytest.fixture
def phone(browser, page_app, bot):
    watched = open_page(browser, page_app, bot)
    yield watched
    watched.page.context.close()


# ------------------------------------------------------------ phone first


def test_first_360x640_screen_holds_each_question_and_all_its_choices(browser, page_app, bot):
    watched = open_page(browser, page_app, bot, viewport=SMALL_PHONE)
    page = watched.page
    try:
        wait_for_question(page)
        assert bot.received == ["/greet"]  # the page greets: the first question needs no tap
        for step in range(2):
            question = page.locator("#messages .msg-bot").last
            buttons = page.locator("#quick-replies-list button").all()
            assert len(buttons) >= 7
            assert inside(page, question, SMALL_PHONE), (step, question.bounding_box())
            for b in buttons:
                assert inside(page, b, SMALL_PHONE), (step, b.inner_text(), b.bounding_box())
            # The choices come right after the question, before the box to type in.
            order = page.evaluate("""() => {
                const q = [...document.querySelectorAll('#messages .msg-bot')].pop();
                const c = document.getElementById('quick-replies');
                const f = document.getElementById('composer');
                return [q.compareDocumentPosition(c), c.compareDocumentPosition(f)];
            }""")
            assert order == [4, 4]  # DOCUMENT_POSITION_FOLLOWING
            if step == 0:
                page.get_by_role("button", name="Passer le permis").click()
                wait_for_question(page, 2)
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
        assert not watched.page_errors, watched.page_errors
    finally:
        page.context.close()


ESSENTIAL_CASES = [
    pytest.param("53130", "Passer le permis", "Au RSA", id="laval-rsa-permis-one-platform"),
    pytest.param("72181", "Avoir un véhicule", "Demandeur d'emploi", id="le-mans-vehicule"),
    pytest.param("44184", "Un conseil, je ne sais pas", "Jeune (16-25 ans)", id="saint-nazaire-conseil"),
    pytest.param("44109", "Avoir un véhicule", "Au RSA", id="nantes-no-platform"),
    pytest.param("49023", "Un conseil, je ne sais pas", "Au RSA", id="beaupreau-two-platforms"),
]


@pytest.mark.parametrize("code_insee, need, situation", ESSENTIAL_CASES)
def test_the_essential_of_an_orientation_is_on_the_first_360x740_screen(
    browser, page_app, snapshot, code_insee, need, situation
):
    bot = ScriptedBot(snapshot, code_insee=code_insee)
    watched = open_page(browser, page_app, bot)
    page = watched.page
    try:
        to_orientation(page, need, situation)
        block = page.locator("#messages .msg-orientation").last
        heading = block.get_by_role("heading", name="Votre orientation")
        assert inside(page, heading, PHONE)
        assert page.evaluate("document.activeElement.textContent") == "Votre orientation"
        first = block.locator(".card").first
        essentials = [block.locator(".orientation-lead"), first.locator(".card-title")]  # which platform
        essentials += first.locator(".service-line").all()  # what, with its access badge
        for item in essentials:
            assert inside(page, item, PHONE), (item.inner_text(), item.bounding_box())
        # Whom to ask: the card's line, or the bot's own line when several platforms fill the screen.
        whom = [first.locator(".prescriber").first, block.locator(".orientation-lead")]
        assert any(
            "À qui demander" in w.inner_text() or "Qui peut aider" in w.inner_text()
            for w in whom
            if w.count() and inside(page, w, PHONE)
        ), block.inner_text()
        for line in first.locator(".service-line").all():
            assert line.locator(".badge").first.inner_text() in (
                "Sur prescription",
                "Accès direct",
                "Accès à vérifier",
            )
        # One card per platform; its details folded.
        titles = block.locator(".card-title").all_inner_texts()
        assert len(titles) == len(set(titles))
        assert all(not d.get_attribute("open") for d in block.locator("details").all())
        replies = page.locator("#quick-replies-list button").all_inner_texts()
        assert replies == FOLLOW_UPS
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"orientation-{code_insee}-360x740.png"))
        assert not watched.page_errors, watched.page_errors
    finally:
        page.context.close()


def test_screen_reader_hears_the_short_answer_once_then_the_choices(phone):
    page = phone.page
    page.evaluate("""() => {
        window.__heard = [];
        new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach(
            (n) => window.__heard.push(n.textContent)))).observe(
            document.getElementById('announcer'), {childList: true});
    }""")
    to_orientation(page)
    heard = page.evaluate("window.__heard")
    lead = page.locator(".orientation-lead").inner_text()
    assert heard[-2:] == [lead, "Choix : " + ", ".join(FOLLOW_UPS) + "."], heard
    assert sum(lead in h for h in heard) == 1
    assert not any(
        "Détails et points à vérifier" in h or "Plateforme mobilité de la Mayenne\n" in h for h in heard
    )
    # Questions too: each was announced with its choices.
    assert any(h.startswith("Quelle est votre situation") for h in heard)
    assert "Choix : Au RSA, Demandeur d'emploi" in " ".join(heard)
    # Nothing else on the page speaks by itself: the card is reachable, not read out.
    live = page.evaluate("""() => [...document.querySelectorAll('[aria-live], [role=log], [role=alert]')]
                                   .map((n) => n.id || n.className)""")
    assert sorted(live) == ["announcer"], live
    assert page.locator("#announcer").get_attribute("aria-live") == "polite"
    assert page.evaluate("document.activeElement.textContent") == "Votre orientation"


def test_conversation_survives_a_reload_in_the_same_tab_or_says_it_starts_anew(phone, bot):
    page = phone.page
    to_orientation(page)
    shown = page.locator("#messages .msg").all_inner_texts()
    page.reload()
    page.locator("#messages .msg-orientation").wait_for()
    page.locator("#status:empty").wait_for(state="attached")
    assert page.locator("#messages .msg").all_inner_texts()[: len(shown)] == shown
    assert "reprend" in page.locator("#messages .msg-notice").last.inner_text()
    assert page.locator("#quick-replies-list button").all_inner_texts() == FOLLOW_UPS
    assert bot.received.count("/greet") == 1  # the bot still has the conversation: no new greeting
    page.get_by_role("button", name="La fiche").click()
    assert "Laval" in page.locator("#fiche").inner_text()
    page.keyboard.press("Escape")

    # Past the bot's memory (60 minutes), the page says it starts anew, and does.
    page.evaluate("""() => {
        const h = JSON.parse(sessionStorage.getItem('mobilite.historique'));
        h.saved -= 2 * 3600 * 1000;
        sessionStorage.setItem('mobilite.historique', JSON.stringify(h));
    }""")
    page.reload()
    wait_for_question(page)
    assert page.locator("#messages .msg-orientation").count() == 0
    assert (
        page.locator("#messages .msg-notice .msg-text").first.inner_text()
        == "La conversation précédente est effacée. Nous recommençons."
    )
    assert bot.received[-1] == "/greet"


def test_restart_forgets_what_the_tab_kept(phone, bot):
    page = phone.page
    to_orientation(page)
    page.get_by_role("button", name="Recommencer").last.click()  # the follow-up, as the top bar's
    page.locator("#messages .msg-bot", has_text="reparti").wait_for()
    assert page.locator("#messages .msg-orientation").count() == 0
    assert bot.received[-1] == "/restart"
    stored = json.loads(page.evaluate("sessionStorage.getItem('mobilite.historique')"))
    assert not any(item.get("k") == "user" for item in stored["items"])


def test_hard_words_open_their_definition_and_the_answer_can_be_heard(browser, page_app, bot):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    # The browser's own speech synthesis, observed: no sound in a test.
    context.add_init_script("""
        window.__spoken = [];
        Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
            speak(u) { window.__spoken.push(u.text); setTimeout(() => u.onend && u.onend(), 50); },
            cancel() {}, getVoices() { return []; }}});
    """)
    page = context.new_page()
    try:
        bot.route(page)
        page.goto(page_app.url)
        to_orientation(page)
        block = page.locator("#messages .msg-orientation")
        words = block.locator(".words .whatis").all_inner_texts()
        assert "Prescription, c’est quoi ?" in words and "RSA, c’est quoi ?" in words, words
        toggle = block.get_by_role("button", name="RSA, c’est quoi ?")
        definition = block.locator("#" + toggle.get_attribute("aria-controls"))
        assert definition.is_hidden()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert "revenu de solidarité active" in definition.inner_text().lower()
        listen = block.get_by_role("button", name="Écouter")
        listen.click()
        spoken = page.evaluate("window.__spoken")
        lead = page.locator(".orientation-lead").inner_text()
        assert len(spoken) == 1 and "•" not in spoken[0] and "Auto-école sociale" in spoken[0]
        assert spoken[0].startswith(lead.split("\n")[0])
        page.wait_for_timeout(200)
        assert listen.inner_text() == "Écouter"  # back once read
    finally:
        context.close()


def test_knowledge_base_text_stays_text_in_the_card_and_the_fiche(browser, page_app, snapshot):
    """The base is edited by hand: markup in a name is shown, never run."""
    bot = ScriptedBot(snapshot, code_insee="44109")  # no platform: the card names the prescriber
    answer = bot.answer

    def with_markup(message):
        out = answer(message)
        for m in out:
            if "orientation" in m:
                m["orientation"]["commune"]["nom"] = "Commune <b>test</b>"
                m["orientation"]["prescripteur"]["nom"] = "<img src=x onerror=alert(1)>"
        return out

    bot.answer = with_markup
    watched = open_page(browser, page_app, bot)
    page = watched.page
    try:
        to_orientation(page, "Avoir un véhicule")
        card = page.locator("#messages .msg-orientation .card")
        assert "Pas de plateforme de mobilité pour cette commune" in card.inner_text()
        assert "Commune <b>test</b>" in card.inner_text()
        assert "<img src=x onerror=alert(1)>" in card.inner_text()
        fiche = open_fiche(page).inner_text()
        assert "Commune <b>test</b>" in fiche and "Aucune plateforme de mobilité" in fiche
        assert page.evaluate("document.images.length") == 0
        assert not watched.dialogs and not watched.page_errors
    finally:
        page.context.close()


# ------------------------------------------------------------------ the fiche


def pdf_pages(page, name="fiche") -> int:
    """Prints as Chromium does (print media, A4), keeps the PDF in build/screenshots/, counts its pages."""
    pdf = page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def open_fiche(page):
    page.get_by_role("button", name="La fiche").click()
    fiche = page.locator("#fiche")
    fiche.locator(".fiche-summary").wait_for()
    return fiche


def test_fiche_prints_on_one_a4_page_with_what_a_prescriber_acts_on(phone):
    page = phone.page
    to_orientation(page)
    fiche = open_fiche(page)
    text = fiche.inner_text()
    today = datetime.date.today().strftime("%d/%m/%Y")
    assert f"Fiche établie le {today} par le site Mobilité insertion Pays de la Loire." in text
    summary = fiche.locator(".fiche-summary p").all_inner_texts()
    assert summary == [
        "Situation : bénéficiaire du RSA, 35 ans.",
        "Commune : Laval, Mayenne, 53.",
        "Besoin : passer le permis.",
    ]
    assert "Évaluation des heures de conduite : Sur prescription." in text
    assert "Auto-école sociale : Sur prescription." in text
    for heading in (
        "Résumé",
        "Services proposés",
        "Prochaine étape",
        "À apporter",
        "Contact de la plateforme",
        "Notes",
    ):
        assert fiche.get_by_role("heading", name=heading, exact=True).count() == 1, heading
    assert "Critères remplis" in text and "À vérifier" in text
    assert "Demander une prescription à : Référent RSA du Conseil départemental." in text
    assert fiche.locator(".fiche-fill .fill-line").count() >= 6  # lines to write on
    assert "ni nom" in text
    page.emulate_media(media="print")
    assert page.locator("#composer").is_hidden() and page.locator("#messages").is_hidden()
    assert fiche.is_hidden() and page.locator("#print-copy").is_visible()  # the fiche alone
    assert (
        page.locator("#print-copy").text_content()
        == "Fiche d’orientation" + fiche.locator("#fiche-body").text_content()
    )
    page.emulate_media(media="null")  # not "screen": page.pdf() would print screen styles
    assert pdf_pages(page) == 1
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    fiche.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.__printed") == 1
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent") == "La fiche"


def test_fiche_speaks_of_the_person_in_the_third_person_to_a_professional(browser, page_app, snapshot):
    bot = ScriptedBot(snapshot, professional=True)
    watched = open_page(browser, page_app, bot)
    page = watched.page
    try:
        to_orientation(page)
        text = open_fiche(page).locator("#fiche-body").inner_text()
        assert not re.search(r"\b(vous|votre|vos)\b", text, re.I), text
        assert pdf_pages(page, "fiche-professionnel") == 1
    finally:
        page.context.close()


def test_fiche_of_two_platforms_prints_on_at_most_one_page_each(browser, page_app, snapshot):
    bot = ScriptedBot(snapshot, code_insee="49023")  # Beaupréau-en-Mauges: Maine-et-Loire and Mobimauges
    watched = open_page(browser, page_app, bot)
    try:
        to_orientation(watched.page, "Un conseil, je ne sais pas")
        fiche = open_fiche(watched.page)
        assert fiche.locator(".fiche-platform").count() == 2
        assert pdf_pages(watched.page, "fiche-deux-plateformes") <= 2  # one A4 page per platform at most
    finally:
        watched.page.context.close()


def test_fiche_leaves_out_other_territories(browser, page_app, snapshot):
    bot = ScriptedBot(snapshot)
    answer = bot.answer

    def with_other_territories(message):
        out = answer(message)
        for m in out:
            if "orientation" in m:
                m["orientation"]["non_eligibles"] = [
                    {
                        "service": "Garage solidaire du Mans",
                        "service_id": "x",
                        "plateforme": "Sarthe",
                        "raison": "territoire",
                        "explication": "Hors du territoire.",
                    },
                    {
                        "service": "Auto-école jeunes",
                        "service_id": "y",
                        "plateforme": "Mayenne",
                        "raison": "age",
                        "explication": "Réservé aux moins de 26 ans.",
                    },
                ]
        return out

    bot.answer = with_other_territories
    watched = open_page(browser, page_app, bot)
    try:
        to_orientation(watched.page)
        text = open_fiche(watched.page).inner_text()
        assert "Garage solidaire du Mans" not in text and "Sarthe" not in text
        assert "Auto-école jeunes" in text and "Condition d’âge" in text
    finally:
        watched.page.context.close()


# ------------------------------------------------------------ the hand-over


def test_handover_code_from_oui_to_the_professional_page_and_deletion(browser, page_app, phone):
    page = phone.page
    to_orientation(page)
    fiche = open_fiche(page)
    assert fiche.locator("#handover-result").is_hidden()
    fiche.get_by_role("button", name="Donner à un professionnel").click()
    assert page.evaluate("document.activeElement.id") == "handover-title"
    assert_no_violations(run_axe(page, "#fiche"), "fiche")
    AXE_STATES.append(("fiche", 0))
    fiche.get_by_role("button", name="Oui, créer un code").click()
    code = fiche.locator("#handover-code")
    code.wait_for()
    assert CODE.fullmatch(code.inner_text())
    assert page.evaluate("document.activeElement.id") == "handover-code"
    assert "Valable jusqu’au" in fiche.locator("#handover-until").inner_text()
    assert f"Code de la fiche : {code.inner_text()}" in fiche.locator("#fiche-body").inner_text()
    assert_no_violations(run_axe(page, "#fiche"), "hand-over code")
    AXE_STATES.append(("hand-over code", 0))
    assert pdf_pages(page) == 1  # with its code line

    # Another device: the professional types the code, leniently.
    pro = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    other = pro.new_page()
    try:
        other.goto(page_app.url + "fiche")
        assert_no_violations(run_axe(other), "fiche form")
        AXE_STATES.append(("/fiche form", 0))
        other.get_by_label("Code de la fiche").fill(code.inner_text().lower().replace("-", " "))
        other.get_by_role("button", name="Ouvrir").click()
        other.locator("#shared-fiche .fiche-summary").wait_for()
        assert other.url.endswith("/fiche/" + code.inner_text())
        shown = other.locator("#shared-fiche").inner_text()
        assert "Laval" in shown and "Auto-école sociale : Sur prescription." in shown
        assert "bénéficiaire du RSA" in shown
        assert not re.search(r"\b(vous|votre)\b", other.locator("#fiche-body").inner_text(), re.I)
        assert_no_violations(run_axe(other), "handed-over fiche")
        AXE_STATES.append(("/fiche/<code>", 0))
        assert pdf_pages(other) == 1
        other.get_by_role("button", name="Supprimer cette fiche").click()
        other.get_by_text("Fiche supprimée. Le code ne fonctionne plus.").wait_for()
        other.reload()
        other.get_by_text("Ce code est inconnu ou a expiré").wait_for()
        assert_no_violations(run_axe(other), "unknown code")
    finally:
        pro.close()

    # The person's own "Supprimer ce code" still ends in the same state.
    fiche.get_by_role("button", name="Supprimer ce code").click()
    fiche.get_by_text("Code supprimé. La fiche n’est plus gardée.").wait_for()
    assert fiche.locator("#handover-ask").is_visible()


# ------------------------------------------------------------ keyboard alone


def test_keyboard_only_from_the_greeting_to_the_fiche(phone):
    page = phone.page
    wait_for_question(page)

    def tab_to(predicate, backwards=False, limit=30):
        for _ in range(limit):
            page.keyboard.press("Shift+Tab" if backwards else "Tab")
            if page.evaluate(predicate):
                return
        pytest.fail(f"Tab never reached {predicate}")

    tab_to("document.activeElement.textContent === 'Passer le permis'")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    page.keyboard.press("Enter")
    wait_for_question(page, 2)
    assert page.evaluate("document.activeElement.id") == "message-input"
    # The choices sit right before the box: one Shift+Tab back among them.
    tab_to("document.activeElement.textContent === 'Au RSA'", backwards=True)
    page.keyboard.press("Enter")
    page.locator("#messages .msg-bot", has_text="Dans quelle commune").wait_for()
    page.keyboard.type("Laval")
    page.keyboard.press("Enter")
    page.locator("#messages .msg-orientation").wait_for()
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.textContent") == "Votre orientation"
    tab_to("document.activeElement.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    assert page.locator("#messages details").first.get_attribute("open") is not None
    tab_to("document.activeElement.textContent === 'La fiche'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "Imprimer"
    tab_to("document.activeElement.textContent === 'Oui, créer un code'")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent") == "La fiche"


# ------------------------------------------------------------ axe, every state


def test_axe_finds_nothing_on_any_state_of_the_page(phone, browser, page_app):
    page = phone.page
    wait_for_question(page)
    states = [("start: greeting and choices", None)]
    assert_no_violations(run_axe(page), states[0][0])
    page.get_by_role("button", name="Passer le permis").click()
    wait_for_question(page, 2)
    assert_no_violations(run_axe(page), "question")
    page.get_by_role("button", name="Au RSA").click()
    page.locator("#messages .msg-bot", has_text="Dans quelle commune").wait_for()
    box = page.get_by_label("Votre message")
    box.fill("Laval")
    box.press("Enter")
    page.locator("#messages .msg-orientation").wait_for()
    page.wait_for_timeout(350)
    assert_no_violations(run_axe(page), "orientation")
    page.locator(".words .whatis").first.click()
    page.locator("#messages details summary").first.click()
    assert_no_violations(run_axe(page), "orientation, a definition and the details open")
    AXE_STATES.extend([("start", 0), ("question", 0), ("orientation", 0), ("orientation opened", 0)])
    page.set_viewport_size({"width": 320, "height": 640})  # reflow (WCAG 1.4.10)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    other = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR").new_page()
    try:
        for path in ("confidentialite", "accessibilite", "mentions-legales"):
            other.goto(page_app.url + path)
            assert_no_violations(run_axe(other), path)
            assert other.get_by_role("heading", level=1).count() == 1
            # Reflow: nothing scrolls sideways at 320 px (WCAG 1.4.10).
            assert other.evaluate("document.documentElement.scrollWidth") <= 320, path
            AXE_STATES.append((path, 0))
    finally:
        other.context.close()
    print("axe-core, 0 violations:", ", ".join(state for state, _ in AXE_STATES))
