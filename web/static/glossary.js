/* "C'est quoi ?" for the hard words of a text, from the knowledge base's
 * glossary (/glossaire.json): at the end of the sentence that holds the word
 * (a word may sit inside a name: "Plateforme mobilité de la Mayenne"), a
 * button "prescription, c'est quoi ?" shows the definition just after it, so
 * that a screen reader reads it next.
 */
(function () {
  "use strict";

  var dom = window.MobiliteDom;
  var terms = [];  // [{id, terme, definition, words: [normalized]}], shortest word first
  var counter = 0;

  // Lower case without accents, one character for one: offsets stay those of the text.
  function plain(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i).toLowerCase().normalize("NFD").charAt(0);
      out += c === "’" ? "'" : c;
    }
    return out;
  }

  function load(doc) {
    terms = dom.asArray(doc && doc.termes).filter(function (t) {
      return t && t.definition && dom.asArray(t.mots).length;
    }).map(function (t) {
      var words = t.mots.map(plain).sort(function (a, b) { return a.length - b.length; });
      return { id: t.id, terme: t.terme, definition: t.definition, words: words };
    });
  }

  function isLetter(c) {
    return !!c && /[0-9a-z]/.test(c);
  }

  // The first whole-word occurrence of one of the term's words, or null.
  function find(haystack, term) {
    for (var w = 0; w < term.words.length; w++) {
      var word = term.words[w];
      var from = 0;
      for (;;) {
        var at = haystack.indexOf(word, from);
        if (at < 0) break;
        if (!isLetter(haystack.charAt(at - 1)) && !isLetter(haystack.charAt(at + word.length))) {
          return { start: at, end: at + word.length, term: term };
        }
        from = at + 1;
      }
    }
    return null;
  }

  function toggle(word, term) {
    var id = "definition-" + (++counter);
    var b = dom.button(word + ", c’est quoi ?", "whatis");
    b.setAttribute("aria-expanded", "false");
    b.setAttribute("aria-controls", id);
    var box = dom.el("span", "definition");
    box.id = id;
    box.hidden = true;
    dom.append(box, dom.el("strong", null, term.terme + " : "), document.createTextNode(term.definition));
    b.addEventListener("click", function () {
      var open = b.getAttribute("aria-expanded") !== "true";
      b.setAttribute("aria-expanded", String(open));
      box.hidden = !open;
    });
    return [b, box];
  }

  function annotateText(textNode, seen) {
    var text = textNode.nodeValue;
    var haystack = plain(text);
    var found = [];
    terms.forEach(function (term) {
      if (seen[term.id]) return;
      var match = find(haystack, term);
      var overlaps = match && found.some(function (f) { return match.start < f.end && f.start < match.end; });
      if (match && !overlaps) { found.push(match); seen[term.id] = true; }
    });
    if (!found.length) return;
    found.forEach(function (f) { f.at = sentenceEnd(text, f.end); });
    found.sort(function (a, b) { return a.at - b.at || a.start - b.start; });
    var parts = document.createDocumentFragment();
    var at = 0;
    found.forEach(function (f) {
      if (f.at > at) parts.appendChild(document.createTextNode(text.slice(at, f.at)));
      parts.appendChild(document.createTextNode(" "));
      toggle(text.slice(f.start, f.end), f.term).forEach(function (n) { parts.appendChild(n); });
      at = f.at;
    });
    parts.appendChild(document.createTextNode(text.slice(at)));
    textNode.parentNode.replaceChild(parts, textNode);
  }

  // After the sentence's full stop, or at the end of its line.
  function sentenceEnd(text, from) {
    var stop = /[.!?](?=\s|$)|\n/g;
    stop.lastIndex = from;
    var m = stop.exec(text);
    if (!m) return text.length;
    return m[0] === "\n" ? m.index : m.index + 1;
  }

  /* Adds the buttons after the words found in `node`'s own text (not its
   * labels), each term once per `seen` (one message or one answer). */
  function annotate(node, seen) {
    if (!terms.length || !node) return;
    Array.prototype.filter.call(node.childNodes, function (child) { return child.nodeType === 3; })
      .forEach(function (t) { annotateText(t, seen); });
  }

  function capitalized(word) {
    return word.charAt(0).toUpperCase() + word.slice(1);
  }

  /* One line of buttons for the hard words of a whole answer (its text is
   * long and its names hold glossary words), or null when there is none. */
  function strip(texts, seen) {
    if (!terms.length) return null;
    var found = [];
    texts.forEach(function (text) {
      var haystack = plain(text);
      terms.forEach(function (term) {
        if (seen[term.id]) return;
        var match = find(haystack, term);
        if (match) { seen[term.id] = true; found.push(text.slice(match.start, match.end)); found.push(term); }
      });
    });
    if (!found.length) return null;
    var line = dom.el("p", "words");
    line.appendChild(dom.el("span", "words-title", "Des mots expliqués : "));
    for (var i = 0; i < found.length; i += 2) {
      var word = /^[A-Z]{2,}$/.test(found[i]) ? found[i] : capitalized(found[i].toLowerCase());
      toggle(word, found[i + 1]).forEach(function (n) { line.appendChild(n); });
      line.appendChild(document.createTextNode(" "));
    }
    return line;
  }

  window.MobiliteMots = { load: load, annotate: annotate, strip: strip };
})();
