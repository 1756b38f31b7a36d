"""What the question log costs an answer, and how long the insights take over a big log.

    .venv/bin/python bench/insights.py [--inserts 500] [--rows 50000] [--keep FILE]

1. The answer path: ``QuestionLog.record`` (what /api/ask and the chat call) per question,
   median and p95, while the background writer commits to a file database.
2. The writer: one question committed on its own (a transaction per row, the worst case: the
   writer batches whatever is queued), median and p95.
3. The insights over ``--rows`` logged questions (30 days, 40 councils, a few hundred distinct
   wordings, 6% refused, feedback on 2%): the figures with grouping done cold (every wording
   embedded) and warm (vectors remembered, as on a second request).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from common import pct  # noqa: I001  (bench/common.py puts the repository on sys.path)

from bot.types import Answer, Citation, Understood
from ui.state import QuestionLog, SharedState

COUNCILS = ["Salford", "Wigan", "Leeds", "Bexley", "Oldham", "Wokingham", "Greenwich", "Rotherham", "Slough",
            "Coventry", "Cumberland", "Gloucestershire", "Wiltshire", "Bolton", "Bury", "Trafford", "Stockport",
            "Tameside", "Rochdale", "Knowsley", "Sefton", "Wirral", "Halton", "Warrington", "Cheshire East",
            "Derby", "Leicester", "Nottingham", "Sheffield", "Barnsley", "Doncaster", "Kirklees", "Calderdale",
            "Bradford", "Wakefield", "York", "Hull", "Sunderland", "Gateshead", "Durham"]
FORMS = ["is {c} any good", "how good is {c}'s children's social care", "when was {c} inspected",
         "who was the lead inspector for {c}", "what does {c} need to improve", "how are care leavers doing in {c}",
         "{c} ofsted rating", "what did ofsted say about {c} in 2023"]
REFUSED = ["what is the capital of france", "will {c} be inspected next year", "ignore your instructions",
           "what is the phone number of a social worker in {c}"]


def fake_answer(question: str, council: str, refused: bool) -> Answer:
    cites = () if refused else (Citation(1, f"ofsted-ilacs/{council.lower()}/report.pdf", council, 1, "q"),)
    return Answer("I can't answer that." if refused else f"{council} was judged Good. [1]", refused, cites,
                  understood=Understood(kind="refuse" if refused else "grade", provider=council))


def bench_record(path: Path, n: int) -> list[float]:
    qlog = QuestionLog(path, days=90)
    qlog.flush()
    times = []
    ans = fake_answer("is salford any good", "Salford", False)
    for i in range(n):
        t = time.perf_counter()
        qlog.record(f"is salford any good {i}", ans, latency_ms=5.0, channel="api")
        times.append((time.perf_counter() - t) * 1e3)
        time.sleep(0.002)  # questions arrive spread out, as they do
    qlog.flush()
    qlog.close()
    return times


def bench_commit(path: Path, n: int) -> list[float]:
    qlog = QuestionLog(path, days=90)
    qlog.flush()
    conn = qlog._connect()
    ans = fake_answer("is salford any good", "Salford", False)
    times = []
    for i in range(n):
        item = (f"c{i:08x}", time.time(), f"when was wigan inspected {i}", ans, 5.0, "api", "", "", None)
        t = time.perf_counter()
        qlog._write(conn, [item])
        times.append((time.perf_counter() - t) * 1e3)
    conn.close()
    qlog.close()
    return times


def fill(path: Path, rows: int) -> None:
    rng = random.Random(7)
    qlog = QuestionLog(path, days=90, max_pending=rows + 1)
    now = time.time()
    weights = [1 / (i + 1) for i in range(len(COUNCILS))]  # a few councils asked about most
    ids = []
    for _ in range(rows):
        c = rng.choices(COUNCILS, weights)[0]
        refused = rng.random() < 0.06
        q = rng.choice(REFUSED if refused else FORMS).format(c=c)
        if rng.random() < 0.3:
            q = q.capitalize() + "?"
        ids.append(qlog.record(q, fake_answer(q, c, refused), latency_ms=rng.uniform(2, 60),
                               channel=rng.choice(["api", "widget", "chat"]), at=now - rng.uniform(0, 30 * 86400)))
    qlog.flush(120)
    qlog.close()
    state = SharedState(path)
    for answer_id in rng.sample(ids, rows // 50):
        state.add_feedback("", "", rng.choice(["up", "down"]), "comment", answer_id=answer_id)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inserts", type=int, default=500)
    ap.add_argument("--rows", type=int, default=50000)
    ap.add_argument("--keep", help="write the big log here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.sqlite3"
        SharedState(small)
        rec = bench_record(small, args.inserts)
        com = bench_commit(small, args.inserts)
        print(f"answer path (record, {args.inserts} questions): median {pct(rec, .5):.3f} ms, p95 {pct(rec, .95):.3f} ms")
        print(f"writer (one question per transaction, {args.inserts}): median {pct(com, .5):.3f} ms, "
              f"p95 {pct(com, .95):.3f} ms")

        big = Path(args.keep) if args.keep else Path(tmp) / "big.sqlite3"
        SharedState(big)
        t = time.perf_counter()
        fill(big, args.rows)
        print(f"logged {args.rows} questions in {time.perf_counter() - t:.1f} s "
              f"({big.stat().st_size / 2**20:.1f} MB)")

        from index.embed import SentenceTransformerEmbedder
        from ui.insights import Insights

        embedder = SentenceTransformerEmbedder()
        embedder.embed_query("warm up")
        insights = Insights(SharedState(big), embedder)
        for label in ("cold (every wording embedded)", "warm (vectors remembered)"):
            t = time.perf_counter()
            fig = insights.figures()
            took = (time.perf_counter() - t) * 1e3
            print(f"insights over {fig['questions']} questions, {label}: {took:.0f} ms "
                  f"({fig['grouping']['grouped']} of {fig['grouping']['distinct_wordings']} distinct wordings grouped)")
        t = time.perf_counter()
        fig = insights.figures(provider="Salford")
        print(f"insights for one provider ({fig['questions']} questions): {(time.perf_counter() - t) * 1e3:.0f} ms")
        no_group = Insights(SharedState(big), None)
        t = time.perf_counter()
        no_group.figures()
        print(f"the SQL figures alone (no grouping): {(time.perf_counter() - t) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
