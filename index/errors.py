"""One error base class for the whole project.

Every error carries a message that says what went wrong *and what to do*; the CLI prints it,
the API maps ``status`` to an HTTP status code. (``index`` is the bottom of the import graph, so
the base class lives here and every package can use it.)
"""

from __future__ import annotations


class InspectbotError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing message."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IndexMismatchError(InspectbotError):
    """The index on disk was built by another embedder or a newer schema."""

    status = 409


class StoreUnavailableError(InspectbotError):
    """The vector store cannot be opened or reached."""

    status = 503


class BadInputError(InspectbotError):
    """A file or a request field that cannot be used as it is."""

    status = 422
