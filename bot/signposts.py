"""Where a person can go when the reports cannot answer them: one short sentence, chosen by what
was asked, in inspectbot's own words (no report is quoted, so none is cited).

A question about a child's special educational needs (an EHC plan, autism, a SENCO) is pointed
to the council's SEND local offer and the area's SEND information, advice and support service;
a worry about a child's safety to the council's children's services front door; a complaint
about an inspection to the inspectorate's complaints page, and one about a council's service
to the council's own complaints procedure. ``signpost`` is a pure function: the same question
and reason always give the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from bot.types import Answer

# what was asked, most specific first: (topic, pattern)
_TOPICS = (
    ("danger", re.compile(r"\b(in danger|immediate danger|being (hurt|abused|hit)|(is|are) unsafe|"
                          r"not safe (at home|now)|emergency)\b", re.I)),
    ("inspection_complaint", re.compile(
        r"\b(complain\w*|complaint|appeal|challenge|disagree|unfair|wrong)\b[^?.!]{0,80}\b(ofsted|cqc|inspect\w*|"
        r"report|rating|grade|judgement)\b|\b(ofsted|cqc|inspect\w*|report|rating|grade|judgement)\b[^?.!]{0,60}"
        r"\b(complain\w*|complaint|appeal|challenge|unfair|wrong)\b", re.I)),
    ("send", re.compile(
        r"\b(sen|senco|sendco|ehcp|ehcps|ehc ?plans?|education,? health and care|special (educational )?needs?|"
        r"autis\w*|asd|adhd|dyslexi\w*|dyspraxi\w*|learning (disabilit\w*|difficult\w*)|disabled|disabilit\w*|"
        r"additional needs|send tribunal|statement of (special )?needs|special school|speech and language|"
        r"one-to-one support|annual review|needs assessment|school transport)\b", re.I)),
    ("council_complaint", re.compile(r"\b(complain\w*|complaint|appeal|ombudsman)\b", re.I)),
    ("safeguarding", re.compile(
        r"\b(worried about (a|my|the|this|our) (child|son|daughter|grandchild|neighbour'?s?|niece|nephew|kids?)|"
        r"safeguard\w*|abuse\w*|neglect\w*|child protection|social workers?|social services|children'?s services|"
        r"early help|taken into care|in care|foster\w*|care leavers?|kinship|mash|referral|refer (a|my|the)|"
        r"(child|children|kids?|son|daughter) (is |are )?at risk|report (a|my|the) (child|concern)|"
        r"(concerns?|worr\w+) (about|for) (a|my|the|this|our|a neighbour'?s?) (child|kid|son|daughter))\b", re.I)),
    ("council_help", re.compile(
        r"\b(unhappy|not happy|won'?t (help|listen|give|assess|reply)|"
        r"refus\w+ to|ignor\w+ (me|us|my)|let (me|us) down|what can i do|what (should|can) we do|"
        r"how do i get|who do i (contact|talk to|speak to|ask))\b", re.I)),
)

_CQC = re.compile(r"\b(cqc|care quality commission|care homes?|nursing homes?|hospitals?|gp|surgery|adult social care)\b", re.I)


_SEND = re.compile(r"\bSEND\b|\bsend (support|needs|provision|services?|team|plan)\b")  # not 'send me'


def topic(question: str) -> str:
    """What a question is about, for signposting: danger, inspection_complaint, send,
    council_complaint, safeguarding, council_help, or '' when none of these."""
    for name, pattern in _TOPICS:
        if pattern.search(question or "") or (name == "send" and _SEND.search(question or "")):
            return name
    return ""


def signpost(question: str, reason: str = "", provider: str = "") -> str:
    """One short sentence of where a person can go, or '' where nothing fits.

    ``reason`` is why the bot could not answer (refuse, not_held, content, ..., or one of
    bot.declines.REFUSALS' keys: rules, personal, contact, access, future, opinion, individual, report, advice, other_inspectorate,
    offtopic);
    ``provider`` the council the conversation is about, where known.
    """
    if reason in ("rules", "offtopic", "clarify", "other_inspectorate", "opinion", "individual", "access"):
        return ""
    council = f"{provider}'s" if provider else "your council's"
    area = f"{provider}'s" if provider else "your area's"
    kind = topic(question)
    if kind == "danger":
        return ("If a child is in danger now, call 999; otherwise contact "
                f"{council} children's services front door, which takes concerns about a child's safety.")
    if kind == "inspection_complaint":
        who = "the Care Quality Commission's" if _CQC.search(question or "") else "Ofsted's"
        return f"To complain about an inspection or a report, use {who} complaints page on its website."
    if kind == "send":
        return (f"For help with special educational needs, including an EHC plan, see {council} SEND local "
                f"offer, or ask {area} SEND information, advice and support service (SENDIASS), which is "
                "free and impartial.")
    if kind == "safeguarding":
        return (f"If you are worried about a child, contact {council} children's services front door; if a "
                "child is in danger now, call 999.")
    if kind in ("council_complaint", "council_help") or reason == "advice":
        return (f"For your own situation, contact {council} customer services or use its complaints "
                "procedure; the Local Government and Social Care Ombudsman looks at complaints the council "
                "has not put right.")
    return ""


def said_before(history: Sequence, sentence: str) -> bool:
    """Whether an earlier answer of the conversation already gave ``sentence``."""
    for turn in history or ():
        role = turn.get("role") if isinstance(turn, dict) else getattr(turn, "role", "")
        content = turn.get("content") if isinstance(turn, dict) else getattr(turn, "content", "")
        if role == "assistant" and sentence and sentence in str(content or ""):
            return True
    return False


def signposted(answer: Answer, question: str, history: Sequence, coverage: str, provider: str = "",
               refused: str = "") -> Answer:
    """A refusal with where to go added after its reason, and the long sentence of what the
    index covers only on the conversation's first refusal. ``refused``: why the question was
    refused before any search (a key of bot.declines.REFUSALS), where it was."""
    if not answer.abstained:
        return answer
    text = answer.text
    covered = bool(coverage) and text.endswith(coverage)
    reason = text[:-len(coverage)].rstrip() if covered else text
    u = answer.understood
    sign = signpost(question, refused or (u.kind if u else ""), (u.provider if u else "") or provider)
    if sign and sign in reason:
        sign = ""
    keep = covered and not said_before(history, coverage)
    new = " ".join(p for p in (reason, sign, coverage if keep else "") if p)
    return answer if new == text else replace(answer, text=new)
