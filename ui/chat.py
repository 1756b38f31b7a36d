"""The staff chat (Gradio Blocks), mounted in the FastAPI app at ``/``.

Streaming answers with source cards, filters, a parent/staff switch, thumbs up/down, a
Markdown export, a page of the indexed reports and, behind a token, an admin tab. Everything
the bot says is escaped before Gradio renders it: report text is never treated as HTML.
"""

from __future__ import annotations

import html
import re
import time
from typing import Callable

import gradio as gr

from bot.types import Answer
from index.errors import InspectbotError
from index.vocab import JUDGEMENT_LABELS, human_date as fmt_date
from ui.guard import capped_history

# system fonts only: nothing is fetched from a font CDN
THEME = gr.themes.Default(primary_hue="blue", font=["system-ui", "Segoe UI", "Arial", "sans-serif"],
                          font_mono=["ui-monospace", "Consolas", "monospace"]).set(
    button_primary_background_fill="#1d4ed8", button_primary_background_fill_hover="#1e40af",
    button_primary_text_color="#ffffff", button_primary_border_color="#1d4ed8")
ANY = "(any)"
MAX_QUESTION = 2000  # bot.answer.MAX_QUESTION, said to the user before anything is sent
STARTER_SLOTS = 4
INTRO = ("**Ask a question about the inspection reports held here.** Every answer quotes the "
         "report it comes from and links to the page. Choose a council in the filters below or "
         "name it in your question, or try one of the suggested questions above the box.")
# shows a new answer from its top: the chat box is scrolled to the last answer's first line
SCROLL_JS = """() => { const bots = document.querySelectorAll('#chat .message-row.bot-row, #chat .bot-row');
  const last = bots[bots.length - 1]; if (!last) return;
  let box = last.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight + 2 && /auto|scroll/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (box) box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 40; }"""
# a counter near the limit and a clear message over it, in the browser (nothing is cut)
COUNT_JS = f"""(q) => {{ const n = (q || '').trim().length;
  if (n > {MAX_QUESTION}) return 'Your question is ' + n.toLocaleString('en-GB') + ' characters long; the limit is {MAX_QUESTION:,}. Please shorten it.';
  return n >= {int(MAX_QUESTION * 0.8)} ? n.toLocaleString('en-GB') + ' of {MAX_QUESTION:,} characters' : ''; }}"""
TYPE_LABELS = {"ilacs": "Children's services (ILACS)", "children_services_older": "Children's services (older framework)",
               "area_send": "Area SEND", "school": "School", "care_home": "Care home", "news": "Press release",
               "other": "Other"}
REPORT_TYPES = {"children's services (ILACS)": "ilacs", "children's services (older frameworks)": "children_services_older",
                "area SEND": "area_send", "school": "school", "care home": "care_home", "other": "other"}


def esc(text: str) -> str:
    """Escape for Gradio's Markdown: no HTML, no Markdown links or images from report text."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;").replace("*", "&#42;")


SHOWN_SOURCES = 3  # source cards shown before "Show all N sources"


def card_dates(f: dict) -> str:
    """'inspected 3-14 March 2025 · published 2 May 2025', each only where the report gives it."""
    from bot.types import _span

    start, end, published = (str(f.get(k) or "") for k in ("inspection_start", "inspection_end", "published"))
    bits = []
    if start or end:
        bits.append("inspected " + _span(start, end))
    if published:
        bits.append("published " + fmt_date(published))
    return " · ".join(bits)


def source_cards(answer: Answer, docs: dict, page_url: Callable[[str, int | None, str], str]) -> str:
    """Cards that link to the cited page with the quoted words highlighted; past the first
    three they are folded under "Show all N sources"."""
    if not answer.citations:
        return ""
    cards = ["", "", "---", "", "**Sources**"]
    for i, c in enumerate(answer.citations):
        if i == SHOWN_SOURCES:
            cards.append(f"\n<details><summary>Show all {len(answer.citations)} sources</summary>\n")
        f = docs[c.source].facts if c.source in docs else {}
        bits = [b for b in (f.get("provider"), card_dates(f), f"page {c.page}" if c.page else "") if b]
        cards.append(f"\n**[{c.n}] {esc(c.title)}**  \n{esc(' · '.join(str(b) for b in bits))}  \n"
                     f"> “{esc(c.quote)}”  \n\n[Open the report{' at page ' + str(c.page) if c.page else ''}]"
                     f"({page_url(c.source, c.page, c.quote)})")
    if len(answer.citations) > SHOWN_SOURCES:
        cards.append("\n</details>")
    return "\n".join(cards)


def plain(content) -> str:
    """A chat message's text: Gradio hands content back as a string or a list of parts."""
    if isinstance(content, (list, tuple)):
        content = "\n".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return html.unescape(str(content or ""))


