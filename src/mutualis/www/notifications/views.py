"""The user's own notifications, and which of them reach them by e-mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import FormView
from django_tables2 import SingleTableView

from mutualis.notifications.models import Kind, Notification
from mutualis.notifications.services import email_kinds, email_preferences_save, mark_read

from .tables import NotificationTable


class NotificationListView(LoginRequiredMixin, SingleTableView):
    """Paginated by the lists' own pager (www/includes/table.html)."""

    template_name = "www/notifications/list.html"
    table_class = NotificationTable
    paginate_by = 30
    extra_context = {"page_title": "Mes notifications"}

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.caption = "Mes notifications, de la plus récente à la plus ancienne"
        return table


class NotificationReadView(LoginRequiredMixin, View):
    def post(self, request):
        ids = request.POST.getlist("ids") or Notification.objects.for_user(request.user).unread().values_list(
            "pk", flat=True
        )
        mark_read(user=request.user, notification_ids=list(ids))
        return redirect("notifications:list")


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Recevoir aussi par courriel",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les notifications non cochées restent visibles dans l'application, sans courriel.",
    )


class EmailPreferencesView(LoginRequiredMixin, FormView):
    template_name = "www/form.html"
    form_class = EmailPreferencesForm
    success_url = reverse_lazy("notifications:list")
    extra_context = {"title": "Notifications reçues par courriel", "cancel_url": reverse_lazy("account")}

    def get_initial(self):
        return {"kinds": sorted(email_kinds(self.request.user))}

    def form_valid(self, form):
        email_preferences_save(user=self.request.user, kinds=form.cleaned_data["kinds"])
        messages.success(self.request, "Vos préférences de courriel sont enregistrées.")
        return super().form_valid(form)
