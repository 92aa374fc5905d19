/* Small DOM helpers shared by the chat page and the fiche page.
 *
 * Text only: everything the bot, the person or the knowledge base wrote goes
 * in with textContent, never innerHTML (the bot repeats what people type and
 * the knowledge base is edited by hand).
 */
(function () {
  "use strict";

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

  function button(text, className) {
    var b = el("button", className || "button", text);
    b.type = "button";
    return b;
  }

  function asArray(value) {
    return Array.isArray(value) ? value : [];
  }

  function unique(items) {
    return items.filter(function (item, i) { return item && items.indexOf(item) === i; });
  }

  // "2017-12-11" or a Date → "11/12/2017".
  function frenchDate(value) {
    if (value instanceof Date) return value.toLocaleDateString("fr-FR");
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  function getJSON(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  window.MobiliteDom = {
    el: el, append: append, labelled: labelled, list: list, button: button,
    asArray: asArray, unique: unique, frenchDate: frenchDate, getJSON: getJSON
  };
})();
