"""The plan of one answer: what was understood, in one frozen value, built before anything is
searched. ``Answerer.plan`` makes it from the understood ``Query``; its ``executor`` is the one
route that answers; ``describe`` is the words shown to the user ("About: Kent · grades over
time", "About: councils · inadequate → good between consecutive inspections")."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conditions import bound_words, grade_words
from index.vocab import JUDGEMENT_LABELS, region_name

# the operation each executor carries out (bot.operations.OPERATIONS plus the answers that are
# not operations on reports: refuse, clarify, not_held, holdings)
OPERATION_OF = {"refuse": "refuse", "define": "define", "holdings": "holdings", "not_held": "not_held", "clarify": "clarify",
                "list": "list", "transition": "transition", "timeline": "history", "compare": "compare",
                "news": "passages", "news_any": "passages", "search": "theme", "theme": "theme", "each": "fact", "report": "fact",
                "both_reports": "fact", "inspector": "list"}
_FACT_WORDS = {"inspector": "lead inspector", "dates": "inspection dates", "next": "next inspection",
               "published": "publication date", "where": "address"}


@dataclass(frozen=True)
class Plan:
    operation: str  # fact passages history compare list transition theme define holdings refuse clarify not_held
    answer_type: str  # grade date person number money place yesno description providers
    executor: str  # the Answerer route that answers it
    providers: tuple[str, ...] = ()  # display names of the providers named or carried
    kind: str = ""  # the fact or passage kind: grade assess inspector dates improve next content ...
    area: str = ""  # the judgement asked about
    year: int | None = None
    since: int | None = None  # years a list's inspections ended in ('since 2024', 'before 2018')
    until: int | None = None
    grade: str = ""  # a grade condition (lists), or the grade a change ends at (transitions)
    grade_from: str = ""
    path: tuple[str, ...] = ()  # a change over three inspections or more: each one's grade, in turn
    jump: int = 0  # a change of at least this many grades at once
    moves: int = 0  # this many changes in turn, each the way asked ('worse twice in a row')
    ranked: str = ""  # 'most' or 'fewest': councils ranked by how many times they were inspected, or judged the grade
    direction: str = ""  # up, down, same
    send: bool = False
    topic: str = ""
    declined: str = ""  # a clause declined ('rules'), the rest answered
    region: str = ""  # the region whose councils a question over many is about ('London')
    over_all: str = ""  # never, always, ever: a list's grade over every inspection of each council
    inspector: str = ""  # a lead inspector whose inspections are listed; '*' the inspectors ranked
    also: tuple[tuple[str, str], ...] = ()  # a list's further (judgement, grade) conditions
    outside: str = ""  # a region set aside ('not counting london boroughs')

    def conditions(self) -> dict:
        out = {"year": self.year, "since": self.since, "until": self.until, "grade": self.grade or None, "from": self.grade_from or None,
               "path": list(self.path) or None, "grades_moved": self.jump or None, "changes_in_a_row": self.moves or None,
               "ranked_by_count": self.ranked or None,
               "direction": self.direction or None, "report_type": "area_send" if self.send else None,
               "region": self.region or None, "outside": self.outside or None, "over_all": self.over_all or None,
               "lead_inspector": self.inspector if self.inspector not in ("", "*", "=") else None}
        if self.area and self.area != "judgement_overall":
            out["judgement"] = JUDGEMENT_LABELS.get(self.area, self.area)
        if self.also:
            out["also"] = [{"judgement": JUDGEMENT_LABELS.get(a, "any judgement"), "grade": g} for a, g in self.also]
        return {k: v for k, v in out.items() if v}

    def to_json(self) -> dict:
        return {"operation": self.operation, "answer_type": self.answer_type, "executor": self.executor,
                "providers": list(self.providers), "conditions": self.conditions(),
                "topic": self.topic or None, "declined": self.declined or None}

    def _councils(self) -> str:
        return f"councils in {region_name(self.region)}" if self.region else \
            f"councils outside {region_name(self.outside)}" if self.outside else "councils"

    def describe(self) -> str:
        """What the answer is about beyond its provider and report, in a user's words."""
        label = "at least one judgement" if self.area == "any_judgement" else \
            JUDGEMENT_LABELS.get(self.area, "") if self.area and self.area != "judgement_overall" else ""
        if self.operation == "transition":
            change = " → ".join(self.path) if self.path else (
                f"{self.grade} twice in a row" if self.direction == "same" and self.grade and not self.grade_from
                else f"{ {'up': 'improved', 'down': 'declined'}.get(self.direction, 'changed')} · not from {self.grade_from[4:]}"
                if self.grade_from.startswith("not ")
                else f"{self.grade_from or 'any grade'} → {self.grade or 'any grade'}" if self.grade_from or self.grade
                else {"up": "improved", "down": "declined", "same": "same grade"}.get(self.direction, "changed"))
            change += f" by {self.jump}+ grades" if self.jump else ""
            when = f" · ending in {self.year}" if self.year else \
                f" · the later ending {self.since}–{self.until}" if self.since and self.until else \
                f" · the later ending {self.since} or later" if self.since else \
                f" · the later ending {self.until} or earlier" if self.until else ""
            if self.moves > 1:  # 'got worse twice in a row'
                change = f"{'improved' if self.direction == 'up' else 'declined'} at {self.moves} inspections in a row"
                return f"{self._councils()} · {change}{' for ' + label if label else ''}{when}"
            if len(set(self.path)) == 1:  # 'inadequate three times in a row'
                return f"{self._councils()} · {self.path[0]}{' for ' + label if label else ''} at {len(self.path)} inspections in a row{when}"
            return f"{self._councils()} · {change}{' for ' + label if label else ''} between consecutive inspections{when}"
        if self.executor == "inspector":
            return ("lead inspectors · most inspections led" if self.inspector == "*" else
                    "councils · the same lead inspector twice" if self.inspector == "=" else
                    f"inspections led by {self.inspector}" + (f" · ending in {self.year}" if self.year else ""))
        if self.operation == "list" and self.ranked:  # 'which council has been inspected the most?'
            what = f"judged {self.grade}{' for ' + label if label else ''}" if self.grade else "inspected"
            return f"{self._councils()} · {self.ranked} times {what} · every inspection held"
        if self.operation == "list" and self.over_all:
            if self.over_all == "first":
                return f"{self._councils()} · judged {self.grade} for the first time · latest inspections"
            return f"{self._councils()} · {self.over_all} judged {self.grade} · every inspection held"
        if self.operation == "list":
            what = f"judged {self.grade}" if self.grade else "each one's grade" if not self.year else "reports"
            what += f" for {label}" if label and not self.send and self.also else ""
            what += "".join(f" and {grade_words(g)} for {JUDGEMENT_LABELS.get(a, 'any judgement')}" for a, g in self.also)
            for a, g in self.also:  # 'better for care leavers than for children in care'
                if g.partition(" ")[2] in JUDGEMENT_LABELS:
                    what = bound_words(g, JUDGEMENT_LABELS).replace(" than", f" for {label} than", 1)
            if self.send:
                what = f"area SEND: {self.grade}" if self.grade else "area SEND reports"
            when = f"inspections ending in {self.year}" if self.year else \
                f"inspections ending {self.since}–{self.until}" if self.since and self.until else \
                f"inspections ending {self.since} or later" if self.since else \
                f"inspections ending {self.until} or earlier" if self.until else "latest inspections"
            return " · ".join(p for p in (self._councils(), what + (f" for {label}" if label and not self.send and not self.also
                                                                    else ""), when))
        if self.operation == "history":
            return f"{self.topic} over time" if self.topic else "grades over time"
        if self.operation == "compare":
            what = "every judgement" if self.area == "all_judgements" else label or (
                "area SEND outcome" if self.send else "overall grade")
            return f"compared: {what}"
        if self.operation == "theme":
            if self.kind == "improve":
                return "across reports · what needs to improve, most often"
            where = f"across {region_name(self.region)}'s reports" if self.region else "across reports"
            return f"{where} · {self.topic}" if self.topic else where
        if self.operation == "define":
            return "what the term means"
        if self.operation == "holdings":
            return "the reports I hold"
        if self.executor == "both_reports":
            return "children's services grade and area SEND outcome"
        if self.executor in ("report", "each"):
            if self.kind in _FACT_WORDS:
                return _FACT_WORDS[self.kind]
            if self.kind == "improve":
                return "what needs to improve"
            if self.kind in ("grade", "assess") and not self.topic:
                return label or ("area SEND outcome" if self.send else "overall grade")
        return " ".join(dict.fromkeys(w for w in self.topic.split() if w not in _ASKING))


# words that ask rather than name a subject: never shown as what an answer is about
_ASKING = set("""find found finding say said saying think thought know knew like liked want wanted tell told
worried worry concerned live lives living son daughter kid my our employ employs employed look looking
need needs better worse same conclude concluded weve moved moving move thinking anything something
coming come back long total lot really actually please pls info information details stuff etc kind sort
getting going doing done quote quoted well""".split())


def span_words(since: int | None, until: int | None) -> str:
    """'at inspections ending in 2024 or later', '... in 2017 or earlier', '... from 2016 to 2019'."""
    if since and until:
        return f"at inspections ending from {since} to {until}"
    return f"at inspections ending in {since} or later" if since else f"at inspections ending in {until} or earlier"


def where_words(region: str, outside: str = "") -> str:
    """' in London', ' outside London' or '': the councils a question over many is about."""
    return f" in {region_name(region)}" if region else f" outside {region_name(outside)}" if outside else ""
