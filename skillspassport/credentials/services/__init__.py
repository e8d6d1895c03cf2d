"""Writes about credentials: issuing and changing them (issuing), API clients and the trust
registry (clients)."""

from skillspassport.credentials.services.clients import (
    RegistryError,
    api_client_create,
    api_client_revoke,
    api_client_rotate_secret,
    trusted_issuer_add,
    trusted_issuer_remove,
)
from skillspassport.credentials.services.issuing import (
    CredentialError,
    CredentialPermissionError,
    credential_issue,
    credential_issue_for_client,
    credential_reinstate,
    credential_revoke,
    credential_suspend,
    credentials_issue_automatically,
    now_iso,
    share_link_create,
    share_link_withdraw,
    status_list_credential,
    status_list_sign,
    status_list_url,
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
    "trusted_issuer_add",
    "trusted_issuer_remove",
]
