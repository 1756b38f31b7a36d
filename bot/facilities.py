"""Named facilities in a question: a hospital, surgery, care home, nursery, school, trust...

The index may not hold a facility's reports; recognising one lets the bot say so instead of
answering with the report of the council whose town it is in.
"""

from __future__ import annotations

import re

from bot.names import FUNCTION_WORDS

# facilities that are inspected, but whose reports are a different kind from a council's
FACILITY = re.compile(
    r"\b(hospitals?|infirmary|surgery|surgeries|gp practice|medical (?:centre|center|practice)|"
    r"health centre|clinic|hospice|care homes?|nursing homes?|children['’]?s home(?![’'s])|nurser(?:y|ies)|"
    r"pre-?school|childminders?|(?:primary |secondary |high |grammar |infant |junior |free |"
    r"independent )?schools?|academy|academies|college|university|(?:nhs |foundation )?trust|"
    r"prison|hmp|young offender institution|police|fire (?:and rescue )?service|pharmacy|dentists?|"
    r"adult social care|ambulance service|(?:football|rugby|cricket|golf|tennis|sports?) clubs?|leisure centres?|"
    r"restaurants?|hotels?|supermarkets?)\b", re.I)
FACILITY_TYPE = {"care home": "care_home", "nursing home": "care_home", "residential home": "care_home",
                 "school": "school", "academy": "school", "academies": "school", "college": "school"}
# words before a facility noun that make it a topic of a council's report, not a named place
_GENERIC = set("""virtual special residential unregistered children's childrens independent local
mainstream alternative their its the a an our my your his her in at to of for from with and or
children's secure registered private foster new good outstanding other all some any many most
which what own same different appropriate suitable specialist home work education employment training
apprenticeship apprenticeships university uni job jobs""".split())
# whose a facility is, said by the asker ('my daughter's school'): no name of a place
_FAMILY = set("""daughter son kid kids child children grandson granddaughter grandchild grandkids nephew niece
partner wife husband mum mom dad brother sister friend neighbour stepson stepdaughter""".split())
# what people do at a place ('my boy misses school', 'since she started nursery'): no name of one
_DOING = set("""misses missed missing miss attends attended attending attend started starting start left leaving
leave changed changing change moved moving move hates hated loves loved likes skips skipped skipping refuses
excluded back off out after before during current old""".split())
_WHERE_ONE_IS = {"in", "at", "to", "from", "into", "of"}
_STRONG = re.compile(r"\b(hospital|infirmary|surgery|gp practice|medical centre|hospice|nursery|"
                     r"nurseries|childminder|care homes?|nursing homes?|grammar school|high school|"
                     r"primary school|academy|nhs|foundation trust|adult social care|prison|hmp)\b", re.I)


def named_facility(question: str) -> tuple[str, str] | None:
    """``(phrase, report_type)`` when the question asks about a named facility ('Calderdale
    Royal Hospital', 'Sutton Grammar School', 'care homes in Torbay rated outstanding');
    report_type is the kind of report that would cover it ('' for kinds no report here is of).
    A facility noun that modifies another ('hospital social work team', 'hospital discharge') or
    that names no particular place ('work with the local hospital') is a topic, not a facility."""
    rated = bool(_RATED.search(question))
    for m in FACILITY.finditer(question):
        noun = m.group(1).lower()
        before = re.findall(r"[\w’'&-]+", question[:m.start()])[-3:]
        prev = before[-1].lower() if before else ""
        after = re.match(r"\s+([\w’'-]+)", question[m.end():])
        if after and after.group(1).lower() in _MODIFIED:
            continue  # 'hospital social work team', 'school attendance'
        if noun.startswith("children") and not rated:
            continue  # 'the children's home he lives in': a topic; 'what grade did that children's home get?' names one
        if _ROLE_OF_ASKER.search(question[:m.start()]):
            continue  # 'I'm a childminder near ...': who is asking, not what about
        whose = re.sub(r"['’]?s$", "", prev)
        named = bool(prev) and prev not in _GENERIC and prev not in FUNCTION_WORDS and prev not in _DOING \
            and whose not in _FAMILY and prev not in _FAMILY  # 'my daughter's school', 'my daughters school' name none
        if not (named or (rated and bool(_STRONG.search(noun)) and prev not in _WHERE_ONE_IS)):
            continue  # 'he's in prison', 'she's in hospital': where someone is, no place named
        kind = next((v for k, v in FACILITY_TYPE.items() if k in noun), "")
        name = before[-2:]
        while name and name[0].lower() in FUNCTION_WORDS:  # 'of manchester grammar school' -> 'manchester ...'
            name = name[1:]
        return " ".join(name + [m.group(1)]).strip(), kind
    return None


# the asker saying what they are ('I'm a childminder', 'as a school governor'), right before the noun
_ROLE_OF_ASKER = re.compile(r"\b(i['’]?m|i am|im|as|we['’]?re|we are|i work (as|in|at)|i run)\s+(an?\s+)?"
                            r"(\w+\s+)?$", re.I)
# words after a facility noun that make it part of a topic ('hospital team', 'school attendance')
_MODIFIED = set("""team teams social staff discharge discharges admissions admission attendance places place
work workers worker nurse nurses services service settings setting exclusions exclusion liaison pathway
pathways links trusts trust transport meals uniform holidays holiday years year""".split())
_RATED = re.compile(r"\b(rated|rating|ratings|grade|graded|judged|inspected|inspection|report|cqc|ofsted|"
                    r"outstanding|inadequate|requires improvement|good|any good)\b", re.I)
