"""Linking the names in a question to the providers the index holds.

Every indexed provider is known by every spelling its reports use ('Metropolitan Borough of
Barnsley Council', 'Barnsley'), by the usual short forms derived from those ('East Riding' for
East Riding of Yorkshire, 'Brighton' for Brighton and Hove, 'Southend' for Southend-on-Sea,
initials such as 'BCP'), by county abbreviations ('south glos', 'west berks', 'notts') and, for
a word no report uses, by fuzzy matching (rapidfuzz) within a small edit distance ('wandswoth',
'cambridgshire', 'hammersmith and fullham'). A real word of the reports ('needs', 'narrow')
is never bent into a council's name ('Leeds', 'Harrow'), and near neighbours stay apart:
'Nottingham' is not 'Nottinghamshire' (exact matches are whole words, the longest wins).

Named facilities are recognised in bot/facilities.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from index.vocab import display_name, provider_key

# county and compass abbreviations, and places' short names, people type: a closed vocabulary
ABBREVIATIONS = {
    "glos": "gloucestershire", "berks": "berkshire", "bucks": "buckinghamshire", "beds": "bedfordshire",
    "herts": "hertfordshire", "hants": "hampshire", "wilts": "wiltshire", "staffs": "staffordshire",
    "cambs": "cambridgeshire", "lancs": "lancashire", "leics": "leicestershire", "lincs": "lincolnshire",
    "notts": "nottinghamshire", "northants": "northamptonshire", "oxon": "oxfordshire",
    "worcs": "worcestershire", "warks": "warwickshire", "yorks": "yorkshire", "derbys": "derbyshire",
    "shrops": "shropshire", "gloucs": "gloucestershire", "saint": "st", "ne": "north east",
    "nw": "north west", "se": "south east", "sw": "south west", "n": "north", "s": "south",
    "e": "east", "w": "west", "b and nes": "bath and north east somerset",
    "banes": "bath and north east somerset", "rbkc": "kensington and chelsea",
    "k and c": "kensington and chelsea", "lbhf": "hammersmith and fulham",
    "h and f": "hammersmith and fulham", "mk": "milton keynes", "iow": "isle of wight",
    # places' everyday short names and nicknames
    "scillies": "isles of scilly", "brum": "birmingham", "wolves": "wolverhampton", "soton": "southampton", "pompey": "portsmouth",
    "nottm": "nottingham", "manc": "manchester", "donny": "doncaster", "boro": "middlesbrough", "toon": "newcastle",
    "darlo": "darlington", "pboro": "peterborough",
}
_COMPASS = {"n", "s", "e", "w", "ne", "nw", "se", "sw"}
# councils whose name is an everyday word, and the words around it that make it that word
_ALSO_A_WORD = {"reading": re.compile(r"\b(with|teach\w*|his|her|their|my|our|early|improv\w*|love\w*) reading\b|"
                                      r"\breading (and (writing|phonics|maths|spelling|comprehension)|age|ages|levels?|"
                                      r"skills?|books?|schemes?|ability|with|phonics|comprehension|recovery|at home)\b")}
# councils abolished since the reports began, and the councils their children's services passed to
FORMER = {"cumbria": ("Cumbria County Council's children's services passed to Cumberland and to Westmorland "
                      "and Furness in April 2023.", ("cumberland", "westmorland and furness")),
          "northamptonshire": ("Northamptonshire County Council's children's services passed to North "
                               "Northamptonshire and West Northamptonshire in April 2021.",
                               ("north northamptonshire", "west northamptonshire"))}


def former_council(text: str) -> str:
    """What became of a former council the text names ('' where it names none)."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return next((note for name, (note, _) in FORMER.items() if name in words and not (
        words & {"north", "west"} and name == "northamptonshire")), "")
FUNCTION_WORDS = set("""a an the and or of to in on for at by with from about as is are was were be been do does
did has have had what which who when where why how this that these those it its their they them our
your my we you i me us can could should would will not no any all some most more much many very than
then so into over under after before since during per up out if also just only other get got give
gave good bad anything something everything nothing""".split())

