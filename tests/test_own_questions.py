"""The team's own labelled question sets (bench/questions/own.jsonl, developed against, and
bench/questions/probe.jsonl, written apart from the code to measure with): every line in the eval
format, and every label checked against the real reports it names: each source path exists,
and each grade, date, surname or quote key word occurs in the text of one of the question's
sources, folded the way the scorer folds answers (bot.evaluate.fold)."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.evaluate import fold
from conftest import ROOT, corpus_path
from ingest.load import load

QUESTIONS = ROOT / "bench" / "questions" / "own.jsonl"
PROBE = ROOT / "bench" / "questions" / "probe.jsonl"

KINDS = {
    "fact", "content", "history", "compare", "list", "transition", "theme", "school", "press",
    "followup", "abstain", "hostile", "clarify", "offtopic",
}
PROBE_KINDS = KINDS | {"send"}
EXPECT_KEYS = {"source_any", "sources_all", "answer_any", "answer_all", "quote_any", "abstain", "clarify"}
# a question with no expectation of a source is one the bot must not answer from the reports
REFUSED = {"abstain", "clarify", "offtopic"}


def _lines(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name} line {n} is blank"
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name} line {n} is not JSON: {exc}")
    return out


QS = _lines(QUESTIONS)
PROBES = _lines(PROBE)


def _strings(value, field, qid) -> list[str]:
    assert isinstance(value, list) and value, f"{qid}: {field} must be a non-empty list"
    assert all(isinstance(s, str) and s.strip() for s in value), f"{qid}: {field} holds a non-string"
    return value


def _sources(exp: dict) -> list[str]:
    return list(exp.get("source_any", [])) + [s for group in exp.get("sources_all", []) for s in group]


def test_set_size_and_spread():
    kinds = Counter(q["kind"] for q in QS)
    assert len(QS) >= 180, kinds
    assert set(kinds) == KINDS, f"kinds missing: {KINDS - set(kinds)}"
    councils = {s.split("/")[1] for q in QS for s in _sources(q["expect"]) if s.startswith("ofsted-")
                and s.count("/") >= 2}
    assert len(councils) >= 60, sorted(councils)


@pytest.mark.parametrize("q", QS + PROBES, ids=lambda q: q.get("id", "?"))
def test_format(q):
    qid = q.get("id")
    assert isinstance(qid, str) and qid, q
    assert set(q) in ({"id", "kind", "question", "expect"}, {"id", "kind", "turns", "expect"}), qid
    assert q["kind"] in (PROBE_KINDS if qid.startswith("probe-") else KINDS), f"{qid}: unknown kind {q['kind']!r}"
    if "turns" in q:
        assert q["kind"] == "followup", qid
        turns = _strings(q["turns"], "turns", qid)
        assert len(turns) >= 2, f"{qid}: a conversation has at least two turns"
    else:
        assert isinstance(q["question"], str) and q["question"].strip(), qid
    exp = q["expect"]
    assert isinstance(exp, dict) and exp, qid
    assert set(exp) <= EXPECT_KEYS, f"{qid}: unknown expect keys {set(exp) - EXPECT_KEYS}"
    for key in ("abstain", "clarify"):
        if key in exp:
            assert exp[key] is True, f"{qid}: {key} is only ever true"
    own = not qid.startswith("probe-")  # the probe set also holds pure injections to refuse and
    # lists and themes scored by their words alone
    if exp.get("abstain") or exp.get("clarify"):
        assert not _sources(exp) and "answer_any" not in exp, f"{qid}: a refusal expects no answer"
        assert q["kind"] in REFUSED | {"followup"} | (set() if own else {"hostile"}), qid
    else:
        assert q["kind"] not in REFUSED, qid
        assert _sources(exp) or not own, f"{qid}: an answerable question names its source(s)"
    if "source_any" in exp:
        _strings(exp["source_any"], "source_any", qid)
    for group in exp.get("sources_all", []):
        _strings(group, "sources_all", qid)
    for group in exp.get("answer_any", []):
        _strings(group, "answer_any", qid)
    for key in ("answer_all", "quote_any"):
        if key in exp:
            _strings(exp[key], key, qid)


def test_ids_unique():
    ids = Counter(q["id"] for q in QS + PROBES)
    assert not [i for i, n in ids.items() if n > 1]


@functools.lru_cache(maxsize=None)
def _file_text(path: Path) -> str:
    return f" {fold(' '.join(load(path).pages))} "


def _text(corpus: Path, source: str) -> str:
    path = corpus / source
    if path.is_dir():  # a council's folder: any of its reports
        return " ".join(_file_text(p) for p in sorted(path.iterdir()))
    return _file_text(path)


def _has(hay: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fold(term))}", hay) is not None


@functools.lru_cache(maxsize=1)
def _held_names(corpus: Path) -> tuple[str, ...]:
    return tuple(fold(p.name.split("_", 1)[1]) for kind in ("ofsted-ilacs", "ofsted-send")
                 for p in (corpus / kind).iterdir())


@pytest.mark.corpus
@pytest.mark.slow  # reads ~150 reports once (about 20-40 s on two cores)
@pytest.mark.parametrize("q", [q for q in QS if _sources(q["expect"])], ids=lambda q: q["id"])
def test_labels_are_in_the_reports(q):
    corpus = corpus_path()
    exp = q["expect"]
    sources = _sources(exp)
    missing = [s for s in sources if not (corpus / s).exists()]
    assert not missing, f"{q['id']}: no such file or folder in the corpus: {missing}"
    hay = " ".join(_text(corpus, s) for s in sources)
    for group in exp.get("answer_any", []):
        # a count ("3 inspections") is the bot's own words, not the report's
        absent = [a for a in group if not _has(hay, a) and not re.search(r"\d", a)]
        assert not absent, f"{q['id']}: answer label(s) {absent} not in {sources}"
    assert not exp.get("answer_any") or any(all(_has(hay, a) for a in g) or any(
        re.search(r"\d", a) for a in g) for g in exp["answer_any"]), q["id"]
    absent = [t for t in exp.get("quote_any", []) if not _has(hay, t)]
    assert not absent, f"{q['id']}: quote key words {absent} not in {sources}"
    # answer_all: grades are in the reports cited; council names in a list are councils held
    names = _held_names(corpus)
    absent = [t for t in exp.get("answer_all", [])
              if not _has(hay, t) and not any(fold(t) in n for n in names)]
    assert not absent, f"{q['id']}: answer_all terms {absent} neither in {sources} nor a council held"
