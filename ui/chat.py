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
from index.vocab import human_date as fmt_date
from ui.guard import capped_history

# system fonts only: nothing is fetched from a font CDN
THEME = gr.themes.Default(primary_hue="blue", font=["system-ui", "Segoe UI", "Arial", "sans-serif"],
                          font_mono=["ui-monospace", "Consolas", "monospace"]).set(
    button_primary_background_fill="#1d4ed8", button_primary_background_fill_hover="#1e40af",
    button_primary_text_color="#ffffff", button_primary_border_color="#1d4ed8")
ANY = "(any)"
REPORT_TYPES = {"children's services (ILACS)": "ilacs", "children's services (older frameworks)": "children_services_older",
                "area SEND": "area_send", "school": "school", "care home": "care_home", "other": "other"}


def esc(text: str) -> str:
    """Escape for Gradio's Markdown: no HTML, no Markdown links or images from report text."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;").replace("*", "&#42;")


def source_cards(answer: Answer, docs: dict, page_url: Callable[[str, int | None, str], str]) -> str:
    """Cards that link to the cited page with the quoted words highlighted."""
    if not answer.citations:
        return ""
    cards = ["", "", "---", "", "**Sources**"]
    for c in answer.citations:
        f = docs[c.source].facts if c.source in docs else {}
        when = fmt_date(f.get("inspection_end") or f.get("published") or "")
        bits = [b for b in (f.get("provider"), f"inspected {when}" if when else "",
                            f"page {c.page}" if c.page else "") if b]
        cards.append(f"\n**[{c.n}] {esc(c.title)}**  \n{esc(' · '.join(str(b) for b in bits))}  \n"
                     f"> “{esc(c.quote)}”  \n\n[Open the report{' at page ' + str(c.page) if c.page else ''}]"
                     f"({page_url(c.source, c.page, c.quote)})")
    return "\n".join(cards)


def plain(content) -> str:
    """A chat message's text: Gradio hands content back as a string or a list of parts."""
    if isinstance(content, (list, tuple)):
        content = "\n".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return html.unescape(str(content or ""))


def about(answer: Answer) -> str:
    """The line above an answer that says what the question was taken to mean."""
    line = answer.understood.line() if answer.understood else ""
    return f"*{esc(line)}*\n\n" if line else ""


def plain_text(content) -> str:
    """A chat message as the bot reads it back: its 'About' line and source cards left out."""
    text = plain(content).replace("&#91;", "[").replace("&#93;", "]").replace("&#42;", "*")
    text = text.split("\n\n---\n", 1)[0]
    return re.sub(r"^\*About: [^\n]*\*\n\n", "", text)


# the Markdown export, made in the browser: each message's text (HTML entities decoded) under a heading
EXPORT_JS = """(history) => {
  const text = (c) => { const raw = Array.isArray(c) ? c.map((p) => (p && p.text) || String(p)).join("\\n")
                                                      : String(c || "");
    const d = new DOMParser().parseFromString("<body>" + raw, "text/html"); return d.body.textContent; };
  const lines = ["# inspectbot conversation, " + new Date().toISOString().slice(0, 10), ""];
  for (const m of history || []) lines.push("## " + (m.role === "user" ? "Question" : "Answer"), "", text(m.content), "");
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([lines.join("\\n")], {type: "text/markdown"}));
  a.download = "inspectbot-conversation.md"; document.body.appendChild(a); a.click(); a.remove();
  return [];
}"""


