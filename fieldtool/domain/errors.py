"""The three kinds of error the tool raises (Electrum's triage, Anki's names).

- ``UserFacingError``: something a person can act on; its text is shown as it is, in plain words,
  and should say what to do next.
- ``UserCancelled``: the person cancelled; nothing is shown.
- anything else is a bug: logged with its traceback, and the person is told where the log is.
"""


class FieldtoolError(Exception):
    """Base of every error the tool raises on purpose."""


class UserFacingError(FieldtoolError):
    """An error whose message is meant for the installer (or technician, or planner)."""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} {self.hint}" if self.hint else text


class InputError(UserFacingError):
    """Outside input (a file, a barcode, an NMEA line, a server reply, meter bytes) could not be used."""


class NotAllowed(UserFacingError):
    """A workflow event, custody move or action that the current state does not allow."""


class UserCancelled(FieldtoolError):
    """The person cancelled the operation; nothing to show."""
