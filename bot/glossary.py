"""Plain-English meanings of inspection terms, for parent mode. Our own wording."""

from __future__ import annotations

import re

GLOSSARY = {
    "outstanding": "Outstanding is the highest of Ofsted's four grades: services that are "
                   "exceptional and make a real difference to children's lives.",
    "good": "Good is the second-highest of Ofsted's four grades: services do what they should "
            "for children, well.",
    "requires improvement to be good": "'Requires improvement to be good' is the third of "
            "Ofsted's four grades: children are not harmed by the service, but it is not yet good "
            "enough and must get better.",
    "inadequate": "Inadequate is the lowest of Ofsted's four grades: there are serious failures "
                  "that leave children at risk or not properly helped, and the council must act.",
    "adequate": "Adequate was a middle grade in Ofsted's older frameworks (before 2013): services "
                "met the minimum requirements.",
    "care leavers": "Care leavers are young people aged 16 to 25 who have been in the care of "
                    "the council and have left, or are about to leave, care.",
    "children in care": "Children in care (also called looked-after children) are children the "
                        "council looks after, for example in foster care or a children's home.",
    "area send": "An area SEND inspection looks at how well the council and the NHS work "
                 "together for children and young people with special educational needs and "
                 "disabilities (SEND) in a local area.",
    "ilacs": "ILACS (inspecting local authority children's services) is Ofsted's way of "
             "inspecting a council's children's social care services since 2018.",
    "help and protection": "Children who need help and protection are those who need support "
                           "from social workers, or protection from harm, while living at home.",
    "ehc plan": "An EHC (education, health and care) plan is a legal document that sets out a "
                "child's special educational needs and the support they must get.",
}

_ORDER = sorted(GLOSSARY, key=len, reverse=True)


def explain(text: str, limit: int = 2) -> list[str]:
    """Glossary entries for the terms that ``text`` uses, longest term first, no overlaps."""
    low = text.lower()
    out: list[str] = []
    used: list[str] = []
    for term in _ORDER:
        if re.search(rf"\b{re.escape(term)}\b", low) and not any(term in u for u in used):
            out.append(GLOSSARY[term])
            used.append(term)
            if len(out) == limit:
                break
    return out
