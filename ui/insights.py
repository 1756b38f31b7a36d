"""Staff insights over the question log and feedback in the shared state file (ui/state.py):
what residents ask, what the bot refused, which answers were marked unhelpful, which reports
it cites. For the chat's Insights tab, ``GET /api/admin/insights`` and ``inspectbot insights``.

Near-duplicate questions are grouped by meaning with the embedder: the distinct wordings
(case, spacing and end punctuation folded) are taken most asked first, and each joins the
first group whose first wording has a cosine similarity of at least ``THRESHOLD`` with it, or
starts a group of its own. Questions about different councils (where the log knows the
council) never share a group. Only the ``MAX_GROUPED`` most asked wordings are embedded; the
rest still count in every total.
"""

from __future__ import annotations

import csv
import hmac
import io
import logging
import threading
import time
from collections import OrderedDict
from datetime import date, datetime, timedelta
from typing import Any, Callable

import numpy as np

from index.errors import BadInputError

log = logging.getLogger(__name__)

# Tuned with all-MiniLM-L6-v2 on questions about one council asked several ways (rating, dates,
# lead inspector, improvements, care leavers, caseloads): best pairwise F1 at 0.70-0.725.
# "is salford any good" / "how good is salford's children's social care": 0.756;
# either / "when was wigan inspected": 0.33-0.36.
THRESHOLD = 0.72
MAX_GROUPED = 1000
DEFAULT_DAYS = 30
LIST_LIMIT = 20


