from django.urls import path
from oauth2_provider.views import TokenView

from skillspassport.credentials.views import api, bulk, public, registry, staff

app_name = "credentials"

urlpatterns = [
    # Staff, on a resident's record.
    path("residents/<uuid:public_id>/credentials/issue", staff.credential_issue, name="issue"),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>.json",
        staff.credential_download,
        name="download",
    ),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>/withdraw",
        staff.credential_withdraw,
        name="withdraw",
    ),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>/reinstate",
        staff.credential_reinstate,
        name="reinstate",
    ),
    path(
        "residents/<uuid:public_id>/credentials/<uuid:credential_id>/share",
        staff.credential_share,
        name="share-link",
    ),
    # A council administrator: API clients and the trust registry.
    path("issuing/", registry.overview, name="registry"),
    path("issuing/clients/new", registry.client_create, name="client-create"),
    path(
        "issuing/clients/<int:client_id>/<str:action>",
        registry.client_change,
        name="client-change",
    ),
    path(
        "issuing/credentials/<uuid:credential_id>/withdraw",
        registry.issued_withdraw,
        name="issued-withdraw",
    ),
    path("issuing/bulk/issue", bulk.bulk_issue, name="bulk-issue"),
    path("issuing/bulk/revoke", bulk.bulk_revoke, name="bulk-revoke"),
    path("issuing/trusted/new", registry.trusted_add, name="trusted-add"),
    path("issuing/trusted/<int:issuer_id>/remove", registry.trusted_remove, name="trusted-remove"),
    # Public.
    path("verify/", public.verify_page, name="verify"),
    path("c/<str:token>/", public.share_page, name="share"),
    path("c/<str:token>/credential.json", public.share_download, name="share-download"),
    path("c/<str:token>/qr.svg", public.share_qr, name="share-qr"),
    path("stop-sharing/<str:token>/", public.share_withdraw_by_resident, name="stop-sharing"),
    path(".well-known/did.json", public.did_document, name="did"),
    path("councils/<int:council_id>/did.json", public.council_did_document, name="council-did"),
    path(
        "credentials/status/<str:owner>/<str:purpose>",
        public.status_list,
        name="status-list",
    ),
    # W3C VC-API, and the OAuth 2.0 token endpoint for API clients (client credentials).
    path("o/token/", TokenView.as_view(), name="oauth-token"),
    path("credentials/issue", api.issue_credential, name="api-issue"),
    path("sandbox/credentials/issue", api.issue_sandbox_credential, name="api-issue-sandbox"),
    path("credentials/verify", api.verify_credential, name="api-verify"),
    path("presentations/verify", api.verify_presentation, name="api-verify-presentation"),
]
