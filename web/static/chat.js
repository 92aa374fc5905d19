/* Chat page for Rasa's socketio channel (Rasa 3.6, session_persistence: true).
 *
 * Everything the bot or the user wrote is put in the page with textContent,
 * never innerHTML: the bot repeats what people type and the knowledge base is
 * edited by hand.
 */
(function () {
  "use strict";

  var SESSION_KEY = "mobilite.session_id";
  var MAX_LENGTH = 500;

  // Labels of the codes the orientation payload carries (docs/architecture.md,
  // "Vocabulary"); an unknown code is shown as it is.
  var SITUATIONS = {
    rsa: "Bénéficiaire du RSA",
    demandeur_emploi: "Demandeur d’emploi",
    jeune: "Jeune de 16 à 25 ans",
    handicap: "Personne en situation de handicap (RQTH)",
    salarie_insertion: "Salarié en insertion",
    salarie: "Salarié",
    etudiant: "Étudiant, lycéen, apprenti",
    autre: "Autre situation"
  };
  var BESOINS = {
    permis: "Préparer un permis",
    vehicule: "Accéder à un véhicule",
    reparation: "Entretenir ou réparer son véhicule",
    financement: "Financer sa mobilité",
    transport: "Transport solidaire, covoiturage, transports en commun",
    velo: "Vélo",
    accompagnement: "Être accompagné dans son parcours mobilité"
  };
  // Prescription is three-valued: the source says "(p)", says direct access, or says nothing.
  var ACCESS = {
    oui: "Sur prescription",
    non: "Accès direct",
    non_precise: "Accès à vérifier"
  };
  var RAISONS = {
    territoire: "Hors du territoire du service",
    "public": "Public non concerné",
    age: "Condition d’âge"
  };

  var messages = document.getElementById("messages");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("message-input");
  var quickReplies = document.getElementById("quick-replies");
  var quickRepliesList = document.getElementById("quick-replies-list");
  var restartButton = document.getElementById("restart");
  var fiche = document.getElementById("fiche");
  var ficheBody = document.getElementById("fiche-body");

  var socket = null;
  var sessionId = readSession();
  var sessionReady = false;
  var pending = [];

  // ---- small DOM helpers (text only) ----

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      if (arguments[i]) parent.appendChild(arguments[i]);
    }
    return parent;
  }

  function labelled(label, value, className) {
    var p = el("p", className);
    append(p, el("strong", null, label + " : "), document.createTextNode(value));
    return p;
  }

  function list(items, className) {
    var ul = el("ul", className);
    items.forEach(function (item) {
      append(ul, typeof item === "string" ? el("li", null, item) : append(el("li"), item));
    });
    return ul;
  }

  function frenchDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : (iso || "non précisée");
  }

  function asArray(value) {
    return Array.isArray(value) ? value : [];
  }

  // ---- session ----

  function readSession() {
    try { return window.sessionStorage.getItem(SESSION_KEY); } catch (e) { return null; }
  }

  function writeSession(id) {
    try { window.sessionStorage.setItem(SESSION_KEY, id); } catch (e) { /* private mode */ }
  }

  function setStatus(text) {
    statusLine.textContent = text;
  }

  // ---- the message list ----

  function scrollToLatest(node) {
    var top = node.getBoundingClientRect().top;
    if (node.offsetHeight > window.innerHeight * 0.6) {
      // A long card: show its beginning rather than its end.
      window.scrollTo({ top: window.scrollY + top - 80 });
    } else {
      form.scrollIntoView({ block: "nearest" });
    }
  }

  function addMessage(author, className, content) {
    var item = el("div", "msg " + className);
    append(item, el("p", "visually-hidden", author + " :"));
    if (typeof content === "string") {
      append(item, el("p", "msg-text", content));
    } else {
      append(item, content);
    }
    messages.appendChild(item);
    scrollToLatest(item);
    return item;
  }

  function addUserMessage(text) {
    return addMessage("Vous", "msg-user", text);
  }

  function addBotText(text) {
    return addMessage("Assistant", "msg-bot", text);
  }

  function addNotice(text) {
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
      var button = el("button", "button button-choice", b.title);
      button.type = "button";
      button.addEventListener("click", function (event) {
        sendMessage(b.payload, b.title);
        // Keyboard users go on typing; on a phone, keep the keyboard closed.
        if (event.detail === 0 || !window.matchMedia("(pointer: coarse)").matches) {
          input.focus();
        }
      });
      quickRepliesList.appendChild(button);
    });
    quickReplies.hidden = buttons.length === 0;
  }

  function showStarter() {
    showQuickReplies([{ title: "Commencer", payload: "Bonjour" }]);
  }

  // ---- orientation cards ----

  function prescriberFor(service, orientation) {
    var main = orientation.prescripteur || null;
    var names = asArray(service.prescripteurs).map(function (p) { return p && p.nom; })
      .filter(Boolean);
    var box = el("div", "card-section");
    append(box, el("h5", null, "À qui demander"));
    if (service.acces) append(box, el("p", null, service.acces));
    if (names.length) append(box, list(names, "plain-list prescribers"));
    else if (service.prescription === "oui") {
      append(box, el("p", "hint", "Prescripteur de ce service non précisé par la source."));
    }
    // The person's usual prescriber: whom to ask when the source names no one.
    var mainIsListed = main && (names.length === 0 || asArray(service.prescripteurs)
      .some(function (p) { return p && p.id === main.id; }));
    if (mainIsListed && main.nom) {
      if (!names.length) append(box, el("p", "prescriber-name", main.nom));
      if (main.comment_joindre) append(box, labelled("Comment le joindre", main.comment_joindre));
    }
    var contact = service.contact || {};
    if (contact.telephone) {
      var p = el("p");
      var link = el("a", null, contact.telephone);
      link.href = "tel:" + String(contact.telephone).replace(/[^\d+]/g, "");
      append(p, el("strong", null, "Téléphone de la plateforme : "), link);
      append(box, p);
    }
    if (contact.courriel) append(box, labelled("Courriel", contact.courriel));
    if (contact.adresse) append(box, labelled("Adresse", contact.adresse));
    if (/^https?:\/\//.test(contact.site_web || "")) {
      var site = el("p");
      var siteLink = el("a", null, contact.site_web);
      siteLink.href = contact.site_web;
      siteLink.rel = "noopener noreferrer";
      append(site, el("strong", null, "Site : "), siteLink);
      append(box, site);
    }
    return box;
  }

  function serviceCard(service, orientation) {
    var card = el("article", "card");
    var header = el("div", "card-header");
    append(header, el("h4", "card-title", service.nom));
    append(header, el("p", "badge badge-" + (service.prescription || "non_precise"),
      ACCESS[service.prescription] || ACCESS.non_precise));
    if (service.eligibilite === "a_verifier") append(header, el("p", "badge badge-check", "Public à vérifier"));
    if (service.premier_pas) append(header, el("p", "badge badge-first", "Premier pas"));
    append(card, header);
    var platform = service.plateforme && service.plateforme.nom;
    if (platform) append(card, labelled("Plateforme", platform, "card-platform"));
    if (service.description) append(card, el("p", "card-description", service.description));
    append(card, prescriberFor(service, orientation));
    if (service.pourquoi) {
      append(card, append(el("div", "card-section"), el("h5", null, "Pourquoi ce service"),
        el("p", null, service.pourquoi)));
    }
    // One short line per caveat; the raw list of what the source does not say
    // stays in the fiche (for the professional) and in `make orient`.
    var caveats = asArray(service.a_verifier).concat(asArray(service.avertissements));
    if (service.informations_du) {
      caveats.push("Informations de " + service.informations_du + ", à vérifier auprès de la plateforme.");
    }
    if (caveats.length) {
      append(card, append(el("div", "card-section"), el("h5", null, "À vérifier"),
        list(caveats, "unknown-list")));
    }
    if (service.glossaire && service.glossaire.definition) {
      var general = el("details", "card-general");
      append(general, el("summary", null, "En général, c’est quoi ?"),
        el("p", null, service.glossaire.definition),
        el("p", "hint", "Information générale, pas une description de ce service."));
      append(card, general);
    }
    return card;
  }

  function noServiceCard(orientation) {
    var card = el("article", "card card-none");
    var title = orientation.statut === "aucune_plateforme"
      ? "Pas de plateforme de mobilité pour votre commune"
      : "Pas de service de mobilité adapté trouvé";
    append(card, el("h4", "card-title", title));
    var commune = orientation.commune && orientation.commune.nom;
    if (commune) append(card, labelled("Commune", commune));
    var main = orientation.prescripteur;
    if (main && main.nom) {
      var box = append(el("div", "card-section"), el("h5", null, "Qui peut vous aider"),
        el("p", "prescriber-name", main.nom));
      if (main.comment_joindre) append(box, labelled("Comment le joindre", main.comment_joindre));
      if (main.pourquoi) append(box, el("p", null, main.pourquoi));
      append(card, box);
    }
    return card;
  }

  // commune_inconnue / commune_ambigue: the bot's text asks again, no card.
  var CARD_STATUSES = ["orientation", "premier_pas", "aucune_plateforme", "aucun_service"];

  function renderOrientation(orientation) {
    if (CARD_STATUSES.indexOf(orientation.statut) < 0) return;
    var block = el("section", "orientation");
    append(block, el("h3", "orientation-title", "Votre orientation"));
    var services = asArray(orientation.services);
    if (services.length) {
      services.forEach(function (s) { append(block, serviceCard(s, orientation)); });
    } else {
      append(block, noServiceCard(orientation));
    }
    var open = el("button", "button button-secondary fiche-open", "Fiche d’orientation");
    open.type = "button";
    open.setAttribute("aria-haspopup", "dialog");
    open.addEventListener("click", function () { openFiche(orientation, open); });
    var note = el("p", "hint", "Une fiche à imprimer ou à montrer au professionnel qui vous accompagne.");
    append(block, open, note);
    addMessage("Assistant", "msg-bot msg-orientation", block);
  }

  // ---- the printable "fiche d'orientation" ----

  function ficheSection(title) {
    var section = el("section", "fiche-section");
    append(section, el("h3", null, title));
    return section;
  }

  function buildFiche(o) {
    var body = document.createDocumentFragment();
    var profil = o.profil || {};
    var commune = o.commune || {};
    append(body, el("p", "hint", "Fiche établie le " + new Date().toLocaleDateString("fr-FR") +
      ". Elle ne contient ni le nom ni les coordonnées de la personne."));

    var profile = ficheSection("Profil");
    append(profile,
      labelled("Situation", asArray(profil.situations).map(function (s) { return SITUATIONS[s] || s; })
        .join(", ") || "non renseignée"),
      labelled("Besoin", BESOINS[profil.besoin] || profil.besoin || "non renseigné"),
      labelled("Âge", profil.age === null || profil.age === undefined ? "non renseigné" : profil.age + " ans"));
    append(body, profile);

    var place = ficheSection("Commune");
    var dep = [commune.departement, commune.departement_nom].filter(Boolean).join(" – ");
    append(place,
      labelled("Commune", commune.nom || "non renseignée"),
      labelled("Code INSEE", commune.code_insee || "non renseigné"),
      labelled("Département", dep || "non renseigné"));
    append(body, place);

    var proposed = ficheSection("Services proposés");
    var services = asArray(o.services);
    if (!services.length) {
      append(proposed, el("p", null, o.statut === "aucune_plateforme"
        ? "Aucune plateforme de mobilité ne couvre cette commune."
        : "Aucun service adapté trouvé."));
    }
    services.forEach(function (s) {
      var item = el("div", "fiche-service");
      append(item, el("h4", null, s.nom),
        labelled("Plateforme", (s.plateforme && s.plateforme.nom) || "non précisée"),
        labelled("Accès", ACCESS[s.prescription] || ACCESS.non_precise));
      if (s.eligibilite === "a_verifier") append(item, labelled("Public", "à vérifier"));
      var names = asArray(s.prescripteurs).map(function (p) { return p && p.nom; }).filter(Boolean);
      if (names.length) append(item, labelled("Prescripteurs", names.join(", ")));
      if (s.pourquoi) append(item, labelled("Pourquoi", s.pourquoi));
      var criteria = asArray(s.criteres);
      if (criteria.length) append(item, el("p", "fiche-label", "Critères remplis :"), list(criteria));
      var checks = asArray(s.a_verifier).concat(asArray(s.avertissements));
      if (checks.length) append(item, el("p", "fiche-label", "À vérifier :"), list(checks));
      var unknown = asArray(s.inconnu);
      if (unknown.length) append(item, el("p", "fiche-label", "Ce que la source ne dit pas :"), list(unknown));
      append(proposed, item);
    });
    append(body, proposed);

    var excluded = asArray(o.non_eligibles);
    var notEligible = ficheSection("Services non accessibles");
    if (!excluded.length) append(notEligible, el("p", null, "Aucun."));
    else {
      append(notEligible, list(excluded.map(function (n) {
        var line = [n.service, n.plateforme ? "(" + n.plateforme + ")" : ""].join(" ").trim();
        var why = [RAISONS[n.raison] || n.raison, n.explication].filter(Boolean).join(" : ");
        return line + (why ? " — " + why : "");
      })));
    }
    append(body, notEligible);

    var main = o.prescripteur;
    var prescriber = ficheSection("Prescripteur à contacter");
    if (main && main.nom) {
      append(prescriber, el("p", "prescriber-name", main.nom));
      if (main.comment_joindre) append(prescriber, labelled("Comment le joindre", main.comment_joindre));
      if (main.pourquoi) append(prescriber, labelled("Pourquoi", main.pourquoi));
    } else {
      append(prescriber, el("p", null, "Prescripteur non précisé par la source."));
    }
    append(body, prescriber);

    var sources = ficheSection("Sources");
    append(sources, labelled("Date des connaissances", frenchDate(o.date_connaissances)));
    var refs = asArray(o.sources).map(function (s) {
      return [s.titre, s.auteur, s.date ? frenchDate(s.date) : ""].filter(Boolean).join(", ");
    });
    if (refs.length) append(sources, list(refs));
    append(body, sources);
    return body;
  }

  function openFiche(orientation, opener) {
    ficheBody.textContent = "";
    ficheBody.appendChild(buildFiche(orientation));
    fiche.returnFocus = opener;
    document.body.classList.add("fiche-is-open");
    fiche.showModal();
    document.getElementById("fiche-print").focus();
  }

  fiche.addEventListener("close", function () {
    document.body.classList.remove("fiche-is-open");
    if (fiche.returnFocus) fiche.returnFocus.focus();
  });
  document.getElementById("fiche-close").addEventListener("click", function () { fiche.close(); });
  document.getElementById("fiche-print").addEventListener("click", function () { window.print(); });

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

  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    var orientation = orientationOf(message);
    if (orientation) renderOrientation(orientation);
    if (typeof message.text === "string" && message.text.trim()) addBotText(message.text);
    var buttons = asArray(message.quick_replies || message.buttons).filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    });
    if (buttons.length) showQuickReplies(buttons);
  }

  // ---- sending ----

  function emitNow(text) {
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
    addUserMessage(shown === undefined ? text : shown);
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

  restartButton.addEventListener("click", function () {
    messages.textContent = "";
    clearQuickReplies();
    send("/restart");
    showStarter();
    addNotice("Nouvelle conversation.");
    input.value = "";
    input.focus();
  });

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
      writeSession(sessionId);
      sessionReady = true;
      setStatus("");
      while (pending.length) emitNow(pending.shift());
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      sessionReady = false;
      setStatus("Connexion perdue. Nouvelle tentative en cours…");
    });
    socket.on("connect_error", function () {
      setStatus("Le service ne répond pas pour le moment. Nouvelle tentative en cours…");
    });
  }

  function start() {
    input.maxLength = MAX_LENGTH;
    if (sessionId) {
      addNotice("Vous reprenez une conversation en cours. Pour repartir de zéro, choisissez « Recommencer ».");
    }
    showStarter();
    setStatus("Connexion au service…");
    fetch("/config.json", { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(connect)
      .catch(function () { setStatus("Le service ne répond pas pour le moment. Rechargez la page."); });
  }

  start();
})();
