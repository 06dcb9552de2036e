import threading

import pytest

from fieldtool.domain.errors import UserFacingError
from fieldtool.ui.ops import Op, error_text


def test_work_runs_on_a_worker_thread_and_result_comes_back_on_the_gui_thread(qtbot):
    seen = {}

    def work(ctx):
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        ctx.progress(0.5, "half way")
        return 42

    results, progress = [], []

    def on_success(r):
        seen["callback_on_main"] = threading.current_thread() is threading.main_thread()
        results.append(r)

    op = Op(work, on_success=on_success, on_progress=lambda f, t: progress.append((f, t)))
    with qtbot.waitSignal(op.signals.finished, timeout=5000):
        op.run()
    qtbot.waitUntil(lambda: results == [42], timeout=2000)
    assert seen == {"worker": True, "callback_on_main": True}
    assert progress == [(0.5, "half way")]


def test_cancel_stops_the_work_and_reports_cancelled(qtbot):
    started = threading.Event()
    cancelled, succeeded = [], []

    def work(ctx):
        started.set()
        while True:
            ctx.check_cancelled()
            ctx.cancel_event.wait(0.01)

    op = Op(work, on_cancelled=lambda: cancelled.append(True), on_success=succeeded.append)
    op.run()
    assert started.wait(5)
    with qtbot.waitSignal(op.signals.finished, timeout=5000):
        op.cancel()
    qtbot.waitUntil(lambda: cancelled == [True], timeout=2000)
    assert succeeded == []


@pytest.mark.parametrize(
    "exc, expect",
    [(UserFacingError("The meter refused the password.", hint="Check the password."), "Check the password."),
     (KeyError("boom"), "did not expect")],
)
def test_failures_come_back_in_words(qtbot, exc, expect):
    failures = []

    def work(ctx):
        raise exc

    op = Op(work, on_failure=failures.append)
    with qtbot.waitSignal(op.signals.finished, timeout=5000):
        op.run()
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=2000)
    assert expect in error_text(failures[0])
