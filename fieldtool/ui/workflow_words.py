"""The workflow's own words (step labels, event labels, the names of their inputs) for the screens.

The domain speaks English and imports no Qt; the screens show its words through ``workflow_text``, which
looks them up in the "Workflow" context of the translation catalogue (a word not listed comes back as it is).
This list marks them for ``pyside6-lupdate``; a test checks it still covers the transition table.
"""

from __future__ import annotations

from fieldtool.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

STEP_AND_EVENT_LABELS = (
    QT_TRANSLATE_NOOP("Workflow", "Scan the meter issued to you"),
    QT_TRANSLATE_NOOP("Workflow", "Travel to the job site"),
    QT_TRANSLATE_NOOP("Workflow", "Verify the old meter and record what you find"),
    QT_TRANSLATE_NOOP("Workflow", "Take the old meter's final read"),
    QT_TRANSLATE_NOOP("Workflow", "Remove the old meter"),
    QT_TRANSLATE_NOOP("Workflow", "Install the new meter"),
    QT_TRANSLATE_NOOP("Workflow", "Wait for the meter's self-check"),
    QT_TRANSLATE_NOOP("Workflow", "The self-check failed: check again or replace the meter"),
    QT_TRANSLATE_NOOP("Workflow", "Read the meter's id and form"),
    QT_TRANSLATE_NOOP("Workflow", "Write location, service point and removed-meter data into the meter"),
    QT_TRANSLATE_NOOP("Workflow", "Wait for the meter to register on the AMI network"),
    QT_TRANSLATE_NOOP("Workflow", "The meter did not register: test the network"),
    QT_TRANSLATE_NOOP("Workflow", "Decide whether the network coverage is adequate"),
    QT_TRANSLATE_NOOP("Workflow", "Coverage is adequate: replace the meter"),
    QT_TRANSLATE_NOOP("Workflow", "Report marginal coverage"),
    QT_TRANSLATE_NOOP("Workflow", "Queue the soft-registration"),
    QT_TRANSLATE_NOOP("Workflow", "Report the installation to the AMI"),
    QT_TRANSLATE_NOOP("Workflow", "Waiting for the back office to verify"),
    QT_TRANSLATE_NOOP("Workflow", "The back office found discrepancies"),
    QT_TRANSLATE_NOOP("Workflow", "Installation complete"),
    QT_TRANSLATE_NOOP("Workflow", "Cannot complete: a go-back was created"),
    QT_TRANSLATE_NOOP("Workflow", "Scan the new meter issued to you"),
    QT_TRANSLATE_NOOP("Workflow", "Arrived at the premise"),
    QT_TRANSLATE_NOOP("Workflow", "Enter the old meter's number and form"),
    QT_TRANSLATE_NOOP("Workflow", "Enter the old meter's final read"),
    QT_TRANSLATE_NOOP("Workflow", "Old meter removed"),
    QT_TRANSLATE_NOOP("Workflow", "New meter set in the socket"),
    QT_TRANSLATE_NOOP("Workflow", "Meter self-check result"),
    QT_TRANSLATE_NOOP("Workflow", "Replace the new meter with another"),
    QT_TRANSLATE_NOOP("Workflow", "Meter identified"),
    QT_TRANSLATE_NOOP("Workflow", "Location and service point written into the meter"),
    QT_TRANSLATE_NOOP("Workflow", "Meter did not register in time"),
    QT_TRANSLATE_NOOP("Workflow", "Network test result"),
    QT_TRANSLATE_NOOP("Workflow", "Coverage verdict"),
    QT_TRANSLATE_NOOP("Workflow", "Queue the soft-registration and leave"),
    QT_TRANSLATE_NOOP("Workflow", "Meter registered on the AMI network"),
    QT_TRANSLATE_NOOP("Workflow", "Report the installation and leave"),
    QT_TRANSLATE_NOOP("Workflow", "Back-office verification result"),
    QT_TRANSLATE_NOOP("Workflow", "HAN devices found"),
    QT_TRANSLATE_NOOP("Workflow", "Record an as-found condition"),
    QT_TRANSLATE_NOOP("Workflow", "Cannot complete: create a go-back"),
)

INPUT_NAMES = (
    QT_TRANSLATE_NOOP("Workflow", "Meter number"),
    QT_TRANSLATE_NOOP("Workflow", "Meter type"),
    QT_TRANSLATE_NOOP("Workflow", "Position"),
    QT_TRANSLATE_NOOP("Workflow", "Location id"),
    QT_TRANSLATE_NOOP("Workflow", "Form"),
    QT_TRANSLATE_NOOP("Workflow", "Conditions"),
    QT_TRANSLATE_NOOP("Workflow", "Notes"),
    QT_TRANSLATE_NOOP("Workflow", "Value"),
    QT_TRANSLATE_NOOP("Workflow", "Read at"),
    QT_TRANSLATE_NOOP("Workflow", "Passed"),
    QT_TRANSLATE_NOOP("Workflow", "Errors"),
    QT_TRANSLATE_NOOP("Workflow", "Warnings"),
    QT_TRANSLATE_NOOP("Workflow", "Reason"),
    QT_TRANSLATE_NOOP("Workflow", "Program id"),
    QT_TRANSLATE_NOOP("Workflow", "Manufacturer"),
    QT_TRANSLATE_NOOP("Workflow", "Manufacturer serial"),
    QT_TRANSLATE_NOOP("Workflow", "Comm module serial"),
    QT_TRANSLATE_NOOP("Workflow", "Firmware version"),
    QT_TRANSLATE_NOOP("Workflow", "Install read"),
    QT_TRANSLATE_NOOP("Workflow", "Technology"),
    QT_TRANSLATE_NOOP("Workflow", "Reachable"),
    QT_TRANSLATE_NOOP("Workflow", "Signal dbm"),
    QT_TRANSLATE_NOOP("Workflow", "Detail"),
    QT_TRANSLATE_NOOP("Workflow", "Verdict"),
    QT_TRANSLATE_NOOP("Workflow", "Comms address"),
    QT_TRANSLATE_NOOP("Workflow", "Accepted"),
    QT_TRANSLATE_NOOP("Workflow", "Discrepancies"),
    QT_TRANSLATE_NOOP("Workflow", "Device ids"),
    QT_TRANSLATE_NOOP("Workflow", "Photo ids"),
)


def workflow_text(text: str) -> str:
    """One of the workflow's words in the language of the person."""
    return QCoreApplication.translate("Workflow", text)
