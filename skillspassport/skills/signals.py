"""Signals other apps listen to, so that `skills` need not know who builds on it.

`levels_reached` is sent inside the transaction that stores a passport's new levels, with the
resident and the strand codes (`overall` included) whose level went up or was first reached, so
what receivers write (a credential issued automatically, for example) is committed with the
levels or not at all. Receivers are connected in their own app's `AppConfig.ready()`.

Keyword arguments sent: `resident` and `strand_codes` (a list of str).
"""

from __future__ import annotations

from django.dispatch import Signal

levels_reached = Signal()