@dataclass
class ProviderIndex:
    """Every spelling of every indexed provider, mapped to one key per provider.

    Reports of one provider are grouped by URN as well as by name, so 'Metropolitan Borough of
    Barnsley Council' (2014) and 'Barnsley' (2023) are one council.
    """

    names: dict[str, str] = field(default_factory=dict)  # key -> display name
    spellings: dict[str, str] = field(default_factory=dict)  # spelling -> key
    by_doc: dict[str, str] = field(default_factory=dict)  # doc_id -> key
    # how many passages use each word; a word the reports use is not a misspelt name
    word_counts: Callable[[Sequence[str]], dict[str, int]] | None = None
    _by_words: dict[int, list[str]] = field(default_factory=dict, repr=False)  # spellings by word count
    _located: dict[str, list] = field(default_factory=dict, repr=False)  # recent questions' matches
    _name_words: dict[str, list[str]] | None = field(default=None, repr=False)  # names' words by first letters
    _first_words: dict[str, set[str]] | None = field(default=None, repr=False)  # names' first words: their keys
    _compass_pairs: set[str] | None = field(default=None, repr=False)  # 'west sussex': names' compass starts

    @classmethod
    def build(cls, docs: Iterable, word_counts=None) -> "ProviderIndex":
        """``docs``: Documents, or plain facts mappings (then keyed by position)."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        rows = []
        for i, d in enumerate(docs):
            facts = d.facts if hasattr(d, "facts") else d
            doc_id = getattr(d, "doc_id", str(i))
            key = facts.get("provider_key")
            if not key:
                continue
            tokens = [f"key:{key}"]
            if facts.get("provider_alias"):
                tokens.append(f"key:{facts['provider_alias']}")
            if facts.get("urn"):
                tokens.append(f"urn:{facts['urn']}")
            for t in tokens[1:]:
                parent[find(t)] = find(tokens[0])
            rows.append((doc_id, facts, tokens[0]))
        groups: dict[str, list] = {}
        for doc_id, facts, token in rows:
            groups.setdefault(find(token), []).append((doc_id, facts))
        pi = cls(word_counts=word_counts)
        exact: dict[str, str] = {}
        derived: dict[str, set[str]] = {}
        for members in groups.values():
            names = sorted({str(f.get("provider") or f["provider_key"]) for _, f in members},
                           key=lambda n: (len(n), n))
            canonical = provider_key(names[0]) or members[0][1]["provider_key"]
            aliases = sorted({str(f["provider_alias"]) for _, f in members if f.get("provider_alias")})
            pi.names[canonical] = display_name(names, aliases[0]) if aliases else names[0]
            for doc_id, f in members:
                pi.by_doc[doc_id] = canonical
                for spelling in {f["provider_key"], str(f.get("provider_alias") or f["provider_key"]),
                                 provider_key(str(f.get("provider", "")))}:
                    if spelling:
                        exact.setdefault(spelling, canonical)
                        for variant in _variants(spelling):
                            derived.setdefault(variant, set()).add(canonical)
        pi.spellings = dict(exact)
        for variant, keys in derived.items():  # a short form two providers share names neither
            if variant not in exact and len(keys) == 1:
                pi.spellings[variant] = next(iter(keys))
        for short, full in ABBREVIATIONS.items():
            if " " in full and full in pi.spellings and short not in pi.spellings:
                pi.spellings[short] = pi.spellings[full]
        pi._by_words = {}
        for s in pi.spellings:
            pi._by_words.setdefault(len(s.split()), []).append(s)
        return pi

    # --- finding names in a question ---------------------------------------------------------

    def find(self, text: str) -> list[str]:
        """Keys of the providers ``text`` names, in the order named."""
        return [key for _, _, key in self.locate(text)]

    def locate(self, text: str) -> list[tuple[int, int, str]]:
        """``(first_word, end_word, key)`` for each provider named, in order: exact spellings
        first (the longest wins), then close misspellings of words the reports never use."""
        hit = self._located.get(text)
        if hit is None:
            hit = self._locate(text)
            if len(self._located) > 2048:
                self._located.clear()
            self._located[text] = hit
        return list(hit)

    def _locate(self, text: str) -> list[tuple[int, int, str]]:
        words = self._compass(expand(normalise(text)).split())
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(words)
        for n in range(min(6, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                if any(taken[i:i + n]):
                    continue
                key = self.spellings.get(" ".join(words[i:i + n]))
                if key is None and len(words[i + n - 1]) > 4 and words[i + n - 1].endswith("s"):
                    key = self.spellings.get(" ".join(words[i:i + n])[:-1])  # 'bristols', 'burys'
                if key is None and n == 2:  # 'bedfordshire central', 'scilly isles'
                    key = next((self.spellings[k] for k in (f"{words[i + 1]} {words[i]}", f"{words[i + 1]} of {words[i]}")
                                if k in self.spellings), None)
                if key and n == 1 and words[i] in _ALSO_A_WORD and _ALSO_A_WORD[words[i]].search(" ".join(words[max(0, i - 2):i + 3])):
                    taken[i] = True  # 'behind with reading', 'reading and phonics': the word, not the council
                    continue
                if key:
                    found.append((i, i + n, key))
                    taken[i:i + n] = [True] * n
        found += self._fuzzy(words, taken, strict=bool(found))
        found.sort()
        seen, out = set(), []
        for s, e, key in found:
            if key not in seen:
                seen.add(key)
                out.append((s, e, key))
        return out

    def _fuzzy(self, words: list[str], taken: list[bool], strict: bool = False) -> list[tuple[int, int, str]]:
        """Close misspellings of names: one edit, or two in a long name unless the question names
        a provider exactly too (then 'Workington' beside 'Cumberland' is a town, not Warrington)."""
        unknown = [i for i, w in enumerate(words) if not taken[i] and len(w) >= 5 and w not in FUNCTION_WORDS
                   and not w.isdigit()]
        if not unknown:
            return []
        unknown = unknown[:30]  # a name is in the first words of anything a person types
        common: set[int] = set()
        if self.word_counts is not None:
            counts = self.word_counts([words[i] for i in unknown])
            common = {i for i in unknown if counts.get(words[i], 0) > 1}
        out = []
        for i in unknown:
            if taken[i]:
                continue
            best: tuple[int, int, int, str] | None = None  # (distance, start, end, key)
            if i in common:  # a word the reports use: a name's word only where it is that word's own stem
                best = self._stem_typo(words, taken, i, counts[words[i]])
            elif (short := self._short_form(words[i])) is not None:
                best = (0, i, i + 1, short)  # 'sheff': the one name it begins
            for n in (1, 2, 3, 4) if i not in common else ():
                for s in range(max(0, i - n + 1), min(i, len(words) - n) + 1):
                    if any(taken[s:s + n]):
                        continue
                    gram = " ".join(words[s:s + n])
                    limit = 1 if len(gram) < 9 or strict else 2
                    hit = process.extractOne(gram, self._by_words.get(n, []), scorer=OSA.distance,
                                             score_cutoff=limit)
                    if hit and (best is None or hit[1] < best[0]):
                        best = (hit[1], s, s + n, self.spellings[hit[0]])
            if best:
                _, s, e, key = best
                taken[s:e] = [True] * (e - s)
                out.append((s, e, key))
        return out

    def _compass(self, words: list[str]) -> list[str]:
        """'w sussex', 'n tyneside': a compass letter spelled out where the word after it then
        begins a name held (one word for one, so word positions stay those of ``expand``)."""
        if not _COMPASS_LETTERS.intersection(words):
            return words
        if self._compass_pairs is None:
            self._compass_pairs = {" ".join(sp.split()[:2]) for sp in self.spellings
                                   if sp.split()[0] in ("north", "south", "east", "west")}
        return [ABBREVIATIONS[w] if w in _COMPASS_LETTERS and i + 1 < len(words)
                and f"{ABBREVIATIONS[w]} {words[i + 1]}" in self._compass_pairs else w
                for i, w in enumerate(words)]

    def _short_form(self, word: str) -> str | None:
        """The provider whose name begins with ``word``, a short form no report uses ('sheff',
        'middlesb'), where exactly one name begins so; None otherwise."""
        if len(word) < 4 or word in FUNCTION_WORDS:
            return None
        if self._first_words is None:
            self._first_words = {}
            for sp, k in self.spellings.items():
                self._first_words.setdefault(sp.split()[0], set()).add(k)
        keys = set().union(*(ks for w, ks in self._first_words.items() if w.startswith(word) and len(w) >= len(word) + 2))
        return keys.pop() if len(keys) == 1 else None

    def _stem_typo(self, words: list[str], taken: list[bool], i: int, count: int) -> tuple[int, int, int, str] | None:
        """'walsal', 'northamptonshir': one letter from a name's word, and counted as often as it
        (the index keeps stems), read as that word within the names that hold it."""
        if self._name_words is None:  # the names' words by their first three letters, once
            self._name_words = {}
            for w in {w for s in self.spellings for w in s.split() if len(w) >= 5}:
                self._name_words.setdefault(w[:3], []).append(w)
        hit = process.extractOne(words[i], self._name_words.get(words[i][:3], []), scorer=OSA.distance, score_cutoff=1)
        if not hit or self.word_counts([hit[0]]).get(hit[0], 0) != count:
            return None
        fixed = words[:i] + [hit[0]] + words[i + 1:]
        for n in (4, 3, 2, 1):
            for s in range(max(0, i - n + 1), min(i, len(words) - n) + 1):
                key = self.spellings.get(" ".join(fixed[s:s + n]))
                if key and not any(taken[s:s + n]):
                    return 1, s, s + n, key
        return None

    def suggest(self, name: str) -> str:
        """The display name of a held provider close to ``name`` ('gloucester' ->
        'Gloucestershire'), or ''."""
        if not self.names:
            return ""
        hit = process.extractOne(normalise(name), list(self.spellings), scorer=fuzz.WRatio, score_cutoff=86)
        return self.names[self.spellings[hit[0]]] if hit else ""

    def partial(self, word: str) -> list[str]:
        """Keys of the providers whose name holds ``word`` as a whole word but is not just it
        ('bedfordshire' -> Central Bedfordshire; 'yorkshire' -> North Yorkshire, East Riding of
        Yorkshire, ...), or that took over a former council of that name ('cumbria' ->
        Cumberland, Westmorland and Furness), for asking which one is meant."""
        if word in FORMER and word not in self.spellings:
            return [k for k in FORMER[word][1] if k in self.names]
        if len(word) < 5 or word in _NOT_A_NAME or word in FUNCTION_WORDS:
            return []
        keys = {k for s, k in self.spellings.items() if word in s.split() and s != word}
        return sorted(keys, key=lambda k: self.names.get(k, k))[:6]

    def sole(self, word: str) -> str | None:
        """The one provider a partial name can only mean: 'scilly' is the Isles of Scilly (its
        other words are generic and no other name begins like it), while 'bedfordshire' might
        be Bedford as well as Central Bedfordshire, and 'northamptonshire' names a county of
        several councils even where only North Northamptonshire is held."""
        keys = self.partial(word)
        if len(keys) != 1:
            return None
        generic = _NOT_A_NAME | FUNCTION_WORDS
        spelt = [s for s, k in self.spellings.items() if k == keys[0]]
        # 'maidenhead': one place of a joint name ('windsor and maidenhead'), a name on its own
        joint = any(re.search(r"\s(?:and|with)\s", s) and word in s.split() for s in spelt)
        if not joint and not any(set(s.split()) - {word} <= generic for s in spelt):
            return None
        if any(set(s.split()) & _PART_OF for s, k in self.spellings.items() if k == keys[0]):
            return None  # 'North Northamptonshire', 'Central Bedfordshire': a part of an area with other parts
        alike = {k for s, k in self.spellings.items() for w in s.split() if w[:5] == word[:5]}
        return keys[0] if alike == {keys[0]} else None

    def name_words(self, key: str) -> set[str]:
        """Every word of every spelling of one provider ('bournemouth', 'christchurch', 'poole')."""
        return {w for s, k in self.spellings.items() if k == key for w in s.split()}

    def unknown_name(self, question: str) -> str:
        """A name the question gives a council or provider that the index does not hold
        ('Gotham City', 'cardiff' in 'cardiff children's services'), or ''."""
        for m in _NAMED.finditer(question):
            name = (m.group(1) + m.group(2)).strip()
            if not re.match(r"^(What|Which|How|Is|Are|Did|Does|The|My|Our|Who|When|Where|Ofsted|"
                            r"Children|Local|This|That|A|An|Your|Their|Its)\b", name):
                return name
        for m in _BEFORE_SERVICE.finditer(question):
            words = m.group(1).split()
            for name in (" ".join(words), words[-1]):  # 'powys council', or 'did gothamshire' -> 'gothamshire'
                lower = name.lower().split()
                if set(lower) & FUNCTION_WORDS or re.search(r"\d", name) or any(len(w) > 5 and w.endswith("ly") for w in lower):
                    continue
                if self.word_counts is None or min(self.word_counts(lower).values()) <= 3:
                    return name
        return ""


_NAMED = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){1,4}?)(County Council|City Council|Borough Council|Council|"
                    r"County|City)\b")
