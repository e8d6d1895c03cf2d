"""Signals other apps listen to, so that `people` need not know who depends on it.

`consent_withdrawn` is sent inside the transaction that records a withdrawal, so what the
receivers write (an employer's referrals closed, for example) is committed with it or not at
all. Receivers are connected in their own app's `AppConfig.ready()`.

Keyword arguments sent: `resident`, `purpose` (a `ConsentPurpose` value), `user` (who recorded
the withdrawal) and `request` (or None).

`resident_changed` is sent inside the transaction that changes a resident's personal details,
with `resident`, `user` (who changed them, or None) and `previous` (the changed fields' values
before the change), so the rectification history is kept with the change.
"""

from __future__ import annotations

from django.dispatch import Signal

consent_withdrawn = Signal()
resident_changed = Signal()
