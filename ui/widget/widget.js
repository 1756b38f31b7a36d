/* inspectbot chat widget: one script tag on any page.
 *   <script src="https://HOST/widget.js" data-provider="Salford" defer></script>
 * data-provider scopes it to that provider's reports ("my council", "we", "our" mean it; other
 * councils get one sentence saying what it covers, unless data-scope="all"); data-title and
 * data-mode (parent|staff) are optional.
 * Everything lives in a Shadow DOM, so the host page's styles don't leak in or out. Text from
 * the server is only ever set with textContent: nothing it sends is rendered as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__inspectbotWidget) return;
  window.__inspectbotWidget = true;
  var base = new URL(script.src, location.href).origin;
  var title = script.getAttribute("data-title") || "Ask about inspection reports";
  var mode = script.getAttribute("data-mode") || "parent";
  var provider = (script.getAttribute("data-provider") || "").trim();
  var everything = script.getAttribute("data-scope") === "all";
  var storeKey = "inspectbot:" + base + (provider ? ":" + provider : "");
  var LIMIT = 2000;  // the longest question the server takes (bot.answer.MAX_QUESTION)

  var CSS = [
    ":host{all:initial;font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;font-size:16px;line-height:1.45;color:#111}",
    "*{box-sizing:border-box}",
    ".launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#1d4ed8;color:#fff;border:0;border-radius:999px;padding:12px 18px;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}",
    ".launcher:focus-visible,button:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
    ".panel{position:fixed;right:16px;bottom:76px;z-index:2147483001;width:min(400px,calc(100vw - 16px));height:min(600px,calc(100vh - 96px));background:#fff;border:1px solid #6b7280;border-radius:12px;display:flex;flex-direction:column;box-shadow:0 4px 24px rgba(0,0,0,.25)}",
    ".panel[hidden]{display:none}",
    "@media (max-width:480px){.panel{right:8px;left:8px;top:8px;bottom:8px;width:auto;height:auto}.launcher.open{display:none}}",
    "header{display:flex;align-items:center;justify-content:space-between;padding:10px 12px;background:#1d4ed8;color:#fff;border-radius:12px 12px 0 0}",
    "h2{font-size:1rem;margin:0}",
    ".close{background:transparent;color:#fff;border:2px solid #fff;border-radius:6px;font:inherit;padding:2px 8px;cursor:pointer}",
    ".body{flex:1;overflow-y:auto;padding:12px}",
    ".log{display:flex;flex-direction:column;gap:10px}",
    ".intro{margin:0 0 10px}",
    ".intro p{margin:0 0 8px}",
    ".problem{background:#fef2f2;color:#7f1d1d;border:1px solid #b91c1c;border-radius:8px;padding:8px 10px}",
    ".starters{list-style:none;margin:0 0 10px;padding:0;display:flex;flex-direction:column;gap:6px}",
    ".starter{width:100%;text-align:left;background:#fff;color:#1e3a8a;border:1px solid #1d4ed8;border-radius:8px;padding:8px 10px;font:inherit;min-height:44px;cursor:pointer}",
    ".starter:hover{background:#eff6ff}",
    ".msg{padding:8px 10px;border-radius:8px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".user{align-self:flex-end;background:#e0e7ff;color:#111}",
    ".bot{align-self:flex-start;background:#f3f4f6;color:#111}",
    ".sources{margin:6px 0 0;padding-left:1.2em;font-size:.9rem}",
    ".sources li{margin-bottom:4px}",
    ".sources a{color:#1e40af}",
    ".quote{display:block;color:#374151;font-style:italic}",
    ".about{display:block;margin:0 0 4px;color:#374151;font-size:.85rem;font-style:italic}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d1d5db}",
    "textarea{flex:1;resize:none;font:inherit;padding:8px;border:1px solid #6b7280;border-radius:6px;min-height:44px;color:#111;background:#fff}",
    ".send{background:#1d4ed8;color:#fff;border:0;border-radius:6px;padding:0 14px;font:inherit;font-weight:600;cursor:pointer;min-height:44px}",
    "textarea:disabled,.send:disabled{background:#e5e7eb;color:#4b5563;cursor:not-allowed}",
    ".note{font-size:.8rem;color:#4b5563;padding:0 12px 8px}",
    ".pending{color:#374151}",
    ".pending::after{content:'';display:inline-block;width:1em;animation:ib-dots 1.2s steps(4) infinite}",
    "@keyframes ib-dots{0%{content:''}25%{content:'.'}50%{content:'..'}75%{content:'...'}}",
    "@media (prefers-reduced-motion:reduce){.pending::after{animation:none}}",
    ".failed{align-self:stretch;background:#fef2f2;color:#7f1d1d;border:1px solid #b91c1c}",
    ".retry,.act{font:inherit;font-size:.9rem;min-height:36px;padding:4px 10px;border-radius:6px;cursor:pointer;background:#fff;color:#1e3a8a;border:1px solid #1d4ed8;margin:6px 6px 0 0}",
    ".retry{display:block;color:#7f1d1d;border-color:#b91c1c}",
    ".acts{display:flex;flex-wrap:wrap;align-items:center;margin-top:4px}",
    ".act[aria-pressed=true]{background:#1d4ed8;color:#fff}",
    ".why{display:flex;flex-direction:column;gap:4px;margin-top:6px;width:100%}",
    ".why label{font-size:.85rem}",
    ".why textarea{min-height:60px;flex:none}",
    ".thanks{font-size:.85rem;color:#166534;margin:6px 0 0}",
    ".hint{font-size:.85rem;color:#7f1d1d;padding:0 12px;margin:0}",
    ".hint:empty{display:none}",
    ".count{font-size:.8rem;color:#374151;padding:0 12px;margin:0;text-align:right}",
    ".count.over{color:#7f1d1d;font-weight:600}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("\n");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text != null) node.textContent = text;
    return node;
  }

  function mount() {
    var host = el("div", { id: "inspectbot-widget" });
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: "open" });
    var style = el("style"); style.textContent = CSS; root.appendChild(style);

    var launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false",
                                  "aria-controls": "ib-panel", "aria-haspopup": "dialog" }, title);
    var panel = el("div", { class: "panel", id: "ib-panel", role: "dialog", "aria-modal": "false",
                            "aria-labelledby": "ib-title" });
    panel.hidden = true;
    var header = el("header");
    header.appendChild(el("h2", { id: "ib-title" }, title));
    var close = el("button", { class: "close", type: "button", "aria-label": "Close chat" }, "Close");
    header.appendChild(close);
    var panelBody = el("div", { class: "body", role: "region", "aria-label": "Conversation", tabindex: "0" });
    var intro = el("div", { class: "intro" });
    var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
    panelBody.appendChild(intro); panelBody.appendChild(log);
    var status = el("div", { class: "sr", role: "status", "aria-live": "polite" });
    var form = el("form");
    var label = el("label", { for: "ib-q", class: "sr" }, "Your question");
    // no maxlength: a pasted long question is not cut silently, the counter says the limit
    var input = el("textarea", { id: "ib-q", rows: "2", "aria-describedby": "ib-count ib-hint",
                                 placeholder: "Ask a question about the reports" });
    var send = el("button", { class: "send", type: "submit" }, "Ask");
    form.appendChild(label); form.appendChild(input); form.appendChild(send);
    var note = el("p", { class: "note" }, "Answers quote the published inspection reports and link to them.");
    var hint = el("p", { class: "hint", id: "ib-hint", role: "status" });
    var count = el("p", { class: "count", id: "ib-count" });
    count.hidden = true;
    panel.appendChild(header); panel.appendChild(panelBody); panel.appendChild(status);
    panel.appendChild(form); panel.appendChild(count); panel.appendChild(hint); panel.appendChild(note);
    root.appendChild(launcher); root.appendChild(panel);

    var history = [], unavailable = false;
    try { history = JSON.parse(sessionStorage.getItem(storeKey) || "[]"); } catch (e) { history = []; }
    history.forEach(function (m) { render(m); });
    opening();

    // what the panel opens with: the provider, how many of its reports are held, and questions
    // built from them (the server decides for a site bound to a provider)
    function opening() {
      var url = base + "/api/starters" + (provider ? "?provider=" + encodeURIComponent(provider) +
                                          (everything ? "&scope=all" : "") : "");
      fetch(url).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (j) {
          if (!res.ok) throw new Error(j.error || ("the server answered " + res.status));
          return j;
        });
      }).then(function (j) {
        if (j.provider && !script.getAttribute("data-title")) {
          title = "Ask about " + j.provider + "'s inspection reports";
          launcher.textContent = title; panel.querySelector("h2").textContent = title;
        }
        intro.appendChild(el("p", null, j.intro));
        if (j.starters && j.starters.length && !history.length) {
          var list = el("ul", { class: "starters", "aria-label": "Suggested questions" });
          j.starters.forEach(function (q) {
            var li = el("li");
            var b = el("button", { class: "starter", type: "button" }, q);
            b.addEventListener("click", function () { input.value = q; form.requestSubmit(); });
            li.appendChild(b); list.appendChild(li);
          });
          intro.appendChild(list);
        }
      }).catch(function (err) {
        // the page's visitor gets plain words; the detail is for the site's developer
        if (console && console.error) console.error("inspectbot widget: not available: " + err.message);
        intro.appendChild(el("p", { class: "problem", role: "alert" },
                             "This assistant isn't set up yet. Please try again later, or use the " +
                             "council's website to find its inspection reports."));
        if (provider) {  // a scoped widget that cannot be scoped must not answer about everything
          input.disabled = true; send.disabled = true; unavailable = true;
        }
      });
    }

    function save() { try { sessionStorage.setItem(storeKey, JSON.stringify(history.slice(-20))); } catch (e) {} }

    function render(m) {
      var box = el("div", { class: "msg " + (m.role === "user" ? "user" : "bot") });
      var who = el("span", { class: "sr" }, m.role === "user" ? "You: " : "Answer: ");
      box.appendChild(who);
      if (m.about) box.appendChild(el("span", { class: "about" }, m.about));
      var text = el("span", null, m.content);
      box.appendChild(text);
      if (m.citations && m.citations.length) addSources(box, m.citations);
      if (m.role !== "user" && m.content) addActions(box, m);
      log.appendChild(box);
      panelBody.scrollTop = panelBody.scrollHeight;
      return text;
    }

    // copy, and thumbs up or down with an optional comment (sent to /api/feedback)
    function addActions(box, m) {
      var row = el("div", { class: "acts" });
      var copy = el("button", { class: "act", type: "button" }, "Copy");
      copy.addEventListener("click", function () {
        var text = m.content + (m.citations || []).map(function (c) {
          return "\n[" + c.n + "] " + c.title + (c.page ? ", page " + c.page : "") + ": " + base + (c.view || c.url || "");
        }).join("");
        var done = function () { copy.textContent = "Copied"; setTimeout(function () { copy.textContent = "Copy"; }, 2000); };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, done);
      });
      row.appendChild(copy);
      if (m.question || m.id) {
        var up = el("button", { class: "act", type: "button", "aria-pressed": "false" }, "Helpful");
        var down = el("button", { class: "act", type: "button", "aria-pressed": "false" }, "Not helpful");
        up.addEventListener("click", function () { up.setAttribute("aria-pressed", "true"); down.disabled = true; up.disabled = true; rate("up", ""); });
        down.addEventListener("click", function () {
          down.setAttribute("aria-pressed", "true"); up.disabled = true; down.disabled = true;
          var why = el("div", { class: "why" });
          var wid = "ib-why-" + Math.random().toString(36).slice(2);
          why.appendChild(el("label", { for: wid }, "What was wrong? (optional)"));
          var area = el("textarea", { id: wid, rows: "2", maxlength: "2000" });
          var sendWhy = el("button", { class: "act", type: "button" }, "Send feedback");
          why.appendChild(area); why.appendChild(sendWhy); box.appendChild(why);
          area.focus();
          sendWhy.addEventListener("click", function () { why.remove(); rate("down", area.value.trim()); });
        });
        row.appendChild(up); row.appendChild(down);
      }
      box.appendChild(row);
      function rate(rating, comment) {
        var body = { rating: rating, comment: comment, question: (m.question || "").slice(0, LIMIT), answer: m.content.slice(0, 20000) };
        if (m.id) body.answer_id = m.id;
        fetch(base + "/api/feedback", { method: "POST", headers: { "Content-Type": "application/json" },
                                        body: JSON.stringify(body) })
          .then(function (res) { say(res.ok ? "Thanks for the feedback." : "Sorry, the feedback could not be saved."); },
                function () { say("Sorry, the feedback could not be saved."); });
      }
      function say(t) { box.appendChild(el("p", { class: "thanks", role: "status" }, t)); }
    }

    function addSources(box, citations) {
      var list = el("ol", { class: "sources", "aria-label": "Sources" });
      citations.forEach(function (c) {
        var li = el("li", { value: String(c.n) });
        // the view page: the cited page with the quoted words highlighted (a new tab)
        var link = el("a", { href: base + (c.view || c.url || ("/files/" + encodeURIComponent(c.source))),
                             target: "_blank", rel: "noopener" },
                      c.title + (c.page ? ", page " + c.page : ""));
        link.appendChild(el("span", { class: "sr" }, " (opens in a new tab)"));
        li.appendChild(link);
        li.appendChild(el("span", { class: "quote" }, "\u201c" + c.quote + "\u201d"));
        list.appendChild(li);
      });
      box.appendChild(list);
    }

    function open() {
      panel.hidden = false;
      launcher.classList.add("open");
      launcher.setAttribute("aria-expanded", "true");
      (unavailable ? close : input).focus();
    }
    function shut() {
      panel.hidden = true;
      launcher.classList.remove("open");
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    launcher.addEventListener("click", function () { panel.hidden ? open() : shut(); });
    close.addEventListener("click", shut);
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); shut(); } });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
    // a counter near the limit, and a clear message over it (nothing is cut)
    input.addEventListener("input", function () {
      var n = input.value.trim().length;
      count.hidden = n < LIMIT * 0.8;
      count.textContent = n.toLocaleString("en-GB") + " of " + LIMIT.toLocaleString("en-GB") + " characters";
      count.classList.toggle("over", n > LIMIT);
      if (n && n <= LIMIT) hint.textContent = "";
    });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = input.value.trim();
      if (send.disabled || unavailable) return;
      if (!q) { hint.textContent = "Type a question first."; input.focus(); return; }
      if (q.length > LIMIT) {
        hint.textContent = "Your question is " + q.length.toLocaleString("en-GB") + " characters long; the limit is " +
                           LIMIT.toLocaleString("en-GB") + ". Please shorten it.";
        input.focus(); return;
      }
      hint.textContent = "";
      input.value = ""; count.hidden = true;
      var starters = intro.querySelector(".starters");
      if (starters) starters.remove();
      submit(q);
    });

    function submit(q) {
      var past = history.map(function (m) { return { role: m.role, content: m.content }; }).slice(-10);
      var turn = { role: "user", content: q };
      history.push(turn); render(turn); save();
      ask(q, past, turn);
    }

    function ask(q, past, turn) {
      send.disabled = true;
      status.textContent = "Looking in the reports\u2026";
      var shown = { role: "assistant", content: "", question: q };
      var body = render(shown);
      body.textContent = "Looking in the reports"; body.classList.add("pending");
      var userBox = log.lastChild.previousSibling, failed = false;
      var request = { question: q, history: past, mode: mode, channel: "widget" };
      if (provider) request.scope = { provider: provider, all: everything };
      fetch(base + "/api/ask/stream", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request)
      }).then(function (res) {
        if (!res.ok) {
          return res.json().catch(function () { return {}; }).then(function (j) {
            if (console && console.error) console.error("inspectbot widget: the server answered " + res.status + ": " + (j.error || ""));
            fail(res.status === 429 ? "Too many questions: please wait a moment and try again."
                 : res.status < 500 && j.error ? j.error : "Sorry, something went wrong on our side.");
          });
        }
        var reader = res.body.getReader(), dec = new TextDecoder(), buf = "";
        function pump() {
          return reader.read().then(function (r) {
            if (r.done) return;
            buf += dec.decode(r.value, { stream: true });
            var parts = buf.split("\n\n"); buf = parts.pop();
            parts.forEach(function (block) {
              var ev = "message", data = "";
              block.split("\n").forEach(function (line) {
                if (line.indexOf("event: ") === 0) ev = line.slice(7);
                else if (line.indexOf("data: ") === 0) data += line.slice(6);
              });
              var payload = data ? JSON.parse(data) : {};
              if (ev === "token") { shown.content += payload.text; body.classList.remove("pending"); body.textContent = shown.content; }
              else if (ev === "answer") finish(payload);
              else if (ev === "error") fail(payload.error);
            });
            return pump();
          });
        }
        return pump().then(function () { if (!shown.done && !failed) fail("Sorry, the answer was cut off."); });
      }).catch(function () {
        fail("Sorry, the service could not be reached. Check your connection and try again.");
      }).then(function () { send.disabled = false; });

      // an error is not an answer: it stays out of the history, the question goes back in the
      // box, and "Try again" asks it again
      function fail(msg) {
        if (failed || shown.done) return;
        failed = true;
        var i = history.indexOf(turn);
        if (i >= 0) { history.splice(i, 1); save(); }
        var box = body.parentNode;
        box.classList.add("failed");
        body.classList.remove("pending");
        body.textContent = msg;
        var retry = el("button", { class: "retry", type: "button" }, "Try again");
        retry.addEventListener("click", function () {
          if (send.disabled) return;
          box.remove(); if (userBox) userBox.remove();
          if (input.value.trim() === q) input.value = "";
          submit(q);
        });
        box.appendChild(retry);
        if (!input.value.trim()) input.value = q;
        status.textContent = msg;
        send.disabled = false;
      }

      function finish(data) {
        if (failed) return;
        shown.done = true;
        body.classList.remove("pending");
        shown.content = data.answer; shown.citations = data.citations || []; shown.id = data.id || null;
        shown.about = (data.understood && data.understood.line) || "";
        // what the question was taken to mean, so a wrong council or year shows at once
        if (shown.about) body.parentNode.insertBefore(el("span", { class: "about" }, shown.about), body);
        body.textContent = shown.content;
        if (shown.citations.length) addSources(body.parentNode, shown.citations);
        addActions(body.parentNode, shown);
        history.push({ role: "assistant", content: shown.content, citations: shown.citations, about: shown.about,
                       question: q, id: shown.id }); save();
        status.textContent = "Answer received.";
        // show the answer from its top (what was understood, then the answer), not its last source
        var box = body.parentNode;
        panelBody.scrollTop = Math.max(0, box.getBoundingClientRect().top - panelBody.getBoundingClientRect().top
                                          + panelBody.scrollTop - 8);
        send.disabled = false;
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
