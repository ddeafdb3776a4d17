"""Pages of the territory, its member entities and their people's roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views import View

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.history import history_of
from mutualis.organisations import services
from mutualis.organisations.filters import EntityFilterSet, PurchasingGroupFilterSet, UserFilterSet
from mutualis.organisations.login_guard import account_is_locked, login_unlock
from mutualis.organisations.models import (
    Entity,
    GroupMembership,
    Membership,
    PurchasingGroup,
    Territory,
    User,
)
from mutualis.organisations.resources import (
    EntityResource,
    GroupMembershipResource,
    PurchasingGroupResource,
    UserResource,
)
from mutualis.organisations.roles import Perm
from mutualis.organisations.vocabulary import current_words

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView, add_service_errors
from ..exports import FORMATS, dataset_response, export_response
from ..imports import ImportView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import (
    AdhesionDecisionForm,
    AdhesionLeaveForm,
    AdhesionSignForm,
    EntityForm,
    MembershipForm,
    PurchasingGroupForm,
    TerritoryForm,
    UserCreateForm,
    UserForm,
)
from .group_execution import execution_dataset, group_execution
from .tables import EntityTable, PurchasingGroupTable, UserTable


class EntityListView(FilteredListView):
    model = Entity
    required_perm = Perm.VIEW_ENTITIES
    table_class = EntityTable
    filterset_class = EntityFilterSet
    resource_class = EntityResource
    export_name = "entites_membres"
    title = "Entités membres"
    create_perm = Perm.MANAGE_ENTITIES
    create_url_name = "organisations:entity_create"
    import_url_name = "organisations:entity_import"


class EntityDetailView(RecordDetailView):
    required_perm = Perm.VIEW_ENTITIES
    edit_perm = Perm.MANAGE_ENTITIES
    template_name = "www/organisations/entity_detail.html"

    def get_queryset(self):
        return Entity.objects.for_user(self.request.user)

    def get_context_data(self, **kwargs):
        can_manage_roles = self.access.has(Perm.MANAGE_MEMBERSHIPS)
        kwargs.setdefault("membership_form", MembershipForm() if can_manage_roles else None)
        return super().get_context_data(
            memberships=self.object.memberships.select_related("user").order_by("role", "user__last_name"),
            can_manage_roles=can_manage_roles,
            buyer=self.object.buyer,
            **kwargs,
        )


class EntityCreateView(RecordCreateView):
    model = Entity
    form_class = EntityForm
    required_perm = Perm.MANAGE_ENTITIES
    service = services.entity_save
    title = "Nouvelle entité membre"
    success_message = "Entité créée."
    list_url_name = "organisations:entity_list"


class EntityUpdateView(RecordUpdateView):
    model = Entity
    form_class = EntityForm
    required_perm = Perm.MANAGE_ENTITIES
    service = services.entity_save
    title = "Modifier l'entité"
    success_message = "Entité enregistrée."


class EntityImportView(ImportView):
    required_perm = Perm.MANAGE_ENTITIES
    resource_class = EntityResource
    title = "Importer des entités membres"
    list_url_name = "organisations:entity_list"
    natural_key = "SIRET"
    file_stem = "entites_membres"


class MembershipGrantView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_MEMBERSHIPS

    def post(self, request, pk):
        entity = get_object_or_404(Entity, pk=pk)
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                services.membership_grant(
                    actor=request.user,
                    user=form.cleaned_data["user"],
                    entity=entity,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            view = EntityDetailView(request=request, kwargs={"pk": pk}, access=self.access)
            view.object = entity
            context = view.get_context_data(object=entity, membership_form=form)
            return view.render_to_response(context, status=400)
        messages.success(request, "Rôle attribué.")
        return redirect(entity)


class MembershipRevokeView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_MEMBERSHIPS

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.select_related("entity", "user"), pk=pk)
        try:
            services.membership_revoke(actor=request.user, membership=membership)
            messages.success(request, f"Rôle retiré à {membership.user}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(membership.entity)


class TerritoryUpdateView(RecordUpdateView):
    model = Territory
    form_class = TerritoryForm
    required_perm = Perm.CONFIGURE_TERRITORY
    service = services.territory_save
    title = "Paramètres du territoire"
    success_message = "Paramètres du territoire enregistrés."
    success_url = reverse_lazy("organisations:territory_update")

    def get_object(self, queryset=None):
        return Territory.current() or Territory(name="", short_name="", kind="")

    def get_title(self):
        return self.title

    def get_cancel_url(self):
        return reverse("www:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.pk:
            context["history"] = history_of(self.object)
        return context


class UserListView(FilteredListView):
    model = User
    required_perm = Perm.MANAGE_MEMBERSHIPS
    table_class = UserTable
    filterset_class = UserFilterSet
    resource_class = UserResource
    export_name = "personnes"
    title = "Personnes et rôles"
    create_perm = Perm.MANAGE_MEMBERSHIPS
    create_url_name = "organisations:user_create"

    def optimise(self, queryset):
        return queryset.prefetch_related("memberships__entity")


class UserDetailView(RecordDetailView):
    required_perm = Perm.MANAGE_MEMBERSHIPS
    edit_perm = Perm.MANAGE_MEMBERSHIPS
    model = User
    template_name = "www/organisations/user_detail.html"

    def get_context_data(self, **kwargs):
        memberships = self.object.memberships.select_related("entity").order_by("entity__name", "role")
        locked = account_is_locked(self.object.username)
        # Sign-on identities: the entity whose SIRET the provider gave is proposed, never a role by itself.
        identities = [(identity, identity.claimed_entity) for identity in self.object.oidc_identities.all()]
        return super().get_context_data(
            memberships=memberships, login_locked=locked, identities=identities, **kwargs
        )


class UserUnlockView(RequirePermMixin, View):
    """An administrator lifts the lock that failed logins put on an account."""

    required_perm = Perm.MANAGE_MEMBERSHIPS

    def post(self, request, pk):
        person = get_object_or_404(User.objects.for_user(request.user), pk=pk)
        login_unlock(actor=request.user, username=person.username)
        messages.success(request, f"La connexion de {person} est débloquée.")
        return redirect(person.get_absolute_url())


class UserCreateView(RecordCreateView):
    model = User
    form_class = UserCreateForm
    required_perm = Perm.MANAGE_MEMBERSHIPS
    title = "Nouvelle personne"
    list_url_name = "organisations:user_list"

    service = services.user_invite

    def service_arguments(self, form) -> dict:
        data = form.cleaned_data
        return {"user": form.save(commit=False), "entity": data["entity"], "role": data["role"],
                "request": self.request}  # fmt: skip

    def get_success_message(self) -> str:
        return f"Compte créé ; un lien pour choisir le mot de passe a été envoyé à {self.object.email}."


class UserUpdateView(RecordUpdateView):
    model = User
    form_class = UserForm
    required_perm = Perm.MANAGE_MEMBERSHIPS
    service = services.user_save
    title = "Modifier la personne"
    success_message = "Personne enregistrée."


class PurchasingGroupListView(FilteredListView):
    model = PurchasingGroup
    required_perm = Perm.VIEW_GROUPS
    table_class = PurchasingGroupTable
    filterset_class = PurchasingGroupFilterSet
    resource_class = PurchasingGroupResource
    export_name = "groupements_commandes"
    title = "Groupements de commandes"
    create_perm = Perm.MANAGE_GROUPS
    create_url_name = "organisations:group_create"

    def optimise(self, queryset):
        return (
            queryset.select_related("coordinator")
            .prefetch_related("members")
            .annotate(member_count=Count("members", distinct=True))
            .with_signed_count()
            .order_by("name")  # Meta.ordering is dropped by GROUP BY queries
        )


class PurchasingGroupDetailView(RecordDetailView):
    """The group, its convention and its members' adhesions; `?export=csv|xlsx` exports the adhesions."""

    required_perm = Perm.VIEW_GROUPS
    edit_perm = Perm.MANAGE_GROUPS
    template_name = "www/organisations/group_detail.html"

    def get_queryset(self):
        return PurchasingGroup.objects.for_user(self.request.user).select_related("coordinator")

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("export")
        if file_format in FORMATS and request.GET.get("table") == "execution":
            group = self.get_object()
            return dataset_response(
                execution_dataset(group_execution(group, request.user), current_words()),
                file_stem=f"execution_groupement_{group.pk}",
                file_format=file_format,
            )
        if file_format in FORMATS:
            group = self.get_object()
            return export_response(
                GroupMembershipResource(),
                _adhesions(group),
                file_stem=f"adhesions_groupement_{group.pk}",
                file_format=file_format,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from mutualis.contracts.models import Contract

        can_manage = self.access.has(Perm.MANAGE_GROUPS)
        if can_manage:
            kwargs.setdefault("decision_form", AdhesionDecisionForm(group=self.object))
        adhesions = list(_adhesions(self.object))
        failed_form, failed = kwargs.pop("failed_form", None), kwargs.pop("failed_adhesion", None)
        for adhesion in adhesions:
            # The row forms' names carry the adhesion (prefix), so that an error comes back on its row.
            adhesion.form_id = str(adhesion.pk)
            errors = failed_form.errors if failed_form is not None and failed == adhesion.pk else {}
            adhesion.sign_errors = errors.get("signed_on", [])
            adhesion.leave_errors = errors.get("left_on", [])
        return super().get_context_data(
            adhesions=adhesions,
            can_manage=can_manage,
            export_formats=FORMATS,
            families=self.object.scope_families.order_by("code"),
            execution=group_execution(self.object, self.request.user),
            contracts=Contract.objects.for_user(self.request.user)
            .filter(purchasing_group=self.object)
            .order_by("-notification_date"),
            **kwargs,
        )


def _adhesions(group):
    return group.adhesions.select_related("entity").order_by("entity__name")


class AdhesionActionView(RequirePermMixin, View):
    """One write on a group's adhesions from its page; on an error the page comes back with the form."""

    required_perm = Perm.MANAGE_GROUPS

    def render_group(self, group, status=400, **forms):
        view = PurchasingGroupDetailView(request=self.request, kwargs={"pk": group.pk}, access=self.access)
        view.object = group
        context = view.get_context_data(object=group, **forms)
        return view.render_to_response(context, status=status)


class AdhesionDecideView(AdhesionActionView):
    def post(self, request, pk):
        group = get_object_or_404(PurchasingGroup.objects.for_user(request.user), pk=pk)
        form = AdhesionDecisionForm(request.POST, group=group)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.adhesion_record_decision(actor=request.user, group=group, **data)
            except ValidationError as error:
                add_service_errors(form, error)
        if form.errors:
            return self.render_group(group, decision_form=form)
        messages.success(request, f"Décision de {form.cleaned_data['entity']} enregistrée.")
        return redirect(group)


class AdhesionRowView(AdhesionActionView):
    form_class = None
    service = None
    form_key = ""
    done = ""

    def post(self, request, pk):
        groups = PurchasingGroup.objects.for_user(request.user)
        adhesion = get_object_or_404(
            GroupMembership.objects.select_related("group", "entity").filter(group__in=groups), pk=pk
        )
        form = self.form_class(request.POST, prefix=f"{self.form_key}-{adhesion.pk}")
        if form.is_valid():
            try:
                type(self).service(actor=request.user, adhesion=adhesion, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
        if form.errors:
            return self.render_group(adhesion.group, failed_form=form, failed_adhesion=adhesion.pk)
        messages.success(request, self.done.format(entity=adhesion.entity))
        return redirect(adhesion.group)


class AdhesionSignView(AdhesionRowView):
    form_class = AdhesionSignForm
    service = services.adhesion_sign
    form_key = "signature"
    done = "Signature de {entity} enregistrée."


class AdhesionLeaveView(AdhesionRowView):
    form_class = AdhesionLeaveForm
    service = services.adhesion_leave
    form_key = "sortie"
    done = "Sortie de {entity} enregistrée."


class PurchasingGroupEditMixin:
    def service_arguments(self, form) -> dict:
        data = form.cleaned_data
        return {"group": form.save(commit=False), "members": data["members"],
                "scope_families": data["scope_families"]}  # fmt: skip


class PurchasingGroupCreateView(PurchasingGroupEditMixin, RecordCreateView):
    template_name = "www/organisations/group_form.html"
    model = PurchasingGroup
    form_class = PurchasingGroupForm
    required_perm = Perm.MANAGE_GROUPS
    service = services.group_save
    title = "Nouveau groupement de commandes"
    success_message = "Groupement créé."
    list_url_name = "organisations:group_list"

    def get_initial(self) -> dict:
        """Initial values from the link of a pooling opportunity (needs.opportunities.group_create_query):
        `name`, `coordinator`, `members` and `scope_families`, read on a GET only. Ids that are not active
        entities or families are left out; nothing here is saved: the user checks the form and submits it."""
        initial = super().get_initial()
        if self.request.method != "GET":
            return initial
        query = self.request.GET
        name = query.get("name", "").strip()[: PurchasingGroup._meta.get_field("name").max_length]
        if name:
            initial["name"] = name
        entities = set(
            Entity.objects.active()
            .filter(pk__in=_ids(query.getlist("members") + query.getlist("coordinator")))
            .values_list("pk", flat=True)
        )
        coordinator = next(iter(_ids(query.getlist("coordinator")[:1])), None)
        if coordinator in entities:
            initial["coordinator"] = coordinator
        members = [pk for pk in _ids(query.getlist("members")) if pk in entities]
        if members:
            initial["members"] = members
        families = PurchaseFamily.objects.active().filter(pk__in=_ids(query.getlist("scope_families")))
        family_ids = list(families.values_list("pk", flat=True))
        if family_ids:
            initial["scope_families"] = family_ids
        return initial


def _ids(values) -> list[int]:
    """The values that are ids (positive integers), in their order, once each; others are dropped."""
    ids = []
    for value in values:
        if value.isascii() and value.isdigit() and len(value) <= 18 and int(value) not in ids:
            ids.append(int(value))
    return ids


class PurchasingGroupUpdateView(PurchasingGroupEditMixin, RecordUpdateView):
    template_name = "www/organisations/group_form.html"
    model = PurchasingGroup
    form_class = PurchasingGroupForm
    required_perm = Perm.MANAGE_GROUPS
    title = "Modifier le groupement"
    success_message = "Groupement enregistré."
    service = services.group_save
