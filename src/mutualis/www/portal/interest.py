"""« Manifester son intérêt » for a planned purchase: the portal's only form, on a page of its own so that
the project's page carries no CSRF token and stays cacheable (this page is never cached)."""

from django import forms
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from mutualis.core.clients import client_ip
from mutualis.core.validators import compact_digits
from mutualis.portal import public
from mutualis.portal.interests import interest_submit, open_project, rate_limited
from mutualis.procurements.models import Interest
from mutualis.procurements.models.interest import MESSAGE_MAX

from .views import PortalPage

HONEYPOT = "site_web"


class InterestForm(forms.ModelForm):
    # Hidden from people (and from assistive technologies); a robot filling every field fills it.
    site_web = forms.CharField(required=False, label="Ne pas remplir ce champ")
    # Wider than the column: people type the SIRET with spaces; clean_siret keeps the digits.
    siret = forms.CharField(label="SIRET", max_length=30)

    class Meta:
        model = Interest
        fields = ("siret", "company_name", "contact_name", "email", "phone", "message")
        help_texts = {
            "siret": "14 chiffres, celui de l'établissement qui répondrait.",
            "message": f"Votre activité, vos références, en {MESSAGE_MAX} caractères au plus.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX})}

    def clean_siret(self) -> str:
        return compact_digits(self.cleaned_data["siret"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "company_name": "organization",
            "contact_name": "name",
            "email": "email",
            "phone": "tel",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})


@method_decorator(never_cache, name="dispatch")
class InterestView(PortalPage):
    template_name = "www/portal/interest_form.html"
    page_title = "Manifester votre intérêt"
    section = "planned"
    cacheable = False

    def dispatch(self, request, *args, **kwargs):
        self.project = open_project(kwargs["pk"])
        [self.record] = public.project_records([self.project.pk])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", InterestForm())
        return super().get_context_data(project=self.record, honeypot=HONEYPOT, **kwargs)

    def post(self, request, pk):
        if rate_limited(client_ip(request)):
            return self.refused(
                429, "Trop d'envois depuis votre adresse : réessayez dans une heure ou écrivez au contact."
            )
        form = InterestForm(request.POST)
        if request.POST.get(HONEYPOT):
            return self.refused(400, "Envoi refusé.")
        if not form.is_valid():
            self.page_title = f"Erreur — {self.page_title}"
            return self.render_to_response(self.get_context_data(form=form))
        interest_submit(project=self.project, interest=form.save(commit=False))
        return HttpResponseRedirect(reverse("portal:interest_thanks", args=[pk]))

    def refused(self, status: int, message: str) -> HttpResponse:
        context = self.get_context_data(refusal=message)
        return TemplateResponse(self.request, self.template_name, context, status=status)


class InterestThanksView(PortalPage):
    template_name = "www/portal/interest_thanks.html"
    page_title = "Merci de votre intérêt"
    section = "planned"

    def get_context_data(self, **kwargs):
        [project] = public.project_records([open_project(self.kwargs["pk"]).pk])
        return super().get_context_data(project=project, **kwargs)
