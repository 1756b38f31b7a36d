"""Fact extraction figures over an ingested corpus.

    .venv/bin/python bench/facts.py INDEX_DIR [../shared/eval/dev_questions.jsonl]

Coverage: the share of reports of each type for which each fact was found. Accuracy, against
labels we can derive independently of the extractor: provider and URN from the corpus folder
names (URN_council), report type from the top folder, and the lead inspector, inspection dates
and judgements that the labelled question file expects for its report.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.evaluate import answer_matches  # noqa: E402
from bot.names import ProviderIndex  # noqa: E402
from bot.conversation import understand  # noqa: E402
from index.catalog import Catalog  # noqa: E402
from index.vocab import provider_key  # noqa: E402

FACTS = ["provider", "urn", "inspectorate", "inspection_start", "inspection_end", "published",
         "lead_inspector", "judgement_overall", "judgement_leaders", "judgement_help_protection",
         "judgement_children_in_care", "judgement_care_leavers", "send_outcome"]
TYPE_OF_FOLDER = {"ofsted-ilacs": {"ilacs", "children_services_older"}, "ofsted-send": {"area_send"},
                  "ofsted-schools": {"school"}, "press": {"other"}}


def main() -> None:
    catalog = Catalog(Path(sys.argv[1]) / "catalog.sqlite3")
    questions = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_questions.jsonl"
    docs = catalog.documents()
    by_type: dict[str, list] = defaultdict(list)
    for d in docs:
        by_type[str(d.facts.get("report_type"))].append(d)
    print("coverage: share of reports where the fact was found")
    print(f"{'fact':<28}" + "".join(f"{t[:14]:>16}" for t in sorted(by_type)))
    for fact in FACTS:
        row = "".join(f"{sum(1 for d in by_type[t] if d.facts.get(fact)) / len(by_type[t]):>16.2f}" for t in sorted(by_type))
        print(f"{fact:<28}{row}")
    print("reports by type: " + ", ".join(f"{t} {len(v)}" for t, v in sorted(by_type.items())))

    acc: Counter = Counter()
    tot: Counter = Counter()
    misses = []
    for d in docs:
        top, *rest = d.source.split("/")
        m = re.match(r"^(\d+)_(.+)$", rest[0]) if len(rest) > 1 else None
        if top in TYPE_OF_FOLDER:
            tot["report_type"] += 1
            acc["report_type"] += d.facts.get("report_type") in TYPE_OF_FOLDER[top]
        if m:
            tot["provider"] += 1
            ok = provider_key(m.group(2)) == d.facts.get("provider_key")
            acc["provider"] += ok
            if not ok:
                misses.append(("provider", d.source, d.facts.get("provider")))
            tot["urn"] += 1
            acc["urn"] += d.facts.get("urn") == m.group(1)
    by_source = {d.source: d for d in docs}
    pi = ProviderIndex.build(d.facts for d in docs)
    for line in questions.read_text().splitlines():
        q = json.loads(line)
        exp = q.get("expect", {})
        src = next((s for s in by_source if any(s.endswith(x) or x in s for x in exp.get("source_any", []))), None)
        if not src or q["kind"] not in ("inspector", "dates", "grade", "latest"):
            continue
        f = by_source[src].facts
        if q["kind"] == "inspector":
            got = str(f.get("lead_inspector", ""))
            name = "lead_inspector"
        elif q["kind"] == "dates":
            got = " ".join(_fmt(f.get(k)) for k in ("inspection_start", "inspection_end"))
            name = "inspection dates"
        else:
            area = understand(q["question"], pi).area
            got = str(f.get(area if f.get(area) else "judgement_overall", ""))
            name = "judgements"
        tot[name] += 1
        ok = answer_matches(got, exp["answer_any"])
        acc[name] += ok
        if not ok:
            misses.append((name, src, got, exp["answer_any"]))
    print("\naccuracy against derived labels")
    for k in tot:
        print(f"{k:<28}{acc[k]:>6}/{tot[k]:<6}{acc[k] / tot[k]:.3f}")
    for m in misses[:40]:
        print("miss", *m)


def _fmt(iso) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


if __name__ == "__main__":
    main()