def build_chat(answerer, page_url, feedback=None, admin: Callable | None = None,
               admin_token: str = "", starters: tuple[str, ...] = (), questions=None, insights=None,
               limit: Callable | None = None) -> gr.Blocks:
    """``page_url(source, page, quote)``: where a source card links; ``starters``: questions
    offered under the conversation, asked with one click; ``questions``: the question log
    (ui.state.QuestionLog) the chat's questions go to; ``insights``: ui.insights.Insights for
    the staff Insights tab (shown with an admin token); ``limit(gr.Request)``: '' or the
    message for a client over its rate limit (ui.guard.gradio_limit)."""
    docs = {d.source: d for d in answerer.documents()}
    providers = sorted({str(d.facts.get("provider")) for d in docs.values() if d.facts.get("provider")})
    years = sorted({int(d.facts["year"]) for d in docs.values() if d.facts.get("year")}, reverse=True)
    inspectorates = sorted({str(d.facts.get("inspectorate")) for d in docs.values() if d.facts.get("inspectorate")})

    with gr.Blocks(title="inspectbot") as demo:
        gr.Markdown("## Ask about inspection reports\nEvery answer quotes and cites the report it comes from.")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(label="Conversation", height=460, elem_id="chat", buttons=["copy"])
            with gr.Row():
                box = gr.Textbox(label="Your question", scale=4, max_length=2000, elem_id="question",
                                 placeholder="e.g. How did Ofsted rate Salford's children's services in 2018?")
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            with gr.Row(elem_id="starters"):
                starter_buttons = [gr.Button(q, size="sm", variant="secondary") for q in starters]
            with gr.Row():
                mode = gr.Radio(["staff", "parent"], value="staff", label="Mode")
                provider = gr.Dropdown([ANY] + providers, value=ANY, label="Council or provider")
                rtype = gr.Dropdown([ANY] + list(REPORT_TYPES), value=ANY, label="Report type")
                insp = gr.Dropdown([ANY] + inspectorates, value=ANY, label="Inspectorate")
                year = gr.Dropdown([ANY] + [str(y) for y in years], value=ANY, label="Year")
            with gr.Row():
                export = gr.Button("Export conversation (Markdown)", elem_id="export")
                thanks = gr.Markdown("")

        with gr.Tab("Reports"):
            rows = [[d.facts.get("provider", ""), d.facts.get("report_type", ""), d.facts.get("inspection_end") or d.facts.get("published") or "",
                     d.facts.get("judgement_overall") or d.facts.get("send_outcome") or "", d.source] for d in docs.values()]
            gr.Dataframe(rows, headers=["Provider", "Type", "Inspected", "Overall / outcome", "Source"],
                         interactive=False, wrap=True)

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

            insights_tab(insights, admin_token, limit)

        answer_ids = gr.State({})  # assistant message index -> the logged answer's id

        def respond(question, history, mode_value, provider_value, type_value, insp_value, year_value,
                    ids=None, request: gr.Request = None):
            started = time.perf_counter()
            ids = dict(ids or {})
            history = list(history or [])
            past = [{"role": m["role"], "content": plain_text(m.get("content"))} for m in capped_history(history)
                    if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
            if limit and (over := limit(request)):  # the same budget as /api/ask
                yield history + [{"role": "user", "content": esc(question)},
                                 {"role": "assistant", "content": esc(over)}], "", ids
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
                        history[-1]["content"] = (about(piece) + esc(piece.text)
                                                  + source_cards(piece, docs, page_url))
                        if questions is not None:
                            ids[len(history) - 1] = questions.record(
                                question, piece, latency_ms=(time.perf_counter() - started) * 1e3,
                                channel="chat", scope=filters.get("provider", ""), mode=mode_value)
                    yield history, "", ids
            except InspectbotError as exc:
                history[-1]["content"] = esc(exc.message)
                yield history, "", ids

        inputs = [box, chatbot, mode, provider, rtype, insp, year, answer_ids]
        # Gradio runs one event of a listener at a time unless told otherwise: one user's
        # question would hold up every other. The answerer limits work to the CPU it has.
        send.click(respond, inputs, [chatbot, box, answer_ids], concurrency_limit=None)
        box.submit(respond, inputs, [chatbot, box, answer_ids], concurrency_limit=None)
        for button, q in zip(starter_buttons, starters):
            button.click(lambda q=q: q, None, box).then(respond, inputs, [chatbot, box, answer_ids],
                                                        concurrency_limit=None)

        def on_like(history, ids, data: gr.LikeData):
            if feedback is None:
                return "Feedback is not stored on this server."
            i = data.index if isinstance(data.index, int) else data.index[0]
            answer = plain(history[i]["content"]) if i < len(history) else ""
            question = next((plain(history[j]["content"]) for j in range(i - 1, -1, -1)
                             if history[j].get("role") == "user"), "")
            if not feedback.add_feedback(question or "(none)", answer, "up" if data.liked else "down",
                                         answer_id=(ids or {}).get(i), require_logged=True):
                return "Feedback is kept only for answers in the question log."
            return "Thanks for the feedback."

        chatbot.like(on_like, [chatbot, answer_ids], thanks)

        # the transcript is made in the browser, when asked: no file of it on the server
        export.click(None, chatbot, None, js=EXPORT_JS)
    return demo
