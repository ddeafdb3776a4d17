"""A record's open improvement actions and the link to report one (project and contract pages)."""

from django import template

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm
from mutualis.steering.models import ImprovementAction

register = template.Library()


@register.inclusion_tag("www/steering/includes/record_improvements.html", takes_context=True)
def improvements_of(context, record, param: str):
    """`param` names the record for the list and the create page: "project" or "contract". One query,
    for those who read the steering pages only."""
    user = context["request"].user
    access = access_for(user)
    shown = access.has(Perm.VIEW_STEERING)
    actions = []
    if shown:
        actions = list(
            ImprovementAction.objects.for_user(user)
            .open()
            .filter(**{param: record})
            .select_related("owner")
            .order_by("due_on", "pk")
        )
    return {
        "shown": shown,
        "actions": actions,
        "record": record,
        "param": param,
        "can_report": access.has(Perm.MANAGE_IMPROVEMENTS),
    }
