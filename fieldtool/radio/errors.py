"""Errors a radio raises, in words the installer can act on."""

from __future__ import annotations

from fieldtool.domain.errors import InputError, UserFacingError


class RadioError(UserFacingError):
    """The radio could not do what was asked (no answer, refused, out of range)."""


class RadioTimeout(RadioError):
    """The radio did not answer in time."""


class RadioNotSupported(RadioError):
    """The radio does not offer this operation (see its capabilities)."""


class RadioReplyError(InputError):
    """The radio answered something that is not its protocol (noise, wrong baud rate, wrong device)."""


class PluginError(UserFacingError):
    """A radio plug-in could not be found or used."""
