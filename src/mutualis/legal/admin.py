from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LegalRule


@admin.register(LegalRule)
class LegalRuleAdmin(SimpleHistoryAdmin):
    list_display = ["rule", "scope", "nature", "buyer_kind", "valid_from", "value", "reference"]
    list_filter = ["rule", "nature", "buyer_kind"]
