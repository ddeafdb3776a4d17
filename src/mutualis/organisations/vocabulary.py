"""The words of a territory: what its members are called, in every form a French sentence needs.

A GHT has « établissements », a region or a département « directions », an agglomeration communes
and services (« membres »). Templates read `words` (www/context_processors.py); Python strings that
cannot see the request call `current_words()` when they are built, never at import time.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.utils.functional import lazy

from mutualis.core.french import VOWELS

from .models import Territory, TerritoryKind


@dataclass(frozen=True)
class Words:
    """The name of the territory's members: « {{ words.many_cap }} concerné{{ words.e }}s »."""

    one: str  # « établissement »
    many: str  # « établissements »
    feminine: bool = False
    # « votre membre » reads badly: a commune or a service of the agglomeration says it otherwise.
    your_one: str = ""

    def __post_init__(self):
        if not self.your_one:
            object.__setattr__(self, "your_one", "votre " + self.one)

    @property
    def _elided(self) -> bool:
        return self.one[0] in VOWELS

    @property
    def one_cap(self) -> str:
        return self.one[0].upper() + self.one[1:]

    @property
    def many_cap(self) -> str:
        return self.many[0].upper() + self.many[1:]

    @property
    def e(self) -> str:
        """The ending an adjective takes to agree with the word: « concerné{{ words.e }} »."""
        return "e" if self.feminine else ""

    @property
    def a_one(self) -> str:
        return ("une " if self.feminine else "un ") + self.one

    @property
    def no_one(self) -> str:
        return ("aucune " if self.feminine else "aucun ") + self.one

    @property
    def no_one_cap(self) -> str:
        return self.no_one[0].upper() + self.no_one[1:]

    @property
    def the_one(self) -> str:
        if self._elided:
            return "l'" + self.one
        return ("la " if self.feminine else "le ") + self.one

    @property
    def of_one(self) -> str:
        """Without article: « feuille d'établissement », « feuille de direction »."""
        return ("d'" if self._elided else "de ") + self.one

    @property
    def of_the_one(self) -> str:
        if self._elided or self.feminine:
            return "de " + self.the_one
        return "du " + self.one

    @property
    def to_the_one(self) -> str:
        if self._elided or self.feminine:
            return "à " + self.the_one
        return "au " + self.one

    @property
    def to_the_many(self) -> str:
        return "aux " + self.many

    @property
    def all_many(self) -> str:
        return ("toutes les " if self.feminine else "tous les ") + self.many

    @property
    def every(self) -> str:
        """A filter's empty choice: « Tous » the establishments, « Toutes » the directorates."""
        return "Toutes" if self.feminine else "Tous"

    @property
    def they(self) -> str:
        return "elle" if self.feminine else "il"

    @property
    def each(self) -> str:
        return "chacune" if self.feminine else "chacun"

    @property
    def each_of_them(self) -> str:
        return "chacune d'elles" if self.feminine else "chacun d'eux"


ESTABLISHMENTS = Words("établissement", "établissements")
COMMUNES_AND_SERVICES = Words("membre", "membres", your_one="votre commune ou service")
DIRECTORATES = Words("direction", "directions", feminine=True)
MEMBERS = Words("membre", "membres", your_one="votre structure")

WORDS: dict[str, Words] = {
    TerritoryKind.GHT: ESTABLISHMENTS,
    # An intercommunality groups communes and its own services: « membre » covers both.
    TerritoryKind.AGGLOMERATION: COMMUNES_AND_SERVICES,
    TerritoryKind.URBAN_COMMUNITY: COMMUNES_AND_SERVICES,
    TerritoryKind.METROPOLIS: COMMUNES_AND_SERVICES,
    TerritoryKind.COMMUNITY_OF_COMMUNES: COMMUNES_AND_SERVICES,
    TerritoryKind.REGION: DIRECTORATES,
    TerritoryKind.DEPARTMENT: DIRECTORATES,
    TerritoryKind.OTHER: MEMBERS,
}

# Before the territory is configured the pages keep the words they were written with (the GHT's).
DEFAULT = ESTABLISHMENTS


def words_for(territory: Territory | None) -> Words:
    if territory is None:
        return DEFAULT
    return WORDS.get(territory.kind, MEMBERS)


# One lookup of the territory per request, shared by the templates and the Python strings. The
# holder is a dict set when a request starts, so that a view run in a copied context (ASGI) fills
# the same one; outside a request (shell, jobs, tests calling a function) nothing is cached.
_request_cache: ContextVar[dict | None] = ContextVar("mutualis_territory", default=None)


def open_request_cache(**kwargs) -> None:
    _request_cache.set({})


def close_request_cache(**kwargs) -> None:
    _request_cache.set(None)


def forget_territory(**kwargs) -> None:
    """A territory saved during a request: the next read sees it."""
    cache = _request_cache.get()
    if cache is not None:
        cache.clear()


def current_territory() -> Territory | None:
    cache = _request_cache.get()
    if cache is None:
        return Territory.current()
    if "territory" not in cache:
        cache["territory"] = Territory.current()
    return cache["territory"]


def current_words() -> Words:
    return words_for(current_territory())


def _form(name: str) -> str:
    return getattr(current_words(), name)


# A form of the word read when it is shown, for labels declared on a class (a table's column, a
# filter): word("one_cap") is « Établissement » in a GHT, « Membre » in an agglomeration.
word = lazy(_form, str)
