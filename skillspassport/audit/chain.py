"""Checking the audit log's hash chain (see `hashing` for how each link is made)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from skillspassport.audit import hashing
from skillspassport.audit.models import AuditChainHead, AuditEvent

BATCH = 2000


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_seq: int
    head_hash: str
    problem: str = ""  # the first break found, in words; "" when the chain is whole
    event_id: int | None = None  # the row at or after the break

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_chain_verify(*, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the chain from its first event and report the first altered, missing or
    out-of-chain row, or that the head (the last place taken) does not match the last row."""
    head = AuditChainHead.objects.filter(pk=AuditChainHead.ONLY).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else hashing.GENESIS
    previous, expected, checked = hashing.GENESIS, 1, 0

    def broken(problem: str, event_id: int | None = None) -> ChainReport:
        return ChainReport(checked, head_seq, head_hash, problem, event_id)

    unchained = AuditEvent.objects.filter(hash="").order_by("id").first()
    if unchained is not None:
        return broken(
            f"Event {unchained.pk} has no hash: it was written outside the chain.", unchained.pk
        )
    after = 0
    while batch := list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:BATCH]):
        for event in batch:
            if event.seq != expected:
                return broken(
                    f"Event {expected} of the chain is missing (the next event, id {event.pk}, "
                    f"is number {event.seq}).",
                    event.pk,
                )
            if hashing.link(previous, event.canonical()) != event.hash:
                return broken(
                    f"Event {event.seq} (id {event.pk}) does not match its hash: it was "
                    "altered, or inserted out of chain.",
                    event.pk,
                )
            previous, expected, checked = event.hash, expected + 1, checked + 1
        after = batch[-1].seq
        if progress is not None:
            progress(checked)
    if checked != head_seq:
        return broken(
            f"The chain's head records {head_seq} events but {checked} are there: "
            + (
                "events were removed from the end."
                if checked < head_seq
                else "the head was altered."
            )
        )
    if previous != head_hash:
        return broken("The last event's hash does not match the chain's head: it was altered.")
    return ChainReport(checked, head_seq, head_hash)
