"""One workflow mechanism for every record that moves through steps (ARCHITECTURE rule 3).

A model's workflow is declared once, next to its app's services::

    NEED_LINE = Workflow(
        field="status",                                  # the state the transitions start from
        lock=lambda line: NeedLine.objects.select_for_update().get(pk=line.pk),
        roles_of=roles_on,                               # (user, record) -> the user's roles that count
        log=lambda line, move: NeedTransition.objects.create(line=line, ...),
        transitions=(
            Transition("submit", "Transmettre", sources={"draft"}, target="submitted", roles={Role.BUYER}),
            ...
        ),
    )

A transition may also compute its roles from the record (`roles=callable(record)`: the role the
process map gives the current stage), refuse while its context does not allow it (`guards`: no button),
list what is still missing (`preconditions`: the button shows, with `problems()`), require a comment,
do its own work (`perform(record, move)`: dates, the contract of an awarded lot) and tell people
(`after(record, move)`, inside the transaction; e-mails leave on commit).

`available(record, user)` gives the buttons; `apply(record, name, user)` is what every service calls:
it re-reads the record under lock and checks again everything `available` checked, so the two cannot
disagree (tests/workflows/test_every_transition.py walks them all).
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

Check = Callable[[Any], list[str]]  # record -> French messages, empty when all is well


@dataclass(frozen=True)
class Transition:
    """One declared move: from which states, to which, by whom, on what conditions."""

    name: str
    label: str
    sources: frozenset[str]
    roles: frozenset | Callable[[Any], frozenset]
    target: str | None = None  # None: `perform` makes the whole change
    guards: tuple[Check, ...] = ()
    preconditions: tuple[Check, ...] = ()
    comment_required: bool = False
    comment_hint: str = "Un commentaire est obligatoire pour cette action."
    perform: Callable[[Any, "Move"], Any] | None = None
    after: Callable[[Any, "Move"], None] | None = None

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))

    def allowed_roles(self, record) -> frozenset:
        return frozenset(self.roles(record) if callable(self.roles) else self.roles)


@dataclass
class Move:
    """One application of a transition, handed to `perform`, `after` and the log."""

    transition: Transition
    actor: Any
    comment: str
    record: Any  # the locked row, changed by the move
    before: Any  # a copy of the record as it was, taken under the lock
    options: dict = field(default_factory=dict)  # apply's keyword arguments (dates, the chosen offer…)
    result: Any = None  # what `perform` returned
    log_row: Any = None


def _messages(checks: Iterable[Check], record) -> list[str]:
    return [message for check in checks for message in check(record)]


@dataclass(frozen=True)
class Workflow:
    """The transitions of one model, how to lock its rows, whose roles count and how each move is logged."""

    field: str
    transitions: tuple[Transition, ...]
    lock: Callable[[Any], Any]
    roles_of: Callable[[Any, Any], frozenset]
    log: Callable[[Any, Move], Any]
    refusal: Callable[[Any, Transition], str] | None = None  # when the record is in no source state

    def transition(self, name: str) -> Transition:
        found = next((t for t in self.transitions if t.name == name), None)
        if found is None:
            raise ValidationError(f"Action inconnue : {name}.")
        return found

    def state(self, record) -> str:
        return getattr(record, self.field)

    def may(self, record, transition: Transition, user) -> bool:
        return bool(self.roles_of(user, record) & transition.allowed_roles(record))

    def available(self, record, user) -> list[Transition]:
        """The transitions this person may take on the record now (the buttons), in declared order."""
        return [
            t
            for t in self.transitions
            if self.state(record) in t.sources
            and self.may(record, t, user)
            and not any(guard(record) for guard in t.guards)
        ]

    def problems(self, record, transition: Transition | str) -> list[str]:
        """What is still missing before the transition can be applied (shown next to its button)."""
        transition = transition if isinstance(transition, Transition) else self.transition(transition)
        return _messages(transition.preconditions, record)

    @transaction.atomic
    def apply(self, record, transition: Transition | str, user, *, comment: str = "", **options) -> Move:
        """Check everything again on the locked row, make the move, save, log it; or refuse, in French."""
        transition = transition if isinstance(transition, Transition) else self.transition(transition)
        locked = self.lock(record)
        if self.state(locked) not in transition.sources:
            raise ValidationError(self._refusal(locked, transition))
        if not self.may(locked, transition, user):
            raise PermissionDenied
        if transition.comment_required and not comment.strip():
            raise ValidationError({"comment": transition.comment_hint})
        problems = _messages(transition.guards, locked) or self.problems(locked, transition)
        if problems:
            raise ValidationError(problems)
        move = Move(transition, user, comment, locked, before=copy.copy(locked), options=options)
        if transition.target is not None:
            setattr(locked, self.field, transition.target)
        if transition.perform:
            move.result = transition.perform(locked, move)
        locked.save()
        move.log_row = self.log(locked, move)
        if transition.after:
            transition.after(locked, move)
        return move

    def _refusal(self, record, transition: Transition) -> str:
        if self.refusal:
            return self.refusal(record, transition)
        state = getattr(record, f"get_{self.field}_display")()
        return f"« {transition.label} » est impossible : {record} est à l'état « {state} »."


def transition_log(model, record_field: str, *, name_field: str = "name") -> Callable[[Any, Move], Any]:
    """A workflow's `log` for a core.models.TransitionLog: one row per move, with the states before and
    after it (the record's `status`), who made it and the comment."""

    def log(record, move: Move):
        return model.objects.create(
            **{record_field: record, name_field: move.transition.name},
            from_status=move.before.status,
            to_status=record.status,
            by=move.actor,
            comment=move.comment,
        )

    return log
