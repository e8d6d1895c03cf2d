"""Who may see which work: the person who started it, administrators of its council, and the
platform operator."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.background.models import Notification, NotificationStatus, Work, WorkStatus


def work_visible_to(*, user: User) -> QuerySet[Work]:
    if user.is_superuser:
        return Work.objects.all()
    councils = scope_for(user, Capability.MANAGE_ORGANISATION).council_ids
    return Work.objects.filter(Q(started_by=user) | Q(council_id__in=councils))


def work_get_for_user(*, user: User, work_id: str) -> Work:
    work = work_visible_to(user=user).select_related("started_by", "council").filter(pk=work_id)
    found = work.first()
    if found is None:
        raise Http404("No such work")
    return found


def work_recent_for_user(*, user: User, limit: int = 50) -> list[Work]:
    return list(work_visible_to(user=user).select_related("started_by", "council")[:limit])


def failures_for_user(*, user: User) -> dict[str, list[Work] | list[Notification]]:
    """Failed work and notifications an administrator should know about."""
    councils = scope_for(user, Capability.MANAGE_ORGANISATION).council_ids
    if not councils and not user.is_superuser:
        return {"work": [], "notifications": []}
    notifications = Notification.objects.filter(status=NotificationStatus.FAILED)
    work = Work.objects.filter(status=WorkStatus.FAILED)
    if not user.is_superuser:
        notifications = notifications.filter(council_id__in=councils)
        work = work.filter(council_id__in=councils)
    return {"work": list(work[:20]), "notifications": list(notifications[:20])}
