"""What a request is refused for, in words for the person who sent it. Rules and services raise
these; metpwa.errors answers each one the same way for the whole app. No Flask here, so the rules
can raise them too.

- InputError: a value that cannot be taken. Each rule module names its own (SessionInputError,
  MeasureInputError...); the route shows `message` at the form field `field` (422).
- RecordLocked: the record is signed or final and no longer changes (409).
- StaleRecord: someone changed the record after this page was drawn (409).
- RecordNotFound: no such record here (404).
"""

from __future__ import annotations


class InputError(ValueError):
    """A value typed or sent that cannot be taken; `message` is shown at the form field `field`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Refused(Exception):
    """A change refused for the state of the record, not for what was typed; `message` says what
    to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RecordLocked(Refused):
    """The record is signed or final: it no longer changes (corrections are addenda or a new version)."""


class StaleRecord(Refused):
    """The page was drawn before someone else changed the record: reload it before changing anything."""


class RecordNotFound(Exception):
    """No such record in this practice (or not where the request says it is)."""


class ArrivedAfterSigning(RecordLocked):
    """An item from a device's outbox reached a session signed meanwhile (from another iPad): it is
    kept as an addendum draft for the trainer to review, never applied to the signed note and
    never dropped."""
