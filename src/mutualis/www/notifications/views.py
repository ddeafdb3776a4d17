"""The user's own notifications."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from mutualis.notifications.models import Notification
from mutualis.notifications.services import mark_read


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "www/notifications/list.html"
    paginate_by = 30
    extra_context = {"page_title": "Mes notifications"}

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)


class NotificationReadView(LoginRequiredMixin, View):
    def post(self, request):
        ids = request.POST.getlist("ids") or Notification.objects.for_user(request.user).unread().values_list(
            "pk", flat=True
        )
        mark_read(user=request.user, notification_ids=list(ids))
        return redirect("notifications:list")
