/* The fiche d'orientation: one A4 page a prescriber can act on.
 *
 * Built from the orientation payload (docs/architecture.md) by the chat page
 * and by the page that opens a handed-over fiche (/fiche/<code>). It names
 * who issued it and when, sums the profile up in three lines, lists the
 * services of the commune's platforms with their access, then the next step,
 * what to bring and lines to fill in. Never an identity: the payload has none.
 * Its own words are labels, with no "vous": a professional may be reading.
 */
(function () {
  "use strict";

  var dom = window.MobiliteDom;
  var el = dom.el, append = dom.append, labelled = dom.labelled, asArray = dom.asArray;

  var SITE = "Mobilité insertion Pays de la Loire";
  // Prescription is three-valued: the source says "(p)", says direct access, or says nothing.
  var ACCESS = { oui: "Sur prescription", non: "Accès direct", non_precise: "Accès à vérifier" };
  // Only the reasons that concern this person: other territories' services are left out.
  var REASONS = { "public": "Public non concerné", age: "Condition d’âge" };

  function access(service) {
    return ACCESS[service.prescription] || ACCESS.non_precise;
  }

  // Services grouped by platform, in the payload's order.
  function byPlatform(services) {
    var groups = [];
    asArray(services).forEach(function (s) {
      var p = s.plateforme || { id: "", nom: "Plateforme non précisée" };
      var group = groups.filter(function (g) { return g.id === p.id; })[0];
      if (!group) { group = { id: p.id, nom: p.nom, avecArticle: p.avec_article || p.nom, services: [] }; groups.push(group); }
      group.services.push(s);
    });
    return groups;
  }

  function prescriberNames(services, o) {
    var named = dom.unique([].concat.apply([], services.map(function (s) {
      return asArray(s.prescripteurs).map(function (p) { return p && p.nom; });
    })));
    if (named.length) return named;
    return o.prescripteur && o.prescripteur.nom ? [o.prescripteur.nom] : [];
  }

  var level = 3;  // the sections' heading level: under the dialog's h2, or the page's h1

  function section(title, className) {
    var s = el("section", "fiche-section" + (className ? " " + className : ""));
    append(s, el("h" + level, null, title));
    return s;
  }

  function fillLines(n, label) {
    var box = el("div", "fill-lines");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", label);
    for (var i = 0; i < n; i++) append(box, el("span", "fill-line"));
    return box;
  }

  function summary(o, labels) {
    var profil = o.profil || {};
    var commune = o.commune || {};
    var situations = asArray(profil.situations).map(function (s) {
      return (labels.situations && labels.situations[s]) || s;
    });
    var who = situations.join(", ") || "non dite";
    who += profil.age === null || profil.age === undefined ? ", âge non dit." : ", " + profil.age + " ans.";
    var place = [commune.nom, commune.departement_nom, commune.departement].filter(Boolean).join(", ");
    var need = (labels.besoins && labels.besoins[profil.besoin]) || profil.besoin || "non dit";
    var s = section("Résumé", "fiche-summary");
    append(s, labelled("Situation", who), labelled("Commune", (place || "non dite") + "."),
      labelled("Besoin", need + "."));
    return s;
  }

  function platformBlock(group, o) {
    var box = el("div", "fiche-platform");
    append(box, el("h" + (level + 1), null, group.nom));
    var rows = el("ul", "fiche-services");
    group.services.forEach(function (s) {
      var li = el("li");
      append(li, el("strong", null, s.nom), document.createTextNode(" : " + access(s) + "."));
      if (s.eligibilite === "a_verifier") li.appendChild(document.createTextNode(" Public à vérifier."));
      if (s.premier_pas) li.appendChild(document.createTextNode(" Point d’entrée de la plateforme."));
      rows.appendChild(li);
    });
    append(box, rows);
    // "Accès : …" repeats the service lines just above.
    var criteria = dom.unique([].concat.apply([], group.services.map(function (s) { return asArray(s.criteres); })))
      .filter(function (c) { return !/^Accès :/.test(c); });
    if (criteria.length) append(box, el("p", "fiche-label", "Critères remplis :"), dom.list(criteria));
    var checks = dom.unique([].concat.apply([], group.services.map(function (s) {
      return asArray(s.a_verifier).concat(asArray(s.avertissements));
    })));
    var dated = dom.unique(group.services.map(function (s) { return s.informations_du; }));
    if (dated.length) checks.push("Informations de " + dated.join(", ") + " : à confirmer avec la plateforme.");
    if (checks.length) append(box, el("p", "fiche-label", "À vérifier :"), dom.list(checks));
    return box;
  }

  function nextSteps(o) {
    var steps = [];
    var person = o.voix !== "professionnel";
    byPlatform(o.services).forEach(function (group) {
      var kinds = group.services.map(function (s) { return s.prescription; });
      if (kinds.indexOf("oui") >= 0) {
        var names = prescriberNames(group.services.filter(function (s) { return s.prescription === "oui"; }), o);
        steps.push(names.length ? "Demander une prescription à : " + names.join(", ") + "."
          : "Demander une prescription au professionnel qui accompagne la personne.");
      }
      if (kinds.indexOf("non") >= 0) steps.push("Prendre contact avec " + group.avecArticle + ".");
      if (kinds.indexOf("non_precise") >= 0) {
        steps.push("Demander à " + group.avecArticle + " s’il faut une prescription.");
      }
    });
    var main = o.prescripteur;
    if (!asArray(o.services).length && main && main.nom) steps.push("Prendre contact avec : " + main.nom + ".");
    // comment_joindre is the knowledge base's own text, written to the person.
    if (person && main && main.comment_joindre && steps.length) steps.push(main.comment_joindre);
    if (!steps.length) steps.push("Aucune étape proposée par la base.");
    return steps;
  }

  function contactLines(o) {
    var lines = [];
    byPlatform(o.services).forEach(function (group) {
      var c = group.services[0].contact || {};
      var known = [c.telephone, c.courriel, c.adresse, c.site_web].filter(Boolean);
      if (known.length) lines.push(group.nom + " : " + known.join(", "));
    });
    return lines;
  }

  function excluded(o) {
    return asArray(o.non_eligibles).filter(function (n) { return REASONS[n.raison]; }).map(function (n) {
      return n.service + ", " + n.plateforme + ". " + REASONS[n.raison] + ". " + (n.explication || "");
    });
  }

  function sourcesLine(o) {
    var refs = asArray(o.sources).map(function (s) {
      return [s.auteur, s.titre, dom.frenchDate(s.date)].filter(Boolean).join(", ");
    });
    return refs.length ? "Source : " + refs.join(" ; ") + "." : "";
  }

  /* opts: {issued: Date or ISO date, code, expires (ISO), labels: {situations, besoins},
   *        level: the sections' heading level, 3 by default} */
  function build(o, opts) {
    opts = opts || {};
    level = opts.level || 3;
    var labels = opts.labels || {};
    var body = document.createDocumentFragment();
    var head = el("div", "fiche-head");
    var issued = opts.issued instanceof Date ? dom.frenchDate(opts.issued) : dom.frenchDate(opts.issued);
    append(head, el("p", "fiche-site", SITE),
      el("p", "fiche-meta", "Fiche établie le " + issued + " par le site " + SITE + "."));
    if (opts.code) {
      append(head, el("p", "fiche-code", "Code de la fiche : " + opts.code + ". Valable jusqu’au " +
        dom.frenchDate(opts.expires) + "."));
    }
    append(body, head, summary(o, labels));

    var proposed = section("Services proposés");
    var groups = byPlatform(o.services);
    if (!groups.length) {
      append(proposed, el("p", null, o.statut === "aucune_plateforme"
        ? "Aucune plateforme de mobilité ne couvre cette commune."
        : "Aucun service adapté trouvé."));
    }
    groups.forEach(function (g) { append(proposed, platformBlock(g, o)); });
    append(body, proposed);

    append(body, append(section("Prochaine étape"), dom.list(nextSteps(o))));
    var bring = section("À apporter", "fiche-fill");
    append(bring, el("p", "hint", "La base ne le précise pas : à compléter avec la plateforme."),
      fillLines(2, "Lignes à remplir"));
    append(body, bring);
    var contact = section("Contact de la plateforme", "fiche-fill");
    var known = contactLines(o);
    if (known.length) append(contact, dom.list(known));
    append(contact, fillLines(known.length ? 1 : 2, "Lignes à remplir"));
    append(body, contact);
    append(body, append(section("Notes", "fiche-fill"), fillLines(3, "Lignes à remplir")));
    var others = excluded(o);
    if (others.length) append(body, append(section("Services non accessibles"), dom.list(others)));

    var foot = el("div", "fiche-foot");
    append(foot, el("p", null, sourcesLine(o)),
      el("p", null, "Cette fiche ne contient ni nom, ni adresse, ni téléphone, ni date de naissance."));
    append(body, foot);
    return body;
  }

  window.MobiliteFiche = { build: build, ACCESS: ACCESS, byPlatform: byPlatform,
    prescriberNames: prescriberNames };
})();
