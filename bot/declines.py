"""The answers that are not drawn from a report's passages: refusals, definitions, providers
or facilities not held, and asking back which council is meant. A mixin of the Answerer
(``bot.answer``)."""

from __future__ import annotations

import re

from bot import factual
from bot.glossary import definition
from bot.names import former_council
from bot.types import Answer
from bot.understand import Query


class Declines:
    def _route_refuse(self, q: Query, docs, mode, filters) -> Answer:
        return self._abstain(REFUSALS[q.refuse], mode, self._understood(q, "refuse"))

    def _route_define(self, q: Query, docs, mode, filters) -> Answer:
        """An inspection term explained in our own words (no report is quoted, so none is cited)."""
        return Answer(f"{definition(q.question)} (This is inspectbot's own explanation, not a quote from a "
                      f"report. Ask about a council to see what its reports say.)", False, (), mode,
                      understood=self._understood(q, "define"))

    def _route_holdings(self, q: Query, docs, mode, filters) -> Answer:
        """What the index holds ('which reports do you hold?'): its coverage, and how to ask."""
        return Answer(f"{self.coverage()} Ask about a council or provider by name, or choose one in the "
                      f"council filter.", False, (), mode, understood=self._understood(q, "holdings"))

    def _route_not_held(self, q: Query, docs, mode, filters) -> Answer:
        if q.facility:
            text = (f"I don't hold a report on {q.facility}: I answer only from the inspection reports I hold, and none of "
                    f"them is about it. A council's children's services report does not rate the "
                    f"hospitals, surgeries, care homes, nurseries or schools in its area.")
        else:
            near = self._providers.suggest(q.unknown_provider)
            text = f"I have no reports for {q.unknown_provider}." + (f" Did you mean {near}?" if near else "")
        return self._abstain(text, mode, self._understood(q, "not_held"))

    def _route_clarify(self, q: Query, docs, mode, filters) -> Answer:
        if q.candidates:
            names = [self._providers.names.get(k, k) for k in q.candidates]
            which = f"Do you mean {names[0]}?" if len(names) == 1 else \
                f"Which council do you mean: {', '.join(names[:-1])} or {names[-1]}?"
            which = f"{former_council(q.question)} {which}".strip()  # 'Cumbria': what became of it
            return self._abstain(f"{which} Name it in your question.", mode, self._understood(q, "clarify"), cover=False)
        example = next(iter(sorted(self._providers.names.values())), "Salford")
        odd = [w for w in q.topic.split() if w not in factual.JUDGEMENT_WORDS and (
               not self._providers.word_counts or self._providers.word_counts([w]).get(w, 0) <= 100)] \
            if q.kind in ("grade", "assess", "timeline", "compare") and not q.deictic else []
        lead = f"I don't recognise “{' '.join(odd)}” as a council I hold reports for. " if odd else ""
        return self._abstain(f"{lead}Which council do you mean? Name it in your question, for example "
                             f"“How good are {example}'s children's services?”, or choose one in the "
                             f"council filter.", mode, self._understood(q, "clarify"), cover=False)



REFUSALS = {
    "rules": "I only answer questions about what published inspection reports say, always with the "
             "passages I took the answer from. I can't share or change how I work.",
    "personal": "I can't help with personal details about individuals: inspection reports don't publish "
                "them, and I only answer from the reports.",
    "access": "I can't help with getting into systems, records or accounts: I only answer questions about "
              "what published inspection reports say.",
    "contact": "Inspection reports don't give phone numbers or email addresses. The council's own website "
               "lists how to contact its services; if a child is in danger now, call 999.",
    "future": "I can't predict future inspections: I can only tell you what published reports say.",
    "opinion": "I don't give opinions of my own on which council is better: I report what the inspectors "
               "found, with their grades and the passages behind them. Ask me to compare councils' grades or "
               "to list the councils judged outstanding.",
    "individual": "Inspection reports judge a council's services and its leadership, not one person's "
                  "performance, and I don't give opinions about individuals. Ask me what the report says "
                  "about the council's leaders.",
    "report": "Inspection reports can't tell you how to report a worry about a child: the council's "
              "children's services take such concerns themselves.",
    "advice": "I can't give personal or legal advice. I can tell you what published inspection reports "
              "say about a council's services; for your own situation, contact the council or an "
              "advice service.",
    "other_inspectorate": "I don't hold reports from that inspectorate: I answer from Ofsted and CQC "
                          "reports on councils in England.",
    "offtopic": "That isn't something inspection reports cover: I answer questions about what "
                "published inspection reports say.",
    "generate": "I don't write poems, stories, letters or essays: I answer questions about what published "
                "inspection reports say, quoting the passages. Ask me what a report says and I'll show you.",
}

# what an answer of each type needs to hold, and what to say where the report holds none
EVIDENCE = {
    "money": (re.compile(r"£\s?\d|\b\d[\d,.]*\s?(pounds|million|bn|billion|k)\b", re.I),
              "gives no amount of money for that"),
    # a figure: not a year, nor the day of a date
    "number": (re.compile(r"\b(?!(?:19|20)\d\d\b)(?!\d{1,2}(?:st|nd|rd|th)? (?:january|february|march|april|may|june|"
                          r"july|august|september|october|november|december)\b)\d|"
                          r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
                          r"forty|fifty|hundred|half|third|quarter)\b", re.I), "gives no figure for that"),
}
NAMES_NO_STAFF = ("Inspection reports name the lead inspector, but not other staff, children or families, "
                  "and I don't give personal details about anyone.")
