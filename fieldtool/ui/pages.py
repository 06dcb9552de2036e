"""The screens of the application, in the order of the mode buttons; the role decides which are shown."""

from fieldtool.ui.bench_page import BenchPage
from fieldtool.ui.custody_page import CustodyPage
from fieldtool.ui.exchange_page import ExchangePage
from fieldtool.ui.han_page import HanPage
from fieldtool.ui.jobs_page import JobsPage
from fieldtool.ui.planner_page import PlannerPage
from fieldtool.ui.scan_page import ScanPage

PAGES = [JobsPage, ExchangePage, ScanPage, HanPage, CustodyPage, BenchPage, PlannerPage]