def about(answer: Answer, filters: dict | None = None) -> str:
    """The line above an answer that says what the question was taken to mean, and which of
    the chosen filters applied (a council filter gives way to a council the question names)."""
    line = answer.understood.line() if answer.understood else ""
    note = filters_note(answer, filters or {})
    line = f"{line}. {note}" if line and note else line or note
    return f"*{esc(line)}*\n\n" if line else ""


def filters_note(answer: Answer, filters: dict) -> str:
    """'Filters used: year 2018. The council filter (Salford) was not used: the question names
    Birmingham.' or '' with no filters chosen."""
    if not filters:
        return ""
    named = answer.understood.providers if answer.understood else ()
    kinds = {v: k for k, v in REPORT_TYPES.items()}
    used, unused = [], ""
    chosen = filters.get("provider")
    if chosen:
        if named and chosen not in named:
            unused = f"the council filter ({chosen}) was not used: the question names {' & '.join(named)}"
        else:
            used.append(str(chosen))
    if filters.get("report_type"):
        used.append(kinds.get(filters["report_type"], str(filters["report_type"])) + " reports")
    if filters.get("inspectorate"):
        used.append(str(filters["inspectorate"]))
    if filters.get("year"):
        used.append(f"year {filters['year']}")
    parts = (["Filters used: " + ", ".join(used)] if used else []) + ([unused[0].upper() + unused[1:]] if unused else [])
    return ". ".join(parts) + "." if parts else ""


def plain_text(content) -> str:
    """A chat message as the bot reads it back: its 'About' line and source cards left out."""
    text = plain(content).replace("&#91;", "[").replace("&#93;", "]").replace("&#42;", "*")
    text = text.split("\n\n---\n", 1)[0]
    return re.sub(r"^\*(?:About: |Filters used: |The council filter )[^\n]*\*\n\n", "", text)


# the Markdown export, made in the browser when asked (no copy of it on the server): each
# message's text under a heading, its links (source cards, view pages) made absolute
EXPORT_JS = """(history) => {
  const text = (c) => { const raw = Array.isArray(c) ? c.map((p) => (p && p.text) || String(p)).join("\\n")
                                                      : String(c || "");
    const d = new DOMParser().parseFromString("<body>" + raw, "text/html");
    for (const a of d.body.querySelectorAll("a[href]")) {
      a.replaceWith("[" + a.textContent + "](" + new URL(a.getAttribute("href"), location.href).href + ")"); }
    return d.body.textContent.replace(/\]\(\//g, "](" + location.origin + "/"); };
  if (!history || !history.length) return [];
  const lines = ["# inspectbot conversation, " + new Date().toISOString().slice(0, 10), ""];
  for (const m of history) lines.push("## " + (m.role === "user" ? "Question" : "Answer"), "", text(m.content), "");
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([lines.join("\\n")], {type: "text/markdown"}));
  a.download = "inspectbot-conversation.md"; document.body.appendChild(a); a.click(); a.remove();
  return [];
}"""


def _label(key: str) -> str:
    label = re.sub(r"^the ", "", JUDGEMENT_LABELS.get(key, key[len("judgement_"):].replace("_", " ")))
    return label[:1].upper() + label[1:]


def report_rows(docs) -> list[list[str]]:
    """The Reports tab: by provider, newest first; types and grades in words, every judgement
    of a report that gives several and no single overall grade."""
    from bot.factual import when_key
    from bot.types import _span

    rows = []
    for d in sorted(sorted(docs, key=when_key, reverse=True),
                    key=lambda d: str(d.facts.get("provider") or "~").lower()):
        f = d.facts
        start, end = str(f.get("inspection_start") or ""), str(f.get("inspection_end") or "")
        grade = f.get("judgement_overall") or f.get("send_outcome") or ""
        if not grade:
            grade = "; ".join(f"{_label(k)}: {str(v).capitalize()}" for k, v in f.items()
                              if k.startswith("judgement_") and k != "judgement_previous_overall" and v)
        rtype = str(f.get("report_type") or "")
        rows.append([str(f.get("provider") or ""), TYPE_LABELS.get(rtype, rtype.replace("_", " ").capitalize()),
                     _span(start, end) if (start or end) else "", fmt_date(str(f.get("published") or "")),
                     str(grade).capitalize() if grade and ":" not in str(grade) else str(grade), d.title or d.source])
    return rows


