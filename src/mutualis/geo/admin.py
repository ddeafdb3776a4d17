from django.contrib import admin

from .models import Commune


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department"]
    search_fields = ["code", "name"]
    list_filter = ["department"]
