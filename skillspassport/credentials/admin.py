"""No credential models in the Django admin.

Keys, issued credentials, API clients and trusted issuers are managed in the app, where each
change goes through a service that checks the council and writes the audit log. The OAuth
tables django-oauth-toolkit registers are taken out too: editing an application there would
bypass the API client's council and allow-list.
"""

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

for model in (
    get_application_model(),
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
