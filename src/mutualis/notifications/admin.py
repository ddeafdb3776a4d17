from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "emailed_at", "read_at"]
    search_fields = ["subject", "key", "recipient__username"]
    list_filter = ["read_at"]