def build_chat(answerer, page_url, feedback=None, admin: Callable | None = None,
               admin_token: str = "", starters: tuple[str, ...] = (), questions=None, insights=None,
               limit: Callable | None = None, providers: list[str] | None = None,
               starters_for: Callable[[str], list[str]] | None = None) -> gr.Blocks:
    """``page_url(source, page, quote)``: where a source card links; ``starters``: questions
    offered above the question box, asked with one click, and ``starters_for(provider)`` the
    ones for a council chosen in the filter; ``providers``: the council filter's entries (one
    per provider, under its display name); ``questions``: the question log
    (ui.state.QuestionLog) the chat's questions go to; ``insights``: ui.insights.Insights for
    the staff Insights tab (shown with an admin token); ``limit(gr.Request)``: '' or the
    message for a client over its rate limit (ui.guard.gradio_limit)."""
    docs = {d.source: d for d in answerer.documents()}
    if providers is None:
        providers = sorted({str(d.facts.get("provider")) for d in docs.values() if d.facts.get("provider")})
    years = sorted({int(d.facts["year"]) for d in docs.values() if d.facts.get("year")}, reverse=True)
    inspectorates = sorted({str(d.facts.get("inspectorate")) for d in docs.values() if d.facts.get("inspectorate")})
    starters = tuple(starters)[:STARTER_SLOTS]

    with gr.Blocks(title="inspectbot") as demo:
        gr.Markdown("## Ask about inspection reports\nEvery answer quotes and cites the report it comes from.")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(label="Conversation", height=460, elem_id="chat", buttons=["copy"],
                                 autoscroll=False, placeholder=INTRO, sanitize_html=True)
            with gr.Row(elem_id="starters"):
                starter_buttons = [gr.Button(starters[i] if i < len(starters) else "", size="sm",
                                             variant="secondary", visible=i < len(starters))
                                   for i in range(STARTER_SLOTS)]
            with gr.Row():
                box = gr.Textbox(label="Your question", scale=4, elem_id="question", max_lines=6,
                                 placeholder="e.g. How did Ofsted rate Salford's children's services in 2018?")
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            hint = gr.Markdown("", elem_id="hint")
            with gr.Row():
                mode = gr.Radio(["staff", "parent"], value="staff", label="Mode")
                provider = gr.Dropdown([ANY] + providers, value=ANY, label="Council or provider")
                rtype = gr.Dropdown([ANY] + list(REPORT_TYPES), value=ANY, label="Report type")
                insp = gr.Dropdown([ANY] + inspectorates, value=ANY, label="Inspectorate")
                year = gr.Dropdown([ANY] + [str(y) for y in years], value=ANY, label="Year")
            with gr.Row():
                export = gr.Button("Export conversation (Markdown)", elem_id="export", interactive=False)
                thanks = gr.Markdown("", elem_id="thanks")
            with gr.Column(visible=False, elem_id="why") as why_row:
                why = gr.Textbox(label="What was wrong with this answer? (optional)", lines=2, max_length=2000,
                                 elem_id="why-text")
                why_send = gr.Button("Send feedback", size="sm", elem_id="why-send")

        with gr.Tab("Reports"):
            gr.Dataframe(report_rows(docs.values()),
                         headers=["Provider", "Type", "Inspected", "Published", "Overall / judgements", "Report"],
                         interactive=False, wrap=True, column_widths=["16%", "12%", "14%", "11%", "20%", "27%"])

        if admin is not None and admin_token:
            with gr.Tab("Admin"):
                gr.Markdown("Upload reports (PDF, HTML, DOCX, text) into the reports folder and re-sync the index.")
                token = gr.Textbox(label="Admin token", type="password")
                files = gr.File(label="Reports", file_count="multiple")
                run = gr.Button("Upload and re-sync")
                result = gr.Markdown()

                def run_admin(t, f, request: gr.Request = None):
                    return admin(t, f, request)

                run.click(run_admin, [token, files], result)

        if insights is not None and admin_token:
            from ui.insights_tab import insights_tab

            insights_tab(insights, admin_token, limit,
                         titles=lambda s: docs[s].title if s in docs and docs[s].title else s)

        answer_ids = gr.State({})  # assistant message index -> the logged answer's id
        pending = gr.State(None)  # the thumbs-down an optional comment is added to

        def respond(question, history, mode_value, provider_value, type_value, insp_value, year_value,
                    ids=None, request: gr.Request = None):
            started = time.perf_counter()
            ids = dict(ids or {})
            history = list(history or [])
            question = question or ""
            # nothing is sent for an empty or over-long question: a hint says why
            if not question.strip():
                yield history, question, ids, "Type a question first."
                return
            n = len(question.strip())
            if n > MAX_QUESTION:
                yield history, question, ids, (f"Your question is {n:,} characters long; the limit is "
                                               f"{MAX_QUESTION:,}. Please shorten it.")
                return
            past = [{"role": m["role"], "content": plain_text(m.get("content"))} for m in capped_history(history)
                    if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
            if limit and (over := limit(request)):  # the same budget as /api/ask
                yield history, question, ids, esc(over)
                return
            history.append({"role": "user", "content": esc(question)})
            history.append({"role": "assistant", "content": ""})
            filters = {}
            if provider_value and provider_value != ANY:
                filters["provider"] = provider_value
            if type_value and type_value != ANY:
                filters["report_type"] = REPORT_TYPES[type_value]
            if insp_value and insp_value != ANY:
                filters["inspectorate"] = insp_value
            if year_value and year_value != ANY:
                filters["year"] = int(year_value)
            try:
                text = ""
                for piece in answerer.stream(question, past, mode_value, filters or None):
                    if isinstance(piece, str):
                        text += piece
                        history[-1]["content"] = esc(text)
                    else:
                        history[-1]["content"] = (about(piece, filters) + esc(piece.text)
                                                  + source_cards(piece, docs, page_url))
                        if questions is not None:
                            ids[len(history) - 1] = questions.record(
                                question, piece, latency_ms=(time.perf_counter() - started) * 1e3,
                                channel="chat", scope=filters.get("provider", ""), mode=mode_value)
                    yield history, "", ids, ""
            except InspectbotError as exc:
                # an error is not a turn of the conversation: the question stays in the box
                yield history[:-2], question, ids, esc(exc.message[:1].upper() + exc.message[1:])

        inputs = [box, chatbot, mode, provider, rtype, insp, year, answer_ids]
        outputs = [chatbot, box, answer_ids, hint]
        # Gradio runs one event of a listener at a time unless told otherwise: one user's
        # question would hold up every other. The answerer limits work to the CPU it has.
        send.click(respond, inputs, outputs, concurrency_limit=None).then(None, js=SCROLL_JS)
        box.submit(respond, inputs, outputs, concurrency_limit=None).then(None, js=SCROLL_JS)
        box.change(None, box, hint, js=COUNT_JS)
        for button in starter_buttons:
            button.click(lambda q: q, button, box).then(respond, inputs, outputs,
                                                        concurrency_limit=None).then(None, js=SCROLL_JS)

        def follow(provider_value):
            """The starters follow the council filter."""
            qs = list(starters)
            if starters_for is not None and provider_value and provider_value != ANY:
                qs = list(starters_for(provider_value))[:STARTER_SLOTS] or qs
            return [gr.update(value=qs[i], visible=True) if i < len(qs) else gr.update(visible=False)
                    for i in range(STARTER_SLOTS)]

        provider.change(follow, provider, starter_buttons)

        def turn_at(history, i):
            answer = plain_text(history[i]["content"]) if i < len(history) else ""
            question = next((plain(history[j]["content"]) for j in range(i - 1, -1, -1)
                             if history[j].get("role") == "user"), "")
            return question, answer

        def on_like(history, ids, data: gr.LikeData):
            if feedback is None:
                return "Feedback is not stored on this server.", gr.update(visible=False), None, ""
            i = data.index if isinstance(data.index, int) else data.index[0]
            question, answer = turn_at(history, i)
            rating = "up" if data.liked else "down"
            if not feedback.add_feedback(question or "(none)", answer, rating, answer_id=(ids or {}).get(i),
                                         require_logged=True):
                return "Feedback is kept only for answers in the question log.", gr.update(visible=False), None, ""
            if rating == "down":  # stored at once; it asks what was wrong, which is added if sent
                return ("Thanks for the feedback. What was wrong? You can say below (optional).", gr.update(visible=True),
                        {"question": question or "(none)", "answer": answer, "id": (ids or {}).get(i)}, "")
            return "Thanks for the feedback.", gr.update(visible=False), None, ""

        chatbot.like(on_like, [chatbot, answer_ids], [thanks, why_row, pending, why])

        def on_why(comment, waiting):
            if feedback is None or not waiting:
                return "", gr.update(visible=False), None, ""
            if (comment or "").strip():
                feedback.add_comment(waiting["question"], waiting["answer"], comment.strip()[:2000],
                                     answer_id=waiting.get("id"))
            return "Thanks for the feedback.", gr.update(visible=False), None, ""

        why_send.click(on_why, [why, pending], [thanks, why_row, pending, why])

        # the transcript is made in the browser, when asked: no file of it on the server; the
        # button is off while the conversation is empty
        export.click(None, chatbot, None, js=EXPORT_JS)
        chatbot.change(lambda h: gr.update(interactive=bool(h)), chatbot, export, api_visibility="private")
    return demo
