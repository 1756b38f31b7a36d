"""The staff chat's Insights tab: the figures of ui.insights for a period and provider, behind
the admin token, as accessible HTML (every resident's text escaped), with a CSV export."""

from __future__ import annotations

import base64
import html
from datetime import date, timedelta
from typing import Callable

import gradio as gr

from index.errors import InspectbotError
from ui.insights import DEFAULT_DAYS, Insights, Refused, check_token, to_csv

ANY = "(any)"


def e(text) -> str:
    return html.escape(str(text if text is not None else ""))


def summary(fig: dict) -> str:
    """The per-day figures in one sentence, beside the bar plot (gr.BarPlot), for everyone."""
    busiest = max(fig["per_day"], key=lambda d: d["questions"], default=None)
    text = (f"Questions per day from {fig['since']} to {fig['until']}: {fig['questions']} in all"
            + (f", most on {busiest['day']} ({busiest['questions']})." if busiest else "."))
    return f'<p class="ib-summary">{e(text)}</p>'


def table(caption: str, headers: list[str], rows: list[list], empty: str) -> str:
    if not rows:
        return f"<h3>{e(caption)}</h3><p>{e(empty)}</p>"
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<h3>{e(caption)}</h3><div class="ib-scroll"><table><caption class="ib-sr">{e(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


STYLE = """<style>
#insights-report{color:#111827}
#insights-report .ib-cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0;padding:0;list-style:none}
#insights-report .ib-cards li{border:1px solid #6b7280;border-radius:8px;padding:8px 12px;min-width:140px;background:#fff;color:#111827}
#insights-report .ib-cards strong{display:block;font-size:1.5rem}
#insights-report table{border-collapse:collapse;width:100%;margin-bottom:12px}
#insights-report th,#insights-report td{border:1px solid #9ca3af;padding:4px 8px;text-align:left;vertical-align:top;color:#111827;background:#fff}
#insights-report .ib-scroll{max-height:420px;overflow:auto}
#insights-report .ib-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#insights-report figure{margin:8px 0}
#insights-report figcaption{font-size:.9rem;color:#374151}
</style>"""


def per_day_frame(fig: dict):
    """Questions per day for a bar plot: one row per day and kind (answered, refused), every
    day of the period, labelled by its date (ISO, so the days sort in order on the x axis)."""
    import pandas as pd

    first, last = date.fromisoformat(fig["since"]), date.fromisoformat(fig["until"])
    by_day = {d["day"]: d for d in fig["per_day"]}
    rows = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        d = by_day.get(day.isoformat(), {"questions": 0, "refused": 0})
        rows.append({"day": day.isoformat(), "questions": d["questions"] - d["refused"], "kind": "answered"})
        rows.append({"day": day.isoformat(), "questions": d["refused"], "kind": "refused"})
    return pd.DataFrame(rows, columns=["day", "questions", "kind"])


def report_html(fig: dict, title: Callable[[str], str] = lambda s: s) -> str:
    rate = f"{fig['refusal_rate'] * 100:.1f}%"
    p50 = fig["latency_ms"]["p50"]
    cards = [("Questions", fig["questions"]), ("Refused", f"{fig['refused']} ({rate})"),
             ("Thumbs down", fig["thumbs_down"]), ("Thumbs up", fig["thumbs_up"]),
             ("Median answer time", f"{p50:.0f} ms" if p50 is not None else "-")]
    scope = f" about {fig['provider']}" if fig["provider"] else ""
    parts = [STYLE, f"<h2>Questions{e(scope)}, {e(fig['since'])} to {e(fig['until'])}</h2>",
             '<ul class="ib-cards">' + "".join(f"<li>{e(k)}<strong>{e(v)}</strong></li>" for k, v in cards) + "</ul>",
             summary(fig)]
    g = fig["grouping"]
    note = (f"Questions with the same meaning are counted together ({g['grouped']} of "
            f"{g['distinct_wordings']} distinct wordings grouped).")
    parts.append(table("Most asked", ["Question (one example)", "Council", "Times asked", "Wordings", "Refused"],
                       [[x["example"], x.get("provider") or "", x["count"], x["variants"], x["refused"]]
                        for x in fig["top_questions"]], "No questions in this period."))
    parts.append(f"<p>{e(note)}</p>")
    parts.append(table("Refused questions", ["Question (one example)", "Council", "Times refused", "Wordings"],
                       [[x["example"], x.get("provider") or "", x["count"], x["variants"]] for x in fig["refused_questions"]],
                       "Nothing was refused in this period."))
    parts.append(table("Answers marked unhelpful", ["When", "Question", "Answer", "Comment"],
                       [[x["at"].replace("T", " "), x["question"], x["answer"][:600], x["comment"]]
                        for x in fig["thumbs_down_answers"]], "No thumbs down in this period."))
    parts.append(table("Reports most cited", ["Report", "Answers citing it"],
                       [[title(x["source"]), x["count"]] for x in fig["most_cited"]], "No reports were cited."))
    parts.append(table("Where questions were asked", ["Channel", "Scope", "Questions"],
                       [[x["channel"], x["scope"] or "", x["questions"]] for x in fig["channels"]], "-"))
    return '<div id="insights-report">' + "".join(parts) + "</div>"


def csv_link(fig: dict) -> str:
    """The CSV export as a link holding the file itself: it goes only to whoever gave the token,
    and no copy is left on the server."""
    data = base64.b64encode(to_csv(fig).encode("utf-8")).decode("ascii")
    name = f"inspectbot-insights-{fig['since']}-{fig['until']}.csv"
    return (f'<p><a id="insights-csv" download="{e(name)}" href="data:text/csv;charset=utf-8;base64,{data}">'
            f"Export CSV</a></p>")


def insights_tab(insights: Insights, admin_token: str, limit=None, titles: Callable[[str], str] | None = None) -> None:
    """Adds the tab to the Blocks being built. ``limit`` (ui.guard.gradio_limit): token checks
    cost from the client's rate-limit budget. ``titles(source)``: a report's title, for the
    reports most cited. A correct token opens a session for the page (kept on the server,
    in Gradio's per-page state, never in the browser), so it is typed once per visit."""
    title = titles or (lambda s: s)
    with gr.Tab("Insights"):
        gr.Markdown("What residents ask, what could not be answered and which answers were marked "
                    "unhelpful. Questions are shown as typed and may hold personal details.")
        with gr.Row():
            token = gr.Textbox(label="Admin token", type="password", elem_id="insights-token")
            since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="insights-since",
                               value=lambda: (date.today() - timedelta(days=DEFAULT_DAYS - 1)).isoformat())
            until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="insights-until",
                               value=lambda: date.today().isoformat())
            provider = gr.Dropdown([ANY], value=ANY, label="Council or provider", allow_custom_value=True,
                                   elem_id="insights-provider")
        with gr.Row():
            show = gr.Button("Show insights", variant="primary", elem_id="insights-show")
        per_day = gr.BarPlot(x="day", y="questions", color="kind", x_title="Day", y_title="Questions",
                             title="Questions per day (answered and refused)", label="Questions per day",
                             visible=False, elem_id="insights-per-day", height=260, sort="x",
                             x_label_angle=-45)
        report = gr.HTML(elem_id="insights-output")
        session = gr.State(False)  # this page has given the right token

        def run(token_value, since_value, until_value, provider_value, opened, request: gr.Request = None):
            if limit and (over := limit(request)):
                return (f"<p role=\"alert\">{e(over)}</p>", gr.update(), gr.update(visible=False), opened, gr.update())
            try:
                if not opened:
                    check_token(admin_token, token_value)
                fig = insights.figures(since_value, until_value,
                                       None if provider_value in (None, "", ANY) else provider_value)
            except (Refused, InspectbotError) as exc:
                return (f"<p role=\"alert\">{e(exc.message)}</p>", gr.update(),
                        gr.update(visible=False), opened, gr.update())
            choices = [ANY] + insights.providers()
            return (report_html(fig, title) + csv_link(fig),
                    gr.update(choices=choices if provider_value in choices else choices + [provider_value]),
                    gr.update(visible=True, value=per_day_frame(fig)), True,
                    gr.update(value="", placeholder="Signed in for this page", interactive=False))

        show.click(run, [token, since, until, provider, session], [report, provider, per_day, session, token],
                   api_visibility="private")
