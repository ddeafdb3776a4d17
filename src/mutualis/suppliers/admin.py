from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Supplier


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "identifier_kind", "identifier", "size_category", "city"]
    list_filter = ["identifier_kind", "size_category", "is_siae", "is_ea_esat", "is_ess"]
    search_fields = ["name", "identifier", "siren"]
