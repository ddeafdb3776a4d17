"""E-mail alerts without an account: the request form, the confirmation link (double opt-in) and the
unsubscribe link, which also takes the one-click POST of mail clients (RFC 8058, hence no CSRF token:
the link's random token is the proof)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.clients import client_ip
from mutualis.organisations.models import Entity
from mutualis.portal import alerts

from .views import PortalPage

PRIVACY = (
    "Votre adresse ne sert qu'à vous envoyer ces alertes : elle n'est ni affichée, ni transmise, ni "
    "utilisée à d'autres fins. Sans confirmation sous 7 jours, elle est effacée ; chaque alerte contient "
    "un lien de désabonnement qui l'efface aussitôt."
)


class AlertForm(forms.Form):
    email = forms.EmailField(label="Votre adresse e-mail", max_length=254, help_text=PRIVACY)
    famille = forms.ModelChoiceField(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.active().order_by("label"),
        required=False,
        empty_label="—",
    )
    entite = forms.ModelChoiceField(
        label="ou entité (membre du territoire)",
        queryset=Entity.objects.active().order_by("name"),
        required=False,
        empty_label="—",
    )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("famille")) == bool(data.get("entite")):
            self.add_error(
                "famille", "Choisissez une famille d'achat ou une entité : l'une des deux, pas les deux."
            )
        return data


class AlertSubscribeView(PortalPage):
    template_name = "www/portal/alerts.html"
    section = "planned"
    page_title = "Alertes par e-mail"

    def get_context_data(self, **kwargs):
        return super().get_context_data(privacy=PRIVACY, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=AlertForm()))

    def post(self, request, *args, **kwargs):
        form = AlertForm(request.POST)
        if form.is_valid():
            try:
                alerts.alert_subscribe(
                    email=form.cleaned_data["email"],
                    family=form.cleaned_data["famille"],
                    entity=form.cleaned_data["entite"],
                    address=client_ip(request),
                )
            except ValidationError as error:
                form.add_error("email", error)
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(self.get_context_data(requested=form.cleaned_data["email"]))


class AlertLinkPage(PortalPage):
    """A page reached from an e-mail's link: GET shows a button, POST acts. An unknown or expired link
    answers 404 with the same words whatever the address."""

    template_name = "www/portal/alert_link.html"
    section = "planned"
    kind = ""

    def subscription(self):
        raise NotImplementedError

    def invalid(self):
        self.page_title = "Lien non valable"
        return self.render_to_response(self.get_context_data(kind="invalid"), status=404)

    def get(self, request, *args, **kwargs):
        if self.subscription() is None:
            return self.invalid()
        return self.render_to_response(self.get_context_data(kind=self.kind, done=False))


class AlertConfirmView(AlertLinkPage):
    page_title = "Confirmer votre abonnement"
    kind = "confirm"

    def subscription(self):
        return alerts.pending_by_link(self.kwargs["token"])

    def post(self, request, *args, **kwargs):
        subscription = self.subscription()
        if subscription is None:
            return self.invalid()
        alerts.alert_confirm(subscription)
        return self.render_to_response(self.get_context_data(kind=self.kind, done=True))


@method_decorator(csrf_exempt, name="dispatch")
class AlertUnsubscribeView(AlertLinkPage):
    page_title = "Se désabonner des alertes"
    kind = "unsubscribe"

    def subscription(self):
        return alerts.by_unsubscribe_token(self.kwargs["token"])

    def post(self, request, *args, **kwargs):
        alerts.alert_unsubscribe(self.kwargs["token"])
        return self.render_to_response(self.get_context_data(kind=self.kind, done=True))
