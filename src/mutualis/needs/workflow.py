"""The need lines' workflow, declared on the one mechanism (core.workflow): which move, by which roles."""

from django.utils.text import format_lazy

from mutualis.core.workflow import Move, Transition, Workflow
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role
from mutualis.organisations.vocabulary import word

from .models import NeedLine, NeedStatus, NeedTransition

ENTITY_SIDE = frozenset({Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.ADMIN, Role.BUYER})
TEAM_SIDE = frozenset({Role.BUYER, Role.ADMIN})
# Who may write a draft: the entity side, and the internal client (prescriber) of the entity, whose
# lines go to the entity's referent before they reach the purchasing team.
AUTHORS = ENTITY_SIDE | {Role.PRESCRIBER}
EDITABLE = frozenset({NeedStatus.DRAFT, NeedStatus.RETURNED})


def roles_on(actor, line: NeedLine) -> frozenset[Role]:
    """Team roles count everywhere; entity roles only on their own entity's lines."""
    access = access_for(actor)
    if access.is_superuser:
        return frozenset(Role)
    return frozenset(
        role
        for entity_id, entity_roles in access.roles_by_entity.items()
        for role in entity_roles
        if role in TEAM_SIDE or entity_id == line.entity_id
    )


def _log(line: NeedLine, move: Move) -> NeedTransition:
    return NeedTransition.objects.create(
        line=line, from_status=move.before.status, to_status=line.status, by=move.actor, comment=move.comment
    )


NEED_LINE = Workflow(
    field="status",
    lock=lambda line: NeedLine.objects.select_for_update().get(pk=line.pk),
    roles_of=roles_on,
    log=_log,
    transitions=(
        Transition(
            "propose",
            format_lazy("Proposer au référent {}", word("of_the_one")),  # lazy: the territory's word
            sources={NeedStatus.DRAFT, NeedStatus.RETURNED},
            target=NeedStatus.PROPOSED,
            roles=frozenset({Role.PRESCRIBER}),
        ),
        Transition(
            "submit",
            "Transmettre à la cellule achats",
            sources={NeedStatus.DRAFT, NeedStatus.RETURNED, NeedStatus.PROPOSED},
            target=NeedStatus.SUBMITTED,
            roles=ENTITY_SIDE,
        ),
        Transition(
            "validate",
            "Valider",
            sources={NeedStatus.SUBMITTED},
            target=NeedStatus.VALIDATED,
            roles=TEAM_SIDE,
        ),
        Transition(
            "return",
            "Renvoyer pour correction",
            sources={NeedStatus.SUBMITTED, NeedStatus.VALIDATED},
            target=NeedStatus.RETURNED,
            roles=TEAM_SIDE,
            comment_required=True,
            comment_hint=format_lazy("Dites {} ce qu'{} doit corriger.", word("to_the_one"), word("they")),
        ),
        Transition(
            "return_to_prescriber",
            "Renvoyer au prescripteur pour correction",
            sources={NeedStatus.PROPOSED},
            target=NeedStatus.RETURNED,
            roles=ENTITY_SIDE,
            comment_required=True,
            comment_hint="Dites au prescripteur ce qu'il doit corriger.",
        ),
    ),
)
