"""What the routes for AI assistants (MCP, the OpenAI-compatible endpoint) share: a question
asked under the same scope rules as ``/api/ask``, logged the same way, and citations with
links an assistant can hand on (absolute where the app's address is known)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from bot.answer import Answerer
from bot.types import pieces, validate_question
from bot.types import Answer, Citation
from index.errors import InspectbotError
from index.types import Document
from ui.scope import Scope, Scopes, UnknownProvider
from ui.view import file_url, view_url

log = logging.getLogger(__name__)


class NotCovered(InspectbotError):
    """A provider outside the scope the request runs under."""

    status = 403


@dataclass(frozen=True)
class Asker:
    """The Answerer behind the assistant routes, with the app's scopes and question log."""

    answerer: Answerer
    scopes: Scopes
    questions: object | None = None  # ui.state.QuestionLog, or None
    public_url: str = ""  # links in answers start with this; else the request's own address

    def scope(self, origin: str | None) -> Scope | None:
        """The scope of a request from ``origin``: its bound provider, else none."""
        return self.scopes.for_request(origin)

    def ask(self, question: str, history: Sequence[Mapping], filters: Mapping | None,
            origin: str | None, channel: str, client: str | None = None) -> Answer:
        started = time.perf_counter()
        refusal, turns, filters = self._scoped(question, history, filters, origin)
        answer = refusal or self.answerer.ask(question, history=turns, filters=filters)
        self._record(question, answer, started, channel, filters, client)
        return answer

    def stream(self, question: str, history: Sequence[Mapping], filters: Mapping | None,
               origin: str | None, channel: str, client: str | None = None) -> Iterator[str | Answer]:
        """Pieces of the answer's text, then the whole Answer; the question is checked and its
        scope worked out before the first piece, so a bad one fails before a stream starts."""
        started = time.perf_counter()
        validate_question(question)
        refusal, turns, filters = self._scoped(question, history, filters, origin)

        def run():
            for piece in pieces(refusal) if refusal else self.answerer.stream(
                    question, history=turns, filters=filters):
                if isinstance(piece, Answer):
                    self._record(question, piece, started, channel, filters, client)
                yield piece

        return run()

    def _scoped(self, question, history, filters, origin):
        scope = self.scope(origin)
        return self.scopes.apply(scope, question, [dict(t) for t in history], filters)

    def _record(self, question, answer, started, channel, filters, client) -> None:
        log.info("question via %s (abstained=%s): %r", channel, answer.abstained, question[:500])
        if self.questions is not None:
            provider = (filters or {}).get("provider")
            self.questions.record(question, answer, latency_ms=(time.perf_counter() - started) * 1e3,
                                  channel=channel, scope=provider if isinstance(provider, str) else "",
                                  client=client)

    # --- reports -----------------------------------------------------------------------------

    def provider(self, name: str | None, origin: str | None) -> str | None:
        """The display name of the provider a request means: the one ``name`` spells, checked
        against the request's scope; the scope's own where ``name`` is empty."""
        scope = self.scope(origin)
        if not name or not name.strip():
            return scope.provider if scope else None
        display = self.scopes.resolve(name)
        if display is None:
            raise UnknownProvider(f"No reports of {name!r} are held here. Call list_reports to see "
                                  "the providers held, and use one of their names.")
        if scope and display != scope.provider:
            raise NotCovered(f"This assistant covers {scope.provider}'s inspection reports only.")
        return display

    def reports(self, provider: str | None, year: int | None = None, report_type: str | None = None,
                grade: str | None = None) -> list[Document]:
        """The reports held, newest first, narrowed by provider (a display name), year, type and
        overall grade (or area SEND outcome)."""
        docs = self.scopes.reports(provider) if provider else sorted(
            self.answerer.documents(), key=_when, reverse=True)
        if year:
            docs = [d for d in docs if d.facts.get("year") == year
                    or str(d.facts.get("inspection_end") or d.facts.get("published") or "")[:4] == str(year)]
        if report_type:
            docs = [d for d in docs if str(d.facts.get("report_type", "")).lower() == report_type.lower()]
        if grade:
            want = grade.strip().lower()
            docs = [d for d in docs if want in (str(d.facts.get("judgement_overall", "")).lower(),
                                                str(d.facts.get("send_outcome", "")).lower())]
        return docs

    # --- links -------------------------------------------------------------------------------

    def base(self, request_base: str = "") -> str:
        return (self.public_url or request_base or "").rstrip("/")

    def citation(self, c: Citation, base: str) -> dict:
        return {"n": c.n, "source": c.source, "title": c.title, "page": c.page, "quote": c.quote,
                "url": base + file_url(c.source, c.page), "view": base + view_url(c.source, c.page, c.quote)}


def sources_text(answer: Answer, base: str, asker: Asker) -> str:
    """The numbered sources under an answer, as plain text (Markdown-friendly)."""
    lines = []
    for c in answer.citations:
        cite = asker.citation(c, base)
        page = f", page {c.page}" if c.page else ""
        lines.append(f"[{c.n}] {c.title or c.source}{page}: \u201c{c.quote}\u201d ({cite['view']})")
    return ("\n\nSources:\n" + "\n".join(lines)) if lines else ""


def _when(doc: Document) -> str:
    return str(doc.facts.get("inspection_end") or doc.facts.get("published") or "")


def mount_assistants(app, settings, answerer, scopes, questions, limiter) -> None:
    """``/mcp`` and ``/v1`` on the app, with the same limiter as ``/api/ask``."""
    from ui import mcp_server, openai_api

    asker = Asker(answerer, scopes, questions, settings.public_url)
    mcp_server.mount(app, asker, settings, limiter)
    app.mount("/v1", openai_api.create(asker, settings, limiter))
