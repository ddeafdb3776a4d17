"""URLs of the steering area's improvement log."""

from django.urls import path

from . import improvements

urlpatterns = [
    path("amelioration/", improvements.ImprovementListView.as_view(), name="improvement_list"),
    path("amelioration/nouvelle/", improvements.ImprovementCreateView.as_view(), name="improvement_create"),
    path("amelioration/<int:pk>/", improvements.ImprovementDetailView.as_view(), name="improvement_detail"),
    path(
        "amelioration/<int:pk>/modifier/",
        improvements.ImprovementUpdateView.as_view(),
        name="improvement_update",
    ),
    path(
        "amelioration/<int:pk>/transition/",
        improvements.ImprovementTransitionView.as_view(),
        name="improvement_transition",
    ),
]
