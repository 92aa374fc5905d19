/* /fiche and /fiche/<code>: a professional opens the fiche a person chose to
 * hand over. The code is read from the address; the server rate-limits the
 * lookups and answers 404 once the code has expired or was deleted.
 */
(function () {
  "use strict";

  var dom = window.MobiliteDom;
  var Fiche = window.MobiliteFiche;
  var title = document.getElementById("page-title");
  var lookup = document.getElementById("lookup");
  var statusLine = document.getElementById("fiche-status");
  var article = document.getElementById("shared-fiche");
  var body = document.getElementById("fiche-body");
  var input = document.getElementById("code-input");
  var match = /^\/fiche\/([^/]+)$/.exec(window.location.pathname);
  var code = match ? decodeURIComponent(match[1]) : null;

  var MESSAGES = {
    404: "Ce code est inconnu ou a expiré. Un code est valable 30 jours.",
    429: "Trop d’essais. Réessayez dans une minute."
  };

  function failed(status) {
    statusLine.textContent = MESSAGES[status] || "Le service ne répond pas. Réessayez dans un moment.";
    article.hidden = true;
    lookup.hidden = false;
    input.focus();
  }

  function show(data) {
    body.textContent = "";
    body.appendChild(Fiche.build(data.orientation, {
      issued: data.cree_le, code: data.code, expires: data.expire_le, labels: data.libelles || {}, level: 2
    }));
    title.textContent = "Fiche d’orientation";
    document.title = "Fiche d’orientation – Mobilité insertion Pays de la Loire";
    lookup.hidden = true;
    article.hidden = false;
    statusLine.textContent = "Fiche ouverte. Valable jusqu’au " + dom.frenchDate(data.expire_le) + ".";
    title.tabIndex = -1;
    title.focus();
  }

  function open() {
    statusLine.textContent = "Ouverture de la fiche…";
    fetch("/api/fiches/" + encodeURIComponent(code), { cache: "no-store" }).then(function (r) {
      if (!r.ok) { failed(r.status); return; }
      return r.json().then(show);
    }).catch(function () { failed(0); });
  }

  document.getElementById("fiche-print").addEventListener("click", function () { window.print(); });
  document.getElementById("fiche-delete").addEventListener("click", function () {
    fetch("/api/fiches/" + encodeURIComponent(code), { method: "DELETE" }).then(function (r) {
      if (r.status !== 204 && r.status !== 404) { failed(r.status); return; }
      body.textContent = "";
      article.hidden = true;
      lookup.hidden = false;
      title.textContent = "Ouvrir une fiche d’orientation";
      statusLine.textContent = "Fiche supprimée. Le code ne fonctionne plus.";
    }).catch(function () { failed(0); });
  });

  if (/[?&]inconnu=1/.test(window.location.search)) failed(404);
  if (code) { input.value = code; open(); }
})();
