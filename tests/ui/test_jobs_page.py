from fieldtool.domain.roles import Role
from fieldtool.services.users import LocalUser
from fieldtool.ui.jobs_page import JobsPage
from fieldtool.ui.main_window import MainWindow
from tests.ui.conftest import make_work_orders


def _window(qtbot, ctx, n=300):
    ctx.store.work_orders.upsert_many(make_work_orders(n))
    w = MainWindow(ctx, [JobsPage])
    qtbot.addWidget(w)
    w.show()
    page = w.page(JobsPage)
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    return w, page


def test_jobs_load_in_the_background_and_filter_by_text_route_and_status(qtbot, ctx):
    w, page = _window(qtbot, ctx)
    assert page.model.rowCount() == 300
    qtbot.keyClicks(page.search, "OLD00000042")
    assert page.model.rowCount() == 1 and page.model.job_at(0).id == "WO-000042"
    page.search.clear()
    page.route.setCurrentText("R03")
    assert page.model.rowCount() == 30
    page.status.setCurrentText("completed")
    assert all(page.model.job_at(r).status == "completed" for r in range(page.model.rowCount()))
    assert "of 300 jobs" in page.counts.text()


def test_address_search_and_enter_opens_the_first_job(qtbot, ctx):
    w, page = _window(qtbot, ctx)
    opened = []
    page.job_opened.connect(opened.append)
    qtbot.keyClicks(page.search, "12 oak")
    assert page.model.rowCount() >= 1
    found = [page.model.job_at(r) for r in range(page.model.rowCount())]
    assert any(j.address == "12 Oak Avenue" for j in found)
    assert all("oak" in j.address.lower() for j in found)
    qtbot.keyPress(page.search, "\r")
    assert opened == [page.model.job_at(0).id]


def test_screens_follow_the_role(qtbot, ctx):
    ctx.user = LocalUser("tech", Role.TECHNICIAN)
    w = MainWindow(ctx, [JobsPage])
    qtbot.addWidget(w)
    assert w.page(JobsPage) is None
