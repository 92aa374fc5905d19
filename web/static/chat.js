/* Chat page for Rasa's socketio channel (Rasa 3.6, session_persistence: true).
 *
 * Phone first: the choices sit right under the question they answer; an
 * orientation is one block whose essential fits the first screen, one card
 * per platform with the details folded, then the follow-up choices.
 * Screen readers: a hidden live region announces the bot's short text once,
 * then the choices; the card is not read by itself; focus goes to "Votre
 * orientation". What was shown is kept in sessionStorage and shown again
 * after a reload in the same tab, or the page says that it starts anew.
 */
(function () {
  "use strict";

  var dom = window.MobiliteDom;
  var Fiche = window.MobiliteFiche;
  var Mots = window.MobiliteMots;
  var el = dom.el, append = dom.append, asArray = dom.asArray;

  var SESSION_KEY = "mobilite.session_id";
  var HISTORY_KEY = "mobilite.historique";
  var CODES_KEY = "mobilite.codes";
  var MAX_LENGTH = 500;
  var MAX_HISTORY = 200;
  // The bot forgets a conversation 60 minutes after its last message (endpoints.yml).
  var HISTORY_TTL = 55 * 60 * 1000;
  // The bot's text, its choices and its payload come as separate events: announce them together.
  var ANNOUNCE_DELAY = 200;
  // commune_inconnue / commune_ambigue: the bot's text asks again, no card.
  var CARD_STATUSES = ["orientation", "premier_pas", "aucune_plateforme", "aucun_service"];

  var messages = document.getElementById("messages");
  var statusLine = document.getElementById("status");
  var announcer = document.getElementById("announcer");
  var form = document.getElementById("composer");
  var input = document.getElementById("message-input");
  var quickReplies = document.getElementById("quick-replies");
  var quickRepliesList = document.getElementById("quick-replies-list");
  var topbar = document.querySelector(".topbar");
  var fiche = document.getElementById("fiche");
  var ficheBody = document.getElementById("fiche-body");
  var printCopy = document.getElementById("print-copy");
  var handover = {
    ask: document.getElementById("handover-ask"),
    yes: document.getElementById("handover-yes"),
    result: document.getElementById("handover-result"),
    code: document.getElementById("handover-code"),
    until: document.getElementById("handover-until"),
    where: document.getElementById("handover-url"),
    remove: document.getElementById("handover-delete"),
    status: document.getElementById("handover-status")
  };

  var socket = null;
  var sessionId = storage("get", SESSION_KEY);
  var sessionReady = false;
  var greetWhenReady = false;
  var pending = [];
  var history = [];
  var labels = {};
  var latestOrientation = null;
  var currentButtons = [];  // the bot's last choices
  var batch = null;  // what arrived since the last announcement
  var blockCount = 0;

  // ---- storage (a private window may refuse it) ----

  function storage(op, key, value) {
    try {
      if (op === "get") return window.sessionStorage.getItem(key);
      if (op === "set") return window.sessionStorage.setItem(key, value);
      return window.sessionStorage.removeItem(key);
    } catch (e) { return null; }
  }

  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
    storage("set", HISTORY_KEY, JSON.stringify({ saved: Date.now(), items: history }));
  }

  function storedHistory() {
    try {
      var stored = JSON.parse(storage("get", HISTORY_KEY) || "null");
      if (stored && Array.isArray(stored.items) && Date.now() - stored.saved < HISTORY_TTL) return stored.items;
    } catch (e) { /* unreadable: start anew */ }
    return null;
  }

  function forgetConversation() {
    history = [];
    storage("remove", HISTORY_KEY);
    storage("remove", CODES_KEY);
  }

  function setStatus(text) {
    statusLine.textContent = text;
  }

  // ---- announcements (the hidden live region) ----

  function announce(text) {
    if (!text) return;
    announcer.appendChild(el("p", null, text));
    while (announcer.childNodes.length > 4) announcer.removeChild(announcer.firstChild);
  }

  function inBatch() {
    if (!batch) {
      batch = { texts: [], choices: null, first: null, block: null };
      window.setTimeout(flush, ANNOUNCE_DELAY);
    }
    return batch;
  }

  function flush() {
    var done = batch;
    batch = null;
    if (!done) return;
    announce(done.texts.join(" "));
    if (done.choices && done.choices.length) announce("Choix : " + done.choices.join(", ") + ".");
    if (done.block) {
      showAtTop(done.block);
      done.block.querySelector(".orientation-title").focus({ preventScroll: true });
    } else if (done.first) {
      showQuestion(done.first);
    }
  }

  // ---- scrolling: the question and its choices, or the answer, on one screen ----

  function barHeight() {
    return topbar ? topbar.getBoundingClientRect().height : 0;
  }

  function showAtTop(node) {
    var top = node.getBoundingClientRect().top + window.scrollY - barHeight() - 8;
    window.scrollTo({ top: Math.max(0, top), behavior: "instant" });
  }

  function showQuestion(first) {
    var last = quickReplies.hidden ? form : quickReplies;
    var bottom = last.getBoundingClientRect().bottom;
    if (bottom <= window.innerHeight && first.getBoundingClientRect().top >= barHeight()) return;
    var bubbles = messages.querySelectorAll(".msg-bot");
    var question = bubbles.length ? bubbles[bubbles.length - 1] : first;
    // Show the batch from its first message when all of it fits, else from the question.
    var span = bottom - first.getBoundingClientRect().top;
    showAtTop(span <= window.innerHeight - barHeight() - 16 ? first : question);
  }

  // ---- the message list ----

  function addMessage(author, className, content) {
    var item = el("div", "msg " + className);
    append(item, el("p", "visually-hidden", author + " :"));
    append(item, typeof content === "string" ? el("p", "msg-text", content) : content);
    messages.appendChild(item);
    return item;
  }

  function addUserMessage(text) {
    return addMessage("Vous", "msg-user", text);
  }

  function addBotText(text) {
    var item = addMessage("Assistant", "msg-bot", text);
    item.botText = text;  // its text before the glossary's buttons are added
    Mots.annotate(item.querySelector(".msg-text"), {});
    return item;
  }

  function addNotice(text, replaying) {
    if (!replaying) remember({ k: "notice", t: text });
    return addMessage("Information", "msg-notice", text);
  }

  // ---- quick replies ----

  function clearQuickReplies() {
    quickRepliesList.textContent = "";
    quickReplies.hidden = true;
  }

  function showQuickReplies(buttons) {
    clearQuickReplies();
    buttons.forEach(function (b) {
      var button = dom.button(b.title, "button button-choice" + (b.local ? " button-local" : ""));
      button.addEventListener("click", function (event) {
        if (b.local) { b.local(button); return; }
        if (b.payload === "/restart") { restart(); return; }
        sendMessage(b.payload, b.title);
        // Keyboard users go on typing; on a phone, keep the keyboard closed.
        if (event.detail === 0 || !window.matchMedia("(pointer: coarse)").matches) input.focus();
      });
      quickRepliesList.appendChild(button);
    });
    quickReplies.hidden = buttons.length === 0;
  }

  function withFiche(buttons, orientation) {
    var open = { title: "La fiche", local: function (opener) { openFiche(orientation, opener); } };
    return [open].concat(buttons);
  }

  // ---- the orientation block ----

  function badge(text, kind) {
    return el("span", "badge badge-" + kind, text);
  }

  function serviceLine(s) {
    var li = el("li", "service-line");
    append(li, el("span", "service-name", s.nom), document.createTextNode(" "),
      badge(Fiche.ACCESS[s.prescription] || Fiche.ACCESS.non_precise, s.prescription || "non_precise"));
    if (s.eligibilite === "a_verifier") append(li, document.createTextNode(" "), badge("Public à vérifier", "check"));
    if (s.premier_pas) append(li, document.createTextNode(" "), badge("Premier pas", "first"));
    return li;
  }

  // Whom to ask and how: the essential, under the services.
  function askLines(group, o, lead) {
    var box = el("div", "card-ask");
    var accessTexts = dom.unique(group.services.map(function (s) { return s.acces; })).filter(function (t) {
      return !lead || lead.indexOf(t) < 0;  // already said in the bot's words above
    });
    accessTexts.forEach(function (t) { append(box, el("p", null, t)); });
    var prescribed = group.services.filter(function (s) { return s.prescription === "oui"; });
    if (prescribed.length) {
      var names = Fiche.prescriberNames(prescribed, o);
      if (names.length) append(box, dom.labelled("À qui demander", names.join(", "), "prescriber"));
      var main = o.prescripteur;
      if (main && main.comment_joindre && o.voix !== "professionnel" && names.indexOf(main.nom) >= 0) {
        append(box, dom.labelled("Comment", main.comment_joindre));
      }
    }
    var c = group.services[0].contact || {};
    if (c.telephone) {
      var p = el("p");
      var link = el("a", null, c.telephone);
      link.href = "tel:" + String(c.telephone).replace(/[^\d+]/g, "");
      append(p, el("strong", null, "Téléphone de la plateforme : "), link);
      append(box, p);
    }
    return box;
  }

  function details(group) {
    var more = el("details", "card-details");
    append(more, el("summary", null, "Détails et points à vérifier"));
    group.services.forEach(function (s) {
      var part = el("div", "detail-service");
      append(part, el("h5", null, s.nom));
      if (s.description && s.description.replace(/\.$/, "") !== s.nom) append(part, el("p", null, s.description));
      if (s.pourquoi) append(part, dom.labelled("Pourquoi", s.pourquoi));
      var checks = asArray(s.a_verifier);
      if (checks.length) append(part, el("p", "fiche-label", "À vérifier :"), dom.list(checks, "unknown-list"));
      if (s.glossaire && s.glossaire.definition) {
        append(part, dom.labelled("En général, c’est quoi", s.glossaire.definition),
          el("p", "hint", "Information générale, pas une description de ce service."));
      }
      append(more, part);
    });
    var caveats = dom.unique([].concat.apply([], group.services.map(function (s) { return asArray(s.avertissements); })));
    var dated = dom.unique(group.services.map(function (s) { return s.informations_du; }));
    if (dated.length) caveats.push("Informations de " + dated.join(", ") + ". Vérifiez-les auprès de la plateforme.");
    if (caveats.length) append(more, dom.list(caveats, "unknown-list"));
    return more;
  }

  function platformCard(group, o, lead) {
    var card = el("article", "card");
    append(card, el("h4", "card-title", group.nom));
    var rows = el("ul", "card-services");
    group.services.forEach(function (s) { rows.appendChild(serviceLine(s)); });
    append(card, rows, askLines(group, o, lead), details(group));
    return card;
  }

  function noServiceCard(o) {
    var card = el("article", "card card-none");
    append(card, el("h4", "card-title", o.statut === "aucune_plateforme"
      ? "Pas de plateforme de mobilité pour cette commune"
      : "Pas de service de mobilité adapté trouvé"));
    var commune = o.commune && o.commune.nom;
    if (commune) append(card, dom.labelled("Commune", commune));
    var main = o.prescripteur;
    if (main && main.nom) {
      var box = el("div", "card-ask");
      append(box, dom.labelled("Qui peut aider", main.nom, "prescriber"));
      if (main.comment_joindre && o.voix !== "professionnel") append(box, dom.labelled("Comment", main.comment_joindre));
      if (main.pourquoi) append(box, el("p", null, main.pourquoi));
      append(card, box);
    }
    return card;
  }

  function spokenText(block, lead) {
    if (lead) return lead.replace(/•\s*/g, "").replace(/\s*\n\s*/g, ". ").replace(/\.\s*\./g, ".");
    return Array.prototype.map.call(block.querySelectorAll(".card-title, .service-line, .card-ask p"),
      function (n) { return n.textContent; }).join(". ");
  }

  function renderOrientation(o, lead, replaying) {
    if (CARD_STATUSES.indexOf(o.statut) < 0) return null;
    // The bot sent the same words as a text just before: they become the block's first lines.
    var bubbles = messages.querySelectorAll(".msg-bot:not(.msg-orientation)");
    var last = bubbles[bubbles.length - 1];
    var replaces = lead && last && last === messages.lastElementChild && last.botText === lead;
    var block = el("section", "msg msg-bot msg-orientation");
    var headingId = "orientation-" + (++blockCount);
    block.setAttribute("aria-labelledby", headingId);
    var head = el("div", "orientation-head");
    var heading = el("h3", "orientation-title", "Votre orientation");
    heading.id = headingId;
    heading.tabIndex = -1;
    append(head, heading, Speech.button(function () { return spokenText(block, lead); }));
    append(block, head);
    if (lead) append(block, el("p", "orientation-lead msg-text", lead));
    var groups = Fiche.byPlatform(o.services);
    if (groups.length) groups.forEach(function (g) { append(block, platformCard(g, o, lead)); });
    else append(block, noServiceCard(o));
    if (replaces) messages.replaceChild(block, last);
    else messages.appendChild(block);
    // The hard words of the whole answer on one line at its end: inside the
    // text they would break names ("Plateforme mobilité de la Mayenne").
    var words = Mots.strip(Array.prototype.map.call(
      block.querySelectorAll(".orientation-lead, .service-line, .card-ask p"),
      function (n) { return n.textContent; }), {});
    if (words) append(block, words);
    latestOrientation = o;
    if (!replaying) inBatch().block = block;
    return block;
  }

  // ---- speech: the browser's own synthesis, no external service of ours ----

  var Speech = {
    available: function () {
      return "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
    },
    voice: function () {
      var voices = window.speechSynthesis.getVoices() || [];
      var french = voices.filter(function (v) { return /^fr/i.test(v.lang); });
      return french.filter(function (v) { return v.localService; })[0] || french[0] || null;
    },
    button: function (text) {
      if (!Speech.available()) return null;
      var b = dom.button("Écouter", "button button-secondary button-small listen");
      var speaking = false;
      function reset() { speaking = false; b.textContent = "Écouter"; }
      b.addEventListener("click", function () {
        window.speechSynthesis.cancel();
        if (speaking) { reset(); return; }
        var utterance = new window.SpeechSynthesisUtterance(text());
        utterance.lang = "fr-FR";
        var voice = Speech.voice();
        if (voice) utterance.voice = voice;
        utterance.onend = reset;
        utterance.onerror = reset;
        speaking = true;
        b.textContent = "Arrêter la lecture";
        window.speechSynthesis.speak(utterance);
      });
      return b;
    }
  };

  // ---- the fiche and the hand-over code ----

  function profileKey(o) {
    var p = o.profil || {};
    return [asArray(p.situations).join("+"), (o.commune || {}).code_insee, p.besoin, p.age].join("|");
  }

  function codes() {
    try { return JSON.parse(storage("get", CODES_KEY) || "{}") || {}; } catch (e) { return {}; }
  }

  function saveCode(o, created) {
    var all = codes();
    if (created) all[profileKey(o)] = created; else delete all[profileKey(o)];
    storage("set", CODES_KEY, JSON.stringify(all));
  }

  function renderFiche(o) {
    var created = codes()[profileKey(o)];
    ficheBody.textContent = "";
    ficheBody.appendChild(Fiche.build(o, {
      issued: new Date(), labels: labels,
      code: created && created.code, expires: created && created.expire_le
    }));
    printCopy.textContent = "";
    append(printCopy, el("h2", null, "Fiche d’orientation"), ficheBody.cloneNode(true));
    handover.ask.hidden = !!created;
    handover.result.hidden = !created;
    if (created) {
      handover.code.textContent = created.code;
      handover.until.textContent = "Valable jusqu’au " + dom.frenchDate(created.expire_le) + ".";
      handover.where.textContent = window.location.origin + "/fiche";
    }
  }

  function openFiche(o, opener) {
    fiche.orientation = o;
    renderFiche(o);
    handover.status.textContent = "";
    fiche.returnFocus = opener;
    document.body.classList.add("fiche-is-open");
    fiche.showModal();
    document.getElementById("fiche-print").focus();
  }

  function createCode() {
    var o = fiche.orientation;
    var p = o.profil || {};
    handover.yes.disabled = true;
    handover.status.textContent = "Création du code…";
    fetch("/api/fiches", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // Codes only: the server recomputes the orientation from them.
      body: JSON.stringify({ consentement: "oui", situations: asArray(p.situations),
        code_insee: (o.commune || {}).code_insee, besoin: p.besoin, age: p.age, voix: o.voix })
    }).then(function (r) {
      return r.json().then(function (data) { if (!r.ok) throw new Error(data.erreur || r.status); return data; });
    }).then(function (data) {
      saveCode(o, { code: data.code, expire_le: data.expire_le });
      renderFiche(o);
      handover.status.textContent = "Code créé : " + data.code + ". " + handover.until.textContent;
      handover.code.focus();
    }).catch(function () {
      handover.status.textContent = "Le code n’a pas pu être créé. Réessayez dans un moment.";
    }).then(function () { handover.yes.disabled = false; });
  }

  function deleteCode() {
    var o = fiche.orientation;
    var created = codes()[profileKey(o)];
    if (!created) return;
    fetch("/api/fiches/" + encodeURIComponent(created.code), { method: "DELETE" }).then(function (r) {
      if (r.status !== 204 && r.status !== 404) throw new Error(String(r.status));
      saveCode(o, null);
      renderFiche(o);
      handover.status.textContent = "Code supprimé. La fiche n’est plus gardée.";
      handover.yes.focus();
    }).catch(function () {
      handover.status.textContent = "Le code n’a pas pu être supprimé. Réessayez dans un moment.";
    });
  }

  fiche.addEventListener("close", function () {
    document.body.classList.remove("fiche-is-open");
    if (fiche.returnFocus && document.contains(fiche.returnFocus)) fiche.returnFocus.focus();
  });
  document.getElementById("fiche-close").addEventListener("click", function () { fiche.close(); });
  document.getElementById("fiche-print").addEventListener("click", function () { window.print(); });
  document.getElementById("fiche-handover").addEventListener("click", function () {
    var title = document.getElementById("handover-title");
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
  });
  handover.yes.addEventListener("click", createCode);
  handover.remove.addEventListener("click", deleteCode);

  // ---- bot messages ----

  function orientationOf(message) {
    // Rasa's socketio channel emits a custom payload as the event data (the
    // action sends json_message={"data": {...}}, RasaHQ/rasa#3823); accept the
    // REST shape too.
    if (message.orientation) return message.orientation;
    if (message.custom && message.custom.orientation) return message.custom.orientation;
    if (message.data && message.data.orientation) return message.data.orientation;
    return null;
  }

  function leadOf(message) {
    var custom = message.custom || message.data || message;
    return typeof custom.texte === "string" ? custom.texte : "";
  }

  function onBotMessage(message, replaying) {
    if (!message || typeof message !== "object") return;
    if (!replaying) { remember({ k: "bot", m: message }); setStatus(""); }
    var orientation = orientationOf(message);
    if (orientation) renderOrientation(orientation, leadOf(message), replaying);
    if (typeof message.text === "string" && message.text.trim()) {
      var node = addBotText(message.text);
      if (!replaying) {
        var b = inBatch();
        b.texts.push(message.text);
        b.first = b.first || node;
      }
    }
    var buttons = asArray(message.quick_replies || message.buttons).filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    });
    if (orientation && latestOrientation === orientation && !buttons.length) {
      buttons = asArray(currentButtons);  // the follow-ups came with the text, before the payload
    }
    if (buttons.length) {
      currentButtons = buttons;
      var shown = latestOrientation && (orientation || messages.lastElementChild.classList.contains("msg-orientation"))
        ? withFiche(buttons, latestOrientation) : buttons;
      showQuickReplies(shown);
      if (!replaying) inBatch().choices = shown.map(function (b) { return b.title; });
    }
  }

  // ---- sending ----

  // The conversation is busy from a message sent until the bot says its turn is over
  // (`bot_turn_end`, rasa_server/socketio.py): assistive technologies wait for the whole answer.
  var turnsPending = 0;

  function setBusy(count) {
    turnsPending = Math.max(0, count);
    messages.setAttribute("aria-busy", turnsPending > 0 ? "true" : "false");
  }

  setBusy(0);

  function emitNow(text) {
    setBusy(turnsPending + 1);
    socket.emit("user_uttered", { message: text, session_id: sessionId });
  }

  function send(text) {
    if (sessionReady) emitNow(text);
    else pending.push(text);
  }

  function sendMessage(text, shown) {
    text = String(text).slice(0, MAX_LENGTH);
    if (!text.trim()) return;
    clearQuickReplies();
    currentButtons = [];
    shown = shown === undefined ? text : shown;
    flush();  // what the bot said before this answer is announced as it was
    remember({ k: "user", t: shown });
    addUserMessage(shown);
    send(text);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    sendMessage(text);
    input.focus();
  });

  function restart() {
    messages.textContent = "";
    clearQuickReplies();
    forgetConversation();
    latestOrientation = null;
    window.speechSynthesis && window.speechSynthesis.cancel();
    addNotice("Nouvelle conversation. Vos réponses précédentes sont effacées.");
    send("/restart");  // the bot forgets too, and asks for the need again
    input.value = "";
    input.focus();
  }

  document.getElementById("restart").addEventListener("click", restart);

  // ---- connection ----

  function connect(config) {
    if (typeof window.io !== "function") {
      setStatus("Le service de discussion n’a pas pu être chargé. Rechargez la page.");
      return;
    }
    // Websocket only: Rasa's socketio server sends no CORS headers
    // (cors_allowed_origins=[]), so cross-origin long-polling would fail.
    socket = window.io(config.rasa_url, {
      path: config.socketio_path || "/socket.io/",
      transports: ["websocket"]
    });
    socket.on("connect", function () {
      sessionReady = false;
      // Every (re)connection joins the session's room again.
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (id) {
      sessionId = typeof id === "string" ? id : (id && id.session_id) || sessionId;
      storage("set", SESSION_KEY, sessionId);
      sessionReady = true;
      setStatus(greetWhenReady ? "L’assistant arrive…" : "");
      if (greetWhenReady) { greetWhenReady = false; emitNow("/greet"); }
      while (pending.length) emitNow(pending.shift());
    });
    socket.on("bot_uttered", function (message) { onBotMessage(message, false); });
    socket.on("bot_turn_end", function () { setBusy(turnsPending - 1); });
    socket.on("disconnect", function () {
      sessionReady = false;
      setBusy(0);  // a turn cut short by the lost connection will not end
      setStatus("Connexion perdue. Nouvelle tentative en cours…");
    });
    socket.on("connect_error", function () {
      setStatus("Le service ne répond pas pour le moment. Nouvelle tentative en cours…");
    });
  }

  function replay(items) {
    items.forEach(function (item) {
      history.push(item);
      if (item.k === "user") { clearQuickReplies(); currentButtons = []; addUserMessage(item.t); }
      else if (item.k === "notice") addMessage("Information", "msg-notice", item.t);
      else if (item.k === "bot") onBotMessage(item.m, true);
    });
  }

  function start(glossary) {
    input.maxLength = MAX_LENGTH;
    Mots.load(glossary);
    var items = storedHistory();
    if (sessionId && items && items.length) {
      replay(items);
      addNotice("Votre conversation reprend là où elle en était.", true);
      announce("Votre conversation reprend là où elle en était.");
      var bots = messages.querySelectorAll(".msg-bot");
      if (bots.length) showAtTop(bots[bots.length - 1]);
    } else {
      if (sessionId) {
        // The bot has forgotten it, or this tab kept nothing: say so, and start a new one.
        storage("remove", SESSION_KEY);
        sessionId = null;
        forgetConversation();
        addNotice("La conversation précédente est effacée. Nous recommençons.");
      }
      greetWhenReady = true;
    }
    setStatus("Connexion au service…");
    dom.getJSON("/config.json").then(connect).catch(function () {
      setStatus("Le service ne répond pas pour le moment. Rechargez la page.");
    });
  }

  // Labels and the glossary only enrich the page: without them it still works.
  Promise.all([
    dom.getJSON("/libelles.json").catch(function () { return {}; }),
    dom.getJSON("/glossaire.json").catch(function () { return {}; })
  ]).then(function (loaded) {
    labels = loaded[0] || {};
    start(loaded[1]);
  });
})();
