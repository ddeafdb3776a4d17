"""The demo's risk flags: one examined by the buyer, with the comment a buyer would write, so that the
flags' page shows both states."""

from django.utils import timezone

from mutualis.organisations.models import User
from mutualis.steering.flags import flags_for
from mutualis.steering.models import FlagAcknowledgement
from mutualis.steering.scope import Scope
from mutualis.steering.services.flags import flag_acknowledge

from .authorship import acting_as

COMMENTS = {
    "single_offer": (
        "Marché très spécialisé : le sourcing n'avait identifié que ce fournisseur en mesure de répondre. "
        "La consultation de renouvellement sera précédée d'un sourcing élargi."
    ),
    "decp_late": "Publication oubliée lors du changement de profil d'acheteur ; données publiées depuis.",
}
PREFERRED = ["single_offer", "decp_late"]
OTHERWISE = "Examiné en comité achats : situation connue et justifiée, pièces au dossier."


def acknowledge_demo_flags(today=None) -> FlagAcknowledgement | None:
    """The buyer examines one flag of the year (a single offer if there is one); left alone on a rerun."""
    if FlagAcknowledgement.objects.exists():
        return None
    today = today or timezone.localdate()
    buyer = User.objects.filter(username="acheteur").first()
    if buyer is None:
        return None
    flags = flags_for(Scope(today.year), buyer, today)
    if not flags:
        return None
    flag = min(flags, key=lambda f: PREFERRED.index(f.kind) if f.kind in PREFERRED else len(PREFERRED))
    with acting_as(buyer):
        return flag_acknowledge(flag.kind, flag.key, COMMENTS.get(flag.kind, OTHERWISE), buyer, today=today)
