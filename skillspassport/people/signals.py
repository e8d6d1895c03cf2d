"""Signals other apps listen to, so that `people` need not know who depends on it.

`consent_withdrawn` is sent inside the transaction that records a withdrawal, so what the
receivers write (an employer's referrals closed, for example) is committed with it or not at
all. Receivers are connected in their own app's `AppConfig.ready()`.

Keyword arguments sent: `resident`, `purpose` (a `ConsentPurpose` value), `user` (who recorded
the withdrawal) and `request` (or None).
"""

from __future__ import annotations

from django.dispatch import Signal

consent_withdrawn = Signal()
