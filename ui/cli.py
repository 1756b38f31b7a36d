"""The ``inspectbot`` command: ingest, ask, serve, reports."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import replace

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from index.errors import InspectbotError  # noqa: E402
from ui.settings import Settings, build, sentence_cache  # noqa: E402

log = logging.getLogger("inspectbot")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="inspectbot", description="Ask questions of inspection reports.")
    p.add_argument("--index", help="index folder (default: $INSPECTBOT_INDEX or a per-user data folder)")
    p.add_argument("--embed-model", help="embedding model: all-MiniLM-L6-v2 or a local model folder")
    p.add_argument("--chroma-url", help="use a Chroma server (http://host:port) for the vectors")
    p.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="add or update reports from files or folders")
    ing.add_argument("paths", nargs="+", help="report files or folders (searched recursively)")
    ing.add_argument("--prune", action="store_true", help="remove reports whose files are gone")
    ing.add_argument("--workers", type=int, default=1, help="parser processes (default 1; 0: none)")
    ing.add_argument("--no-sentences", action="store_true",
                     help="do not embed the reports' sentences now (answers then embed each the first time)")
    sub.add_parser("sentences", help="embed every sentence answers can quote, for an index ingested without them")
    sub.add_parser("refresh-facts", help="re-read inspection facts from the stored text (no re-embedding)")
    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the API's JSON")
    ask.add_argument("--mode", choices=("staff", "parent"), default="staff")
    srv = sub.add_parser("serve", help="serve the web app and JSON API")
    srv.add_argument("--host")
    srv.add_argument("--port", type=int)
    srv.add_argument("--workers", type=int, help="server processes, each with its own model (default 1, or "
                     "$INSPECTBOT_WORKERS): one per CPU core answers most questions at once")
    sub.add_parser("reports", help="list the indexed reports and their facts")
    sub.add_parser("mcp", help="serve the MCP tools over stdin/stdout, for a desktop AI assistant")
    ev = sub.add_parser("eval", help="score answers against a labelled question file (JSONL)")
    ev.add_argument("questions", help="JSONL: {id, kind, question or turns, expect}")
    ev.add_argument("--url", help="ask a running server (http://host:port) instead of in process")
    ev.add_argument("--limit", type=int, help="only the first N questions")
    ev.add_argument("--kind", action="append", help="only these kinds (repeatable)")
    ev.add_argument("--misses", help="write the questions answered wrongly to this JSONL file")
    ev.add_argument("--strict", action="store_true",
                    help="an answer counts only when it also cites the right report(s)")
    ins = sub.add_parser("insights", help="what residents ask: questions, refusals, feedback (from the shared state file)")
    ins.add_argument("--since", help="first day, YYYY-MM-DD (default: 30 days ago)")
    ins.add_argument("--until", help="last day, YYYY-MM-DD (default: today)")
    ins.add_argument("--provider", help="only questions about this council or provider")
    ins.add_argument("--csv", metavar="FILE", help="also write the figures to this CSV file")
    ins.add_argument("--json", action="store_true", help="print the figures as JSON (as the API returns them)")
    ins.add_argument("--purge-before", metavar="DATE", help="delete logged questions and feedback from before this day")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    overrides = {k: v for k, v in {
        "index_dir": args.index, "embed_model": args.embed_model, "chroma_url": args.chroma_url,
        "host": getattr(args, "host", None), "port": getattr(args, "port", None),
    }.items() if v}
    settings = Settings.from_env(**overrides)
    logging.basicConfig(level=logging.DEBUG if args.verbose else getattr(logging, settings.log_level, logging.INFO),
                        format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "sentence_transformers", "chromadb", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return COMMANDS[args.command](args, settings)
    except InspectbotError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: run the same command again to finish; nothing is half-stored.", file=sys.stderr)
        return 130


def cmd_ingest(args, settings: Settings) -> int:
    from ingest.sync import sync

    index, _ = build(settings)
    summary = sync(index, args.paths, prune=args.prune, workers=args.workers)
    for line in summary.lines():
        print(line)
    if not args.no_sentences:
        from bot.prefill import prefill_synced

        total, embedded = prefill_synced(index.catalog, index.sentences(sentence_cache(settings)), summary,
                                         progress=sys.stderr.isatty())
        if total:
            print(f"sentence vectors: {embedded} embedded ({total} sentences of the reports stored)")
    docs, chunks = index.catalog.counts()
    print(f"index {settings.index_dir}: {docs} reports, {chunks} chunks")
    return 1 if summary.failed else 0


def cmd_sentences(args, settings: Settings) -> int:
    from bot.prefill import prefill

    index, _ = build(settings)
    total, embedded = prefill(index.catalog, index.sentences(sentence_cache(settings)), progress=sys.stderr.isatty())
    print(f"sentence vectors: {total} sentences, {embedded} embedded now, {total - embedded} already stored")
    return 0


def cmd_refresh_facts(args, settings: Settings) -> int:
    from ingest.sync import refresh_facts

    index, _ = build(settings)
    print(f"facts re-read for {refresh_facts(index)} reports")
    return 0


def cmd_ask(args, settings: Settings) -> int:
    _, answerer = build(settings)
    answer = answerer.ask(args.question, mode=args.mode)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    for c in answer.citations:
        page = f", page {c.page}" if c.page else ""
        print(f"\n[{c.n}] {c.source}{page}\n    “{c.quote}”")
    return 0


def cmd_serve(args, settings: Settings) -> int:
    from ui.server import serve

    if args.workers is not None:
        if args.workers < 1:
            raise InspectbotError(f"--workers must be 1 or more (one per CPU core answers most), not {args.workers}.")
        settings = replace(settings, workers=args.workers)
    print(f"inspectbot: serving on http://{settings.host}:{settings.port}"
          + (f" with {settings.workers} worker processes" if settings.workers > 1 else ""), flush=True)
    serve(settings)
    return 0


def cmd_reports(args, settings: Settings) -> int:
    index, _ = build(settings)
    for doc in index.catalog.documents():
        f = doc.facts
        grade = f.get("judgement_overall") or f.get("send_outcome") or "-"
        print(f"{doc.source}\t{f.get('provider', '?')}\t{f.get('report_type', '?')}\t"
              f"{f.get('inspection_end', f.get('published', '?'))}\t{grade}")
    return 0


def cmd_eval(args, settings: Settings) -> int:
    import time

    from bot.evaluate import score, table
    from index.errors import BadInputError

    try:
        with open(args.questions, encoding="utf-8") as fh:
            questions = [json.loads(line) for line in fh if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise BadInputError(f"{args.questions}: cannot read the question file ({exc}).") from exc
    if args.kind:
        questions = [q for q in questions if q.get("kind") in args.kind]
    questions = questions[: args.limit] if args.limit else questions
    index, answerer = build(settings)
    if args.url:
        import httpx

        client = httpx.Client(base_url=args.url, timeout=60)

        def ask(question, history):
            t = time.perf_counter()
            r = client.post("/api/ask", json={"question": question, "history": history})
            r.raise_for_status()
            return r.json(), time.perf_counter() - t
    else:
        answerer.ask("warm-up question about Ofsted")

        def ask(question, history):
            t = time.perf_counter()
            data = answerer.ask(question, history=history).to_json()
            return data, time.perf_counter() - t

    by_source = {d.source: d.doc_id for d in index.catalog.documents()}

    def page_text(source, page):
        doc_id = by_source.get(source)
        if doc_id is None:
            return None
        doc = index.catalog.document(doc_id)
        return doc.pages[page - 1] if page else "\n".join(doc.pages)

    misses = open(args.misses, "w", encoding="utf-8") if args.misses else None

    def on_miss(q, data, why):
        if misses:
            misses.write(json.dumps({"why": why, **q, "got": data}, ensure_ascii=False) + "\n")

    from tqdm import tqdm

    scores = score(tqdm(questions, desc="eval", unit="q"), ask, page_text, on_miss, strict=args.strict)
    if misses:
        misses.close()
    print(table(scores))
    return 0


def cmd_mcp(args, settings: Settings) -> int:
    from ui.mcp_server import serve_stdio

    serve_stdio(settings)  # stdout is the protocol's: logs go to stderr
    return 0


def cmd_insights(args, settings: Settings) -> int:
    from ui.insights import cli

    return cli(args, settings)


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "serve": cmd_serve, "reports": cmd_reports, "refresh-facts": cmd_refresh_facts,
            "sentences": cmd_sentences,
            "eval": cmd_eval, "insights": cmd_insights, "mcp": cmd_mcp}

if __name__ == "__main__":
    sys.exit(main())
