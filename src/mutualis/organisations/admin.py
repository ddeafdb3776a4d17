from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Entity, Membership, OidcIdentity, Territory, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["entity"]


class OidcIdentityInline(admin.TabularInline):
    """The person's sign-on identities, as the provider gave them (read only: linked at sign-on)."""

    model = OidcIdentity
    extra = 0
    fields = ["issuer", "subject", "email", "siret", "organizational_unit", "last_login_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    inlines = [MembershipInline, OidcIdentityInline]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Mutualis", {"fields": ("job_title", "phone")}))


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "siret", "kind", "purchasing_mode", "city", "is_active"]
    list_filter = ["kind", "purchasing_mode", "is_active"]
    search_fields = ["name", "short_name", "siret", "finess"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "entity", "role"]
    list_filter = ["role", "entity"]
    autocomplete_fields = ["user", "entity"]
