from django.urls import path

from . import views

app_name = "procurements"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path(
        "depuis-besoins/<int:campaign>/<int:family>/",
        views.ProjectFromNeedsView.as_view(),
        name="project_from_needs",
    ),
]
