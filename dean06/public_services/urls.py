from django.urls import path

from dean06.public_services import petition_views, views

app_name = "public_services"
urlpatterns = [
    path("dich-vu-cong/", views.ProcedureListView.as_view(), name="procedure_list"),
    path("dich-vu-cong/<str:code>/", views.ProcedureDetailView.as_view(), name="procedure_detail"),
    path("dich-vu-cong/<str:code>/nop/", views.DossierStartView.as_view(), name="dossier_start"),
    path("tra-cuu-ho-so/", views.TrackView.as_view(), name="track"),
    path("ho-so-cua-toi/", views.MyDossierListView.as_view(), name="my_dossiers"),
    path("ho-so/<int:dossier_id>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path("ho-so/<int:dossier_id>/to-khai/", views.DossierFormView.as_view(), name="dossier_form"),
    path("ho-so/<int:dossier_id>/bien-nhan/", views.ReceiptView.as_view(), name="receipt"),
    path("ho-so/<int:dossier_id>/nop-phi/", views.FeePayView.as_view(), name="fee_pay"),
    path("ho-so/<int:dossier_id>/thao-tac/", views.DossierActView.as_view(), name="dossier_act"),
    path("ho-so/<int:dossier_id>/thu-xin-loi/", views.ApologyView.as_view(), name="apology"),
    path("ho-so/<int:dossier_id>/danh-gia/", views.RatingView.as_view(), name="rating"),
    path("ho-so/<int:dossier_id>/ket-qua/", views.ResultIssueView.as_view(), name="result_issue"),
    path("ket-qua/<int:document_id>/", views.ResultDownloadView.as_view(), name="result_download"),
    path("xac-thuc-ket-qua/", views.ResultVerifyView.as_view(), name="result_verify"),
    path("xac-thuc-ket-qua/<str:code>/", views.ResultVerifyView.as_view(), name="result_verify_code"),
    path("mot-cua/ho-so/", views.DossierQueueView.as_view(), name="queue"),
    path("mot-cua/tiep-nhan/", views.CounterView.as_view(), name="counter"),
    # Petitions (phản ánh, kiến nghị): petition_views.py
    path("phan-anh-kien-nghi/", petition_views.MyPetitionListView.as_view(), name="my_petitions"),
    path("phan-anh-kien-nghi/gui/", petition_views.PetitionNewView.as_view(), name="petition_new"),
    path("phan-anh-kien-nghi/<int:petition_id>/", petition_views.PetitionDetailView.as_view(), name="petition_detail"),
    path(
        "phan-anh-kien-nghi/<int:petition_id>/tra-loi/",
        petition_views.PetitionAnswerView.as_view(),
        name="petition_answer",
    ),
    path(
        "phan-anh-kien-nghi/<int:petition_id>/danh-gia/",
        petition_views.PetitionRateView.as_view(),
        name="petition_rate",
    ),
    path("mot-cua/phan-anh-kien-nghi/", petition_views.PetitionQueueView.as_view(), name="petition_queue"),
]
