"""The staff chat (Gradio Blocks), mounted in the FastAPI app. A first version: streaming
answers with their sources, a mode switch and a provider filter."""

from __future__ import annotations

import html

import gradio as gr

from bot.answer import Answerer
from bot.types import Answer
from index.errors import InspectbotError

# system fonts only: nothing is fetched from a font CDN
THEME = gr.themes.Default(font=["system-ui", "Segoe UI", "Arial", "sans-serif"],
                          font_mono=["ui-monospace", "Consolas", "monospace"])


def sources_markdown(answer: Answer) -> str:
    if not answer.citations:
        return ""
    lines = ["", "**Sources**"]
    for c in answer.citations:
        page = f", page {c.page}" if c.page else ""
        from ui.app import file_url

        lines.append(f"{c.n}. [{html.escape(c.title)}{page}]({file_url(c.source, c.page)}): "
                     f"“{html.escape(c.quote)}”")
    return "\n".join(lines)


def build_chat(answerer: Answerer) -> gr.Blocks:
    providers = sorted({str(d.facts.get("provider")) for d in answerer.documents() if d.facts.get("provider")})
    with gr.Blocks(title="inspectbot") as demo:
        gr.Markdown("## Ask about inspection reports\nEvery answer quotes and cites the report it comes from.")
        chatbot = gr.Chatbot(label="Conversation", height=480)
        with gr.Row():
            box = gr.Textbox(label="Your question", placeholder="e.g. How did Ofsted rate Salford's children's services in 2018?",
                             scale=4, max_length=2000)
            send = gr.Button("Ask", variant="primary", scale=1)
        with gr.Row():
            mode = gr.Radio(["staff", "parent"], value="staff", label="Mode")
            provider = gr.Dropdown(["(any)"] + providers, value="(any)", label="Council or provider")

        def respond(question, history, mode_value, provider_value):
            history = list(history or [])
            past = [{"role": m["role"], "content": m["content"]} for m in history
                    if isinstance(m, dict) and isinstance(m.get("content"), str)]
            history.append({"role": "user", "content": question})
            history.append({"role": "assistant", "content": ""})
            filters = {"provider": provider_value} if provider_value and provider_value != "(any)" else None
            try:
                text = ""
                for piece in answerer.stream(question, past, mode_value, filters):
                    if isinstance(piece, str):
                        text += piece
                        history[-1]["content"] = html.escape(text)
                        yield history, ""
                    else:
                        history[-1]["content"] = html.escape(piece.text) + sources_markdown(piece)
                        yield history, ""
            except InspectbotError as exc:
                history[-1]["content"] = html.escape(exc.message)
                yield history, ""

        send.click(respond, [box, chatbot, mode, provider], [chatbot, box])
        box.submit(respond, [box, chatbot, mode, provider], [chatbot, box])
    return demo
