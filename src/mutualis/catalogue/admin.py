from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CpvCode, PurchaseFamily


@admin.register(CpvCode)
class CpvCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "check_digit", "label", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "label"]
    raw_id_fields = ["parent"]


@admin.register(PurchaseFamily)
class PurchaseFamilyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "nature", "responsible_buyer", "is_active"]
    list_filter = ["nature", "is_active"]
    search_fields = ["code", "label"]
    autocomplete_fields = ["cpv_codes", "responsible_buyer"]
