"""Writes about credentials: issuing them (issuing), signing as an issuer and its status lists
(status), revoking, suspending, reinstating and sharing them (changes), and API clients and
the trust registry (clients)."""

from skillspassport.credentials.services.changes import (
    credential_reinstate,
    credential_revoke,
    credential_suspend,
    share_link_create,
    share_link_withdraw,
)
from skillspassport.credentials.services.clients import (
    RegistryError,
    api_client_create,
    api_client_revoke,
    api_client_rotate_secret,
    trusted_issuer_add,
    trusted_issuer_remove,
)
from skillspassport.credentials.services.errors import CredentialError, CredentialPermissionError
from skillspassport.credentials.services.issuing import (
    credential_issue,
    credential_issue_for_client,
    credentials_issue_automatically,
)
from skillspassport.credentials.services.status import (
    now_iso,
    status_list_credential,
    status_list_sign,
    status_list_url,
    status_lists_sign,
)

__all__ = [
    "CredentialError",
    "CredentialPermissionError",
    "RegistryError",
    "api_client_create",
    "api_client_revoke",
    "api_client_rotate_secret",
    "credential_issue",
    "credential_issue_for_client",
    "credential_reinstate",
    "credential_revoke",
    "credential_suspend",
    "credentials_issue_automatically",
    "now_iso",
    "share_link_create",
    "share_link_withdraw",
    "status_list_credential",
    "status_list_sign",
    "status_list_url",
    "status_lists_sign",
    "trusted_issuer_add",
    "trusted_issuer_remove",
]