_BEFORE_SERVICE = re.compile(
    r"\b([a-z][a-z'’-]+(?: [a-z][a-z'’-]+)?)(?:'s|’s)? (?:county |city |borough )?(?:council'?s?|children'?s services|"
    r"childrens services|kids'? services|children'?s social (?:care|work)|childrens social (?:care|work)|"
    r"social (?:care|work)|ofsted)\b", re.I)


def normalise(text: str) -> str:
    s = re.sub(r"['’]s\b", "", text)
    return provider_key(s)


def expand(norm: str) -> str:
    """Spell out county and compass abbreviations: 'south glos' -> 'south gloucestershire',
    'n yorks' -> 'north yorkshire'."""
    words = norm.split()
    out = []
    for i, w in enumerate(words):
        if w in _COMPASS:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            out.append(ABBREVIATIONS[w] if nxt in ABBREVIATIONS and nxt not in _COMPASS else w)
        elif w in ABBREVIATIONS and " " not in ABBREVIATIONS[w]:
            out.append(ABBREVIATIONS[w])
        elif w.endswith("boro") and len(w) > 6:  # 'middlesboro', 'peterboro'
            out.append(w + "ugh")
        else:
            out.append(w)
    return " ".join(out)


_COMPASS_LETTERS = {"n", "s", "e", "w"}
# words that make a name one part of a larger area
_PART_OF = {"north", "south", "east", "west", "central", "mid", "greater", "inner", "outer"}
# first words of a council's name that are not a name on their own
_NOT_A_NAME = set("""north south east west central royal greater isle isles tower upper lower middle new great
city county borough london school schools primary secondary academy college infant junior nursery church green""".split())


