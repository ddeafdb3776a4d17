from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("entites/", views.EntityListView.as_view(), name="entity_list"),
    path("entites/nouvelle/", views.EntityCreateView.as_view(), name="entity_create"),
    path("entites/import/", views.EntityImportView.as_view(), name="entity_import"),
    path("entites/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
    path("entites/<int:pk>/modifier/", views.EntityUpdateView.as_view(), name="entity_update"),
    path("entites/<int:pk>/roles/", views.MembershipGrantView.as_view(), name="membership_grant"),
    path("roles/<int:pk>/retirer/", views.MembershipRevokeView.as_view(), name="membership_revoke"),
    path("territoire/", views.TerritoryUpdateView.as_view(), name="territory_update"),
    path("groupements/", views.PurchasingGroupListView.as_view(), name="group_list"),
    path("groupements/nouveau/", views.PurchasingGroupCreateView.as_view(), name="group_create"),
    path("groupements/<int:pk>/", views.PurchasingGroupDetailView.as_view(), name="group_detail"),
    path("groupements/<int:pk>/modifier/", views.PurchasingGroupUpdateView.as_view(), name="group_update"),
    path("groupements/<int:pk>/adhesions/", views.AdhesionDecideView.as_view(), name="adhesion_decide"),
    path("adhesions/<int:pk>/signature/", views.AdhesionSignView.as_view(), name="adhesion_sign"),
    path("adhesions/<int:pk>/sortie/", views.AdhesionLeaveView.as_view(), name="adhesion_leave"),
    path("personnes/", views.UserListView.as_view(), name="user_list"),
    path("personnes/nouvelle/", views.UserCreateView.as_view(), name="user_create"),
    path("personnes/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("personnes/<int:pk>/modifier/", views.UserUpdateView.as_view(), name="user_update"),
    path("personnes/<int:pk>/debloquer/", views.UserUnlockView.as_view(), name="user_unlock"),
]
