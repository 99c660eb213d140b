"""The failures kg reports to its users.

Every error a user can cause is a `KgError`; the CLI turns it into one line on standard
error and the exit code the kind carries (1 for failures, 2 for usage).
"""
from __future__ import annotations


class KgError(Exception):
    """A failure worth one line to the user, never a traceback."""

    exit_code = 1


class InputError(KgError):
    """A document could not be read or is not a news text."""


class ReferenceInvalid(KgError):
    """A hand-annotated reference for `kg evaluate` cannot be read or breaks its format."""


class StoreError(KgError):
    """The store could not be opened, read or written."""


class StoreInUse(StoreError):
    """Another process holds the store open for writing."""


class UsageError(KgError):
    """The command was called wrongly: an unknown option value, a bad parameter."""

    exit_code = 2


class QuerySyntaxError(UsageError):
    """The SPARQL text does not parse."""


class UnknownQuery(UsageError):
    """No saved query has that name, and it is neither a file nor SPARQL."""


class QueryRefused(UsageError):
    """The query asks for something kg does not do from that command (an update, a SERVICE)."""


class Interrupted(KgError):
    """The user stopped a load; what was committed stays, whole."""

    exit_code = 130


class QueryTimeout(KgError):
    """A query ran past its time limit and was stopped."""


class QueryNote(UserWarning):
    """What binding a query's parameters found worth telling, for an answer that has no
    rows to carry it (an ASK, a CONSTRUCT): a name that matched no entity."""


def message_line(exc: BaseException) -> str:
    """The first line of an exception's message, or its type when it has none: what a
    one-line error can show of it.

    >>> message_line(OSError("disk\\nmore")), message_line(ValueError())
    ('disk', 'ValueError')
    """
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