def _variants(key: str) -> set[str]:
    """Short forms of one spelling: without 'county'/'city', initials, the first part of
    'X and Y' or 'X with Y', the place before 'on Sea'/'upon Thames', the part before 'of'."""
    out = {key}
    words = key.split()
    stripped = " ".join(w for w in words if w not in ("county", "city", "of", "upon"))
    if len(stripped) > 3:  # 'county durham' -> 'durham'
        out.add(" ".join(w for w in words if w not in ("county", "city")))
    initials = "".join(w[0] for w in words if w not in ("and", "of", "upon", "the", "on", "with"))
    if len(initials) >= 3 and len(words) >= 3:
        out.add(initials)
    m = re.match(r"^(.{4,}?) (?:and|with) ", key)
    if m:  # 'brighton and hove' -> 'brighton', 'bath and north east somerset' -> 'bath'
        out.add(m.group(1))
    if len(words) == 2 and len(words[0]) >= 6 and words[0] not in _NOT_A_NAME:
        out.add(words[0])  # 'bracknell forest' -> 'bracknell', 'milton keynes' -> 'milton' 
    m = re.match(r"^(.{4,}?) (?:on|upon) (?:sea|tees|thames|trent|tyne)$", key)
    if m:  # 'southend on sea' -> 'southend'
        out.add(m.group(1))
    m = re.match(r"^(.{4,}?) (?:(?:primary|junior|infant|secondary|high|grammar|church of england|c of e|ce|rc|"
                 r"catholic|community|free|special)(?: primary)? )?(?:school|academy)$", key)
    if m:  # 'rough hay primary school' -> 'rough hay primary', 'rough hay', 'rough hay school'
        out.add(m.group(1))
        out.add(re.sub(r" school$| academy$", "", key))
        out.add(f"{m.group(1)} school")
    m = re.match(r"^(\w+ \w+) of \w+$", key)
    if m:  # 'east riding of yorkshire' -> 'east riding'
        out.add(m.group(1))
    return {v for v in out if v}
