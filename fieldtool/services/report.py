"""The printable lot report: plan, seed, sample, every unit's results and the decision (HTML; PDF via Qt).

``lot_report_html`` builds a self-contained HTML page from ``BenchService.status``; it uses only the
subset of HTML/CSS that Qt's rich-text engine renders, so the same page becomes the PDF
(``write_lot_report``). Qt is imported only when a PDF is asked for (``fieldtool/ui/report_pdf.py``).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

DECISION_WORDS = {
    "accept": "ACCEPTED — lot released for distribution",
    "reject": "REJECTED — lot returned to the vendor",
    "second_sample": "second sample drawn",
    "screened": "100 % inspected — passing units released, failing units returned to the vendor",
}
TEST_TITLES = (("comms", "Communications"), ("disconnect", "Disconnect switch"), ("accuracy", "Accuracy"),
               ("han", "HAN device"))


def _e(value) -> str:
    return escape("" if value is None else str(value))


def _plan_rows(plan: dict | None) -> str:
    if not plan:
        return "<tr><td colspan='2'>no plan yet</td></tr>"
    rows = [("Code letter (lot)", plan["code_letter"]), ("Plan used (letter)", plan["plan_letter"]),
            ("Scheme", plan["scheme"])]
    if plan["scheme"] == "double":
        rows += [("First sample n1", plan["n1"]), ("Second sample n2", plan["n2"]),
                 ("Ac1 / Re1", f"{plan['ac1']} / {plan['re1']}"),
                 ("Ac2 / Re2 (cumulative)", f"{plan['ac2']} / {plan['re2']}")]
    elif plan["scheme"] == "single":
        rows += [("Sample n", plan["n"]), ("Ac / Re", f"{plan['ac']} / {plan['re']}")]
    else:
        rows += [("Sample", "every unit of the lot")]
    return "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)


def _test_cell(test: dict | None, name: str) -> str:
    if test is None:
        return "<td class='pending'>pending</td>"
    outcome = test["outcome"]
    words = {"passed": "pass", "failed": "FAIL", "not_run": "not run"}[outcome]
    extra = []
    if name == "accuracy" and test.get("points"):
        extra.append(", ".join(f"{p['point'].replace('_', ' ')} {p['registration_pct']:.3f} %"
                               for p in test["points"]))
    if name == "comms" and test.get("meter_number"):
        extra.append(f"answers as {test['meter_number']}")
    extra += test.get("reasons", [])
    detail = "<br/>".join(_e(x) for x in extra)
    return f"<td class='{outcome}'><b>{words}</b>{'<br/><small>' + detail + '</small>' if detail else ''}</td>"


def lot_report_html(status: dict, *, generated_at: str) -> str:
    """The report page for one lot. ``generated_at`` is passed in (the report never reads the clock)."""
    decision = status.get("decision")
    head = (f"<h1>Lot acceptance report — lot {_e(status['lot_id'])}</h1>"
            f"<p>Document {_e(status['document'])} · type {_e(status.get('asset_type') or 'mixed')} · "
            f"lot size {status['lot_size']} · received {_e(status['created_at'])} by {_e(status['created_by'])}</p>")
    verdict = (f"<h2 class='decision'>Decision: {_e(DECISION_WORDS.get(decision, decision))}</h2>"
               f"<p>Decided {_e(status.get('decided_at'))}</p>" if decision
               else f"<h2 class='decision'>Status: {_e(status['status'])} (no final decision yet)</h2>")
    plan = (f"<h2>Sampling plan</h2><p>MIL-STD-105E / ANSI Z1.4, General Inspection Level II, normal "
            f"inspection, AQL 1.0. Random sample drawn with seed <b>{_e(status.get('seed'))}</b>.</p>"
            f"<table class='plan'>{_plan_rows(status.get('plan'))}</table>")
    stages = "".join(
        f"<tr><td>{d['stage']}</td><td>{d['defects']}</td><td>{_e(d['decision'])}</td>"
        f"<td>{_e(d['actor'])}</td><td>{_e(d['at'])}</td></tr>" for d in status.get("decisions", []))
    decisions = ("<h2>Decisions</h2><table><tr><th>Sample</th><th>Defective</th><th>Decision</th><th>By</th>"
                 f"<th>At</th></tr>{stages or '<tr><td colspan=5>none yet</td></tr>'}</table>")
    header = "".join(f"<th>{t}</th>" for _, t in TEST_TITLES)
    rows = "".join(
        f"<tr><td>{s['stage']}</td><td>{_e(s['asset_id'])}</td>"
        + "".join(_test_cell(s["tests"].get(name), name) for name, _ in TEST_TITLES)
        + f"<td class='{_e(s['verdict'] or 'pending')}'><b>{_e(s['verdict'] or 'pending')}</b></td></tr>"
        for s in status.get("samples", []))
    units = (f"<h2>Units tested</h2><p>Required tests: {_e(', '.join(status['required_tests']))}; accuracy "
             f"class {_e(status['accuracy_class'])}. A test not run never counts as a pass.</p>"
             f"<table class='units'><tr><th>Sample</th><th>Meter</th>{header}<th>Verdict</th></tr>{rows}</table>")
    states = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(status.get("unit_states", {}).items()))
    style = ("body{font-family:sans-serif;font-size:9pt} h1{font-size:14pt} h2{font-size:11pt}"
             "table{border-collapse:collapse} th,td{border:1px solid #888;padding:2px 4px;vertical-align:top}"
             "th{background:#e8e8e8;text-align:left} .failed{background:#f6d0d0} .passed{background:#d8efd8}"
             ".not_run{background:#eeeeee} .pending{background:#fff6cc}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Lot {_e(status['lot_id'])}</title>"
            f"<style>{style}</style></head><body>{head}{verdict}{plan}{decisions}{units}"
            f"<h2>Where the lot's units are</h2><p>{_e(states)}</p>"
            f"<p><small>Generated {_e(generated_at)} by fieldtool.</small></p></body></html>")


def write_lot_report(status: dict, path: str | Path, *, generated_at: str) -> Path:
    """Write the report as HTML or, for a ``.pdf`` path, as PDF (Qt offscreen)."""
    path = Path(path)
    html = lot_report_html(status, generated_at=generated_at)
    if path.suffix.lower() == ".pdf":
        from fieldtool.ui.report_pdf import html_to_pdf

        html_to_pdf(html, path)
    else:
        path.write_text(html, encoding="utf-8")
    return path
