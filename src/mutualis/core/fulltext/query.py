"""The search syntax users type, read once and written for each database.

    nettoyage vitres          both words, in any order; each word also finds the words it starts
                              (« blanchis » finds « blanchisserie »), as a list's search box does
    "fournitures de bureau"   the phrase, word for word
    -locaux                   without this word
    lait OU yaourt            either (also OR)

Only word characters reach the database: punctuation separates words, so no input can inject an
operator of FTS5 or of tsquery.
"""

import re
from dataclasses import dataclass

# A minus sign negates only at a word's start: « AC26-LABO » is two words, not « AC26 » without « LABO ».
_TOKEN = re.compile(r'(?:(?<!\S)(-))?(?:"([^"]*)"?|([\w*]+))', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
_OR = {"OU", "OR"}


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """A disjunction (OU) of conjunctions: each group needs all its positive terms and none of its negated."""

    groups: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return any(any(not t.negated for t in group) for group in self.groups)

    def to_fts5(self) -> str:
        return " OR ".join(f"({_fts5_group(g)})" for g in self._searchable())

    def to_tsquery(self) -> str:
        return " | ".join(f"({_ts_group(g)})" for g in self._searchable())

    def _searchable(self):
        # A group of negations alone would match almost everything: it is dropped, like an empty one.
        return [g for g in self.groups if any(not t.negated for t in g)]


def parse(text: str) -> Query:
    groups, current, join_next = [], [], False
    for match in _TOKEN.finditer(text or ""):
        negated, phrase, word = bool(match.group(1)), match.group(2), match.group(3)
        raw = phrase if phrase is not None else word
        if word is not None and raw.upper() in _OR and not negated:
            join_next = True
            continue
        words = tuple(w.lower() for w in _WORD.findall(raw))
        if not words:
            continue
        term = Term(words, prefix=word is not None and len(words) == 1, negated=negated)
        if join_next and current:
            groups.append(tuple(current))
            current = []
        join_next = False
        current.append(term)
    if current:
        groups.append(tuple(current))
    return Query(tuple(groups))


def _fts5_term(term: Term) -> str:
    text = '"' + " ".join(term.words) + '"'
    return text + "*" if term.prefix else text


def _fts5_group(group) -> str:
    positive = " AND ".join(_fts5_term(t) for t in group if not t.negated)
    negative = "".join(f" NOT {_fts5_term(t)}" for t in group if t.negated)
    return positive + negative


def _ts_term(term: Term) -> str:
    text = " <-> ".join(f"'{w}'" for w in term.words)
    if term.prefix:
        text += ":*"
    return f"!({text})" if term.negated else f"({text})"


def _ts_group(group) -> str:
    return " & ".join(_ts_term(t) for t in group)
