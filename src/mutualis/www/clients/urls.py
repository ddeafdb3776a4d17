"""Pages of the service offer and of the internal clients' requests, under /accompagnement/."""

from django.urls import path

from . import offer, requests, satisfaction

app_name = "clients"

urlpatterns = [
    path("offre/", offer.ModuleListView.as_view(), name="module_list"),
    path("offre/<int:pk>/modifier/", offer.ModuleUpdateView.as_view(), name="module_update"),
    path("demandes/", requests.RequestListView.as_view(), name="request_list"),
    path("demandes/nouvelle/", requests.RequestCreateView.as_view(), name="request_create"),
    path("demandes/<int:pk>/", requests.RequestDetailView.as_view(), name="request_detail"),
    path("demandes/<int:pk>/modifier/", requests.RequestUpdateView.as_view(), name="request_update"),
    path(
        "demandes/<int:pk>/transition/", requests.RequestTransitionView.as_view(), name="request_transition"
    ),
    path("demandes/<int:pk>/attribuer/", requests.RequestAssignView.as_view(), name="request_assign"),
    path("demandes/<int:pk>/message/", requests.MessageCreateView.as_view(), name="message_create"),
    path("demandes/<int:pk>/fichier/", requests.AttachmentCreateView.as_view(), name="attachment_create"),
    path("demandes/<int:pk>/besoin/", requests.ConvertView.as_view(what="besoin"), name="request_to_need"),
    path("demandes/<int:pk>/projet/", requests.ConvertView.as_view(what="projet"), name="request_to_project"),
    path("satisfaction/", satisfaction.SatisfactionResultsView.as_view(), name="satisfaction"),
    path("satisfaction/questions/", satisfaction.QuestionListView.as_view(), name="question_list"),
    path("questionnaires/<int:pk>/", satisfaction.SurveyAnswerView.as_view(), name="survey_answer"),
    path("fichiers/<int:pk>/", requests.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("fichiers/<int:pk>/supprimer/", requests.AttachmentDeleteView.as_view(), name="attachment_delete"),
]
