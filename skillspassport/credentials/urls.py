from django.urls import path

from skillspassport.credentials import views

app_name = "credentials"

urlpatterns = [
    # Staff, on a resident's record.
    path("residents/<uuid:public_id>/credentials/issue", views.credential_issue, name="issue"),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>.json",
        views.credential_download,
        name="download",
    ),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>/withdraw",
        views.credential_withdraw,
        name="withdraw",
    ),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>/reinstate",
        views.credential_reinstate,
        name="reinstate",
    ),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>/share",
        views.credential_share,
        name="share-link",
    ),
    # Public.
    path("verify/", views.verify_page, name="verify"),
    path("c/<str:token>/", views.share_page, name="share"),
    path("c/<str:token>/credential.json", views.share_download, name="share-download"),
    path("c/<str:token>/qr.svg", views.share_qr, name="share-qr"),
    path("stop-sharing/<str:token>/", views.share_withdraw_by_resident, name="stop-sharing"),
    path(".well-known/did.json", views.did_document, name="did"),
    path(
        "credentials/status/<int:council_id>/<str:purpose>",
        views.status_list,
        name="status-list",
    ),
    # W3C VC-API.
    path("credentials/issue", views.api_issue_credential, name="api-issue"),
    path("credentials/verify", views.api_verify_credential, name="api-verify"),
    path("presentations/verify", views.api_verify_presentation, name="api-verify-presentation"),
]