def parse_day(value: str | None, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadInputError(f"{name} must be a date written YYYY-MM-DD, not {value!r}.") from None


def day_start(day: date) -> float:
    """Epoch seconds at the start of ``day`` on this server's clock."""
    return datetime(day.year, day.month, day.day).timestamp()


class Insights:
    def __init__(self, state, embedder: Any = None, embedder_factory: Callable[[], Any] | None = None,
                 threshold: float = THRESHOLD, max_grouped: int = MAX_GROUPED):
        self.state = state
        self._embedder = embedder
        self._factory = embedder_factory
        self.threshold = threshold
        self.max_grouped = max_grouped
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    # grouping --------------------------------------------------------------------------------
    def embedder(self):
        if self._embedder is None and self._factory is not None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = self._factory()
        return self._embedder

    def vectors(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts``, remembered (up to 20,000) so the next request is quick."""
        need = list(dict.fromkeys(texts))
        with self._lock:
            have = {t: self._vectors[t] for t in need if t in self._vectors}
        todo = [t for t in need if t not in have]
        if todo:
            fresh = np.asarray(self.embedder().embed_documents(todo), dtype=np.float32)
            fresh /= np.maximum(np.linalg.norm(fresh, axis=1, keepdims=True), 1e-12)
            have.update(zip(todo, fresh))
            with self._lock:
                self._vectors.update(zip(todo, fresh))
                while len(self._vectors) > 20000:
                    self._vectors.popitem(last=False)
        return np.stack([have[t] for t in texts])

    def group(self, wordings: list[tuple[str, str, str, int, int]]) -> list[dict]:
        """``wordings``: (norm, example, provider, count, refused), most asked first. Returns
        groups, most asked first: example (the group's most asked wording as typed), count,
        refused, variants (distinct wordings) and members (their norms)."""
        wordings = wordings[: self.max_grouped]
        if not wordings or self.embedder() is None:
            groups = [{"example": ex, "provider": p or None, "count": n, "refused": r, "variants": 1,
                       "members": [norm]} for norm, ex, p, n, r in wordings]
        else:
            vecs = self.vectors([w[0] for w in wordings])
            groups, leaders, owner = [], [], []  # leader vectors, and the provider of each group
            for (norm, ex, provider, n, r), v in zip(wordings, vecs):
                best = -1
                if leaders:
                    sims = np.stack(leaders) @ v
                    for g in np.argsort(-sims):
                        if sims[g] < self.threshold:
                            break
                        if not provider or not owner[g] or owner[g] == provider:
                            best = int(g)
                            break
                if best < 0:
                    leaders.append(v)
                    owner.append(provider)
                    groups.append({"example": ex, "provider": provider or None, "count": n, "refused": r,
                                   "variants": 1, "members": [norm]})
                else:
                    g = groups[best]
                    g["count"] += n
                    g["refused"] += r
                    g["variants"] += 1
                    g["members"].append(norm)
                    owner[best] = owner[best] or provider
                    g["provider"] = owner[best] or None
        groups.sort(key=lambda g: -g["count"])
        return groups

    # figures ---------------------------------------------------------------------------------
    def figures(self, since: str | date | None = None, until: str | date | None = None,
                provider: str | None = None, limit: int = LIST_LIMIT) -> dict:
        """Every figure for the days ``since`` to ``until`` (inclusive; default: the last
        30 days) and, if given, one provider (as the log names it)."""
        t0 = time.perf_counter()
        since_d = since if isinstance(since, date) else parse_day(since, "since")
        until_d = until if isinstance(until, date) else parse_day(until, "until")
        until_d = until_d or date.today()
        since_d = since_d or until_d - timedelta(days=DEFAULT_DAYS - 1)
        if since_d > until_d:
            raise BadInputError("since must not be after until.")
        try:
            lo, hi = day_start(since_d), day_start(until_d + timedelta(days=1))
        except (OverflowError, ValueError, OSError):
            raise BadInputError("since and until must be days between 1970 and 9998.") from None
        provider = (provider or "").strip() or None
        where = "at >= ? AND at < ?" + (" AND provider = ? COLLATE NOCASE" if provider else "")
        args: tuple = (lo, hi, provider) if provider else (lo, hi)
        q = self.state.query

        total, refused = q(f"SELECT count(*), coalesce(sum(abstained), 0) FROM questions WHERE {where}", args)[0]
        per_day = [{"day": d, "questions": n, "refused": r} for d, n, r in q(
            f"SELECT date(at, 'unixepoch', 'localtime') AS d, count(*), sum(abstained) FROM questions "
            f"WHERE {where} GROUP BY d ORDER BY d", args)]
        channels = [{"channel": c, "scope": s or None, "questions": n} for c, s, n in q(
            f"SELECT channel, scope, count(*) FROM questions WHERE {where} GROUP BY channel, scope "
            "ORDER BY count(*) DESC", args)]
        latency = [x for (x,) in q(f"SELECT latency_ms FROM questions WHERE {where} AND latency_ms IS NOT NULL "
                                   "ORDER BY latency_ms", args)]
        wordings = q(f"SELECT norm, max(question), provider, count(*), sum(abstained) FROM questions "
                     f"WHERE {where} GROUP BY norm, provider ORDER BY count(*) DESC, norm LIMIT ?",
                     args + (self.max_grouped,))
        distinct = q(f"SELECT count(*) FROM (SELECT 1 FROM questions WHERE {where} GROUP BY norm, provider)",
                     args)[0][0]
        asked = self.group(list(wordings))
        refused_groups = self.group([(n, ex, p, r, r) for n, ex, p, _, r in wordings if r])
        cited = [{"source": s, "count": n} for s, n in q(
            f"SELECT j.value, count(*) FROM questions, json_each(questions.cited) AS j WHERE {where} "
            "GROUP BY j.value ORDER BY count(*) DESC, j.value LIMIT ?", args + (limit,))]

        fwhere = "f.at >= ? AND f.at < ?" + (" AND q.provider = ? COLLATE NOCASE" if provider else "")
        ratings = dict(q(f"SELECT f.rating, count(*) FROM feedback f LEFT JOIN questions q ON q.id = f.answer_id "
                         f"WHERE {fwhere} GROUP BY f.rating", args))
        down = [{"at": datetime.fromtimestamp(at).isoformat(timespec="seconds"), "question": qu, "answer": an,
                 "comment": co or "", "provider": pr or None}
                for at, qu, an, co, pr in q(
                    f"SELECT f.at, f.question, f.answer, f.comment, q.provider FROM feedback f "
                    f"LEFT JOIN questions q ON q.id = f.answer_id WHERE {fwhere} AND f.rating = 'down' "
                    "ORDER BY f.at DESC LIMIT ?", args + (limit * 5,))]

        def public(groups: list[dict]) -> list[dict]:
            return [{k: v for k, v in g.items() if k != "members"} for g in groups[:limit]]

        return {
            "since": since_d.isoformat(), "until": until_d.isoformat(), "provider": provider,
            "questions": int(total), "refused": int(refused),
            "refusal_rate": round(refused / total, 4) if total else 0.0,
            "thumbs_down": int(ratings.get("down", 0)), "thumbs_up": int(ratings.get("up", 0)),
            "latency_ms": {"p50": _pct(latency, 0.5), "p95": _pct(latency, 0.95)},
            "per_day": per_day, "channels": channels,
            "top_questions": public(asked), "refused_questions": public(refused_groups),
            "thumbs_down_answers": down, "most_cited": cited,
            "grouping": {"distinct_wordings": int(distinct), "grouped": len(wordings),
                         "threshold": self.threshold},
            "took_ms": round((time.perf_counter() - t0) * 1e3, 1),
        }

    def providers(self) -> list[str]:
        """The providers the log has questions about, most asked first."""
        return [p for (p,) in self.state.query(
            "SELECT provider FROM questions WHERE provider != '' GROUP BY provider ORDER BY count(*) DESC LIMIT 200")]


def _pct(values: list[float], p: float) -> float | None:
    return round(values[min(len(values) - 1, int(p * len(values)))], 1) if values else None


def to_csv(fig: dict) -> str:
    """The figures as one CSV table: section, item, count, refused, answer, comment, date."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "item", "count", "refused", "answer", "comment", "date"])
    period = f"{fig['since']} to {fig['until']}" + (f" ({fig['provider']})" if fig["provider"] else "")
    for key in ("questions", "refused", "refusal_rate", "thumbs_down", "thumbs_up"):
        w.writerow(["summary", key, fig[key], "", "", "", period])
    for d in fig["per_day"]:
        w.writerow(["day", d["day"], d["questions"], d["refused"], "", "", d["day"]])
    for g in fig["top_questions"]:
        w.writerow(["most asked", _cell(g["example"]), g["count"], g["refused"], "", "", ""])
    for g in fig["refused_questions"]:
        w.writerow(["refused", _cell(g["example"]), g["count"], g["refused"], "", "", ""])
    for f in fig["thumbs_down_answers"]:
        w.writerow(["thumbs down", _cell(f["question"]), 1, "", _cell(f["answer"]), _cell(f["comment"]), f["at"]])
    for c in fig["most_cited"]:
        w.writerow(["cited", _cell(c["source"]), c["count"], "", "", "", ""])
    return out.getvalue()


def _cell(text: str) -> str:
    """Residents' text in a spreadsheet: a leading = + - @ is not run as a formula."""
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# access --------------------------------------------------------------------------------------

class Refused(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def check_token(configured: str, given: str | None) -> None:
    """The admin token, compared in constant time; admin off (403) where none is configured."""
    if not configured:
        raise Refused("Admin is not enabled on this server (set INSPECTBOT_ADMIN_TOKEN).", 403)
    if not hmac.compare_digest(str(given or "").encode(), configured.encode()):
        raise Refused("The admin token is not right.", 401)


def add_insights_routes(app, settings, insights: Insights | None) -> None:
    from fastapi import Header, Query
    from fastapi.responses import JSONResponse

    @app.get("/api/admin/insights", tags=["admin"])
    def insights_api(since: str | None = Query(None, description="first day, YYYY-MM-DD (default: 30 days ago)"),
                     until: str | None = Query(None, description="last day, YYYY-MM-DD (default: today)"),
                     provider: str | None = Query(None, max_length=200),
                     authorization: str | None = Header(None)):
        """What residents ask: questions, refusals and feedback for a period. Bearer token needed."""
        token = authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else None
        try:
            check_token(settings.admin_token, token)
        except Refused as exc:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
            return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)
        if insights is None:
            return JSONResponse({"error": "No shared state file is configured: set INSPECTBOT_STATE_DB."},
                                status_code=503)
        return insights.figures(since, until, provider)


def cli(args, settings) -> int:
    """``inspectbot insights``: the figures as text (or JSON), a CSV, or a purge."""
    import json
    from pathlib import Path

    from index.errors import InspectbotError
    from ui.state import SharedState, state_path

    path = state_path(settings)
    if not path or not Path(path).is_file():
        raise InspectbotError(f"No shared state file at {path or 'the index folder'}: give --index or set "
                              "INSPECTBOT_STATE_DB to the file the server uses.")
    state = SharedState(path)
    if args.purge_before:
        day = parse_day(args.purge_before, "--purge-before")
        questions, feedback = state.remove_before(day_start(day))
        print(f"removed {questions} logged question(s) and {feedback} feedback row(s) from before {day}")
        return 0
    embedder, make = embedder_from(settings)
    fig = Insights(state, embedder, make).figures(args.since, args.until, args.provider)
    if args.csv:
        Path(args.csv).write_text(to_csv(fig), encoding="utf-8", newline="")
    if args.json:
        print(json.dumps(fig, ensure_ascii=False, indent=2))
        return 0
    for line in text_report(fig):
        print(line)
    if args.csv:
        print(f"\nfigures written to {args.csv}")
    return 0


def _plain(text: str, width: int = 160) -> str:
    """Residents' text for a terminal: control characters (escape sequences) shown as spaces."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return text if len(text) <= width else text[: width - 1] + "…"


def text_report(fig: dict) -> list[str]:
    who = fig["provider"] or "all providers"
    lat = fig["latency_ms"]
    lines = [f"{fig['since']} to {fig['until']} ({_plain(who)}): {fig['questions']} questions, "
             f"{fig['refused']} refused ({fig['refusal_rate'] * 100:.1f}%), "
             f"thumbs down {fig['thumbs_down']}, thumbs up {fig['thumbs_up']}"]
    if lat["p50"] is not None:
        lines.append(f"answer time: median {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms")
    lines += ["", "per day:"] + [f"  {d['day']}  {d['questions']:5d}  refused {d['refused']}" for d in fig["per_day"]]
    lines += ["", "most asked (grouped by meaning):"] + [
        f"  {g['count']:5d}  {_plain(g['example'])}  ({g['variants']} wordings, {g['refused']} refused)"
        for g in fig["top_questions"]]
    lines += ["", "refused:"] + [f"  {g['count']:5d}  {_plain(g['example'])}" for g in fig["refused_questions"]]
    lines += ["", "thumbs down:"]
    for f in fig["thumbs_down_answers"]:
        lines += [f"  {f['at']}  Q: {_plain(f['question'])}", f"      A: {_plain(f['answer'])}"]
        if f["comment"]:
            lines.append(f"      comment: {_plain(f['comment'])}")
    lines += ["", "most cited:"] + [f"  {c['count']:5d}  {_plain(c['source'])}" for c in fig["most_cited"]]
    return lines


def embedder_from(settings, index=None, answerer=None) -> tuple[Any, Callable[[], Any]]:
    """The embedder the app already has (the index's), else one made when first needed."""
    found = getattr(index, "embedder", None) or getattr(getattr(answerer, "retriever", None), "embedder", None)

    def make():
        from index.embed import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(settings.embed_model, precision=settings.embed_precision)

    return found, make
