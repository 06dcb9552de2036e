"""``make demo``: the field tool against the whole simulated world (``python -m firmware_sim world``).

It starts the world (the reference back office seeded with the demo day, simulated meters, radios, HAN) as a
child process and reads its addresses, lists the simulated meters in ``<data>/simulators.json`` (the meter panel
offers them as ports), signs this laptop in to the back office as the demo installer and syncs the day's work
orders and issued stock (``fieldtool login`` / ``fieldtool sync --once``), and creates the local user ``demo``.

With a display (``DISPLAY`` / ``WAYLAND_DISPLAY``) it then starts ``fieldtool gui --user demo``; without one it
works the day headless: ``fieldtool exchange run`` for each job that has an answers file in ``resources/demo/``
(all at once, against the world's meters; each meter runs its 5 s self-test and registers on the simulated
network about 35 s after it is first spoken to), then ``fieldtool sync --once`` to hand the results to the back
office. It prints what happened, stops the world and exits.

Everything lives in ``.fieldtool-demo/`` (gitignored; ``FIELDTOOL_DEMO_DIR`` moves it); the store is made fresh
on each run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo"
DEMO_USER, DEMO_PASSWORD = "demo", "demo-installer-1"
SIM_METER_PASSWORD = "MASTER".ljust(20, "0")  # what firmware_sim's meters accept for full access
METERS = 2  # the world's meters 72600101 (acme-r1, job WO-260312-001) and 72600102 (borealis-rx, for the GUI)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, FIELDTOOL_HOME=str(home))
    env.setdefault("FIELDTOOL_PASSPHRASE", "demo passphrase")
    env.setdefault("FIELDTOOL_KEYRING", "off")
    return env


def fieldtool(env: dict, *args: str, stdin: str | None = None, check: bool = True) -> dict | list | None:
    """Run ``python -m fieldtool ARGS --json`` and return its JSON output (stderr goes to ours)."""
    r = subprocess.run([sys.executable, "-m", "fieldtool", *args, "--json"], input=stdin, env=env, text=True,
                       stdout=subprocess.PIPE, cwd=ROOT)
    if check and r.returncode != 0:
        raise RuntimeError(f"fieldtool {' '.join(args)} failed (exit {r.returncode}): {r.stdout.strip()}")
    return json.loads(r.stdout) if r.stdout.strip() else None


class World:
    """``python -m firmware_sim world`` as a child process; stopped with SIGTERM."""

    def __init__(self, base: Path, meters: int = METERS):
        self.child = subprocess.Popen(
            [sys.executable, "-m", "firmware_sim", "world", "--json", "--plain-http", "--meters", str(meters),
             "--dir", str(base)], stdout=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
        line = self.child.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("the simulated world did not start (see the errors above)")
        self.addresses = json.loads(line)

    def stop(self) -> int:
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)
        try:
            return self.child.wait(20)
        except subprocess.TimeoutExpired:
            self.child.kill()
            return self.child.wait()


def prepare(home: Path, world: dict, env: dict) -> dict:
    """Simulators list, back-office sign-in, the day's work orders, the local demo user."""
    meters = [{"profile": m["profile"], "url": m["url"], "meter_id": m.get("meter_id")}
              for m in (world.get("meter") or {}).get("meters", [])]
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "simulators.json").write_text(json.dumps({"meters": meters}, indent=2), encoding="utf-8")
    bo = world["backoffice"]
    installer = bo["demo"]["demo_installer"]
    who = fieldtool(dict(env, FIELDTOOL_PASSWORD=bo["demo"]["password"]), "login", "--server", bo["url"],
                    "--user", installer)
    pulled = fieldtool(env, "sync", "--once")
    fieldtool(env, "users", "add", DEMO_USER, "--role", "installer", stdin=DEMO_PASSWORD + "\n")
    # the meter shop's C12.18 password of the simulated meters, kept in the vault like a real one
    fieldtool(env, "secrets", "set", "meter:c1218:password", stdin=SIM_METER_PASSWORD + "\n")
    jobs = fieldtool(env, "work-orders", "list")["work_orders"]
    return {"meters": meters, "signed_in": who, "sync": pulled, "jobs": jobs, "installer": installer}


def work_the_day(env: dict, meters: list[dict], out=print) -> list[dict]:
    """``fieldtool exchange run`` for every job with an answers file, each against its simulated meter, in
    parallel (the registration waits overlap); returns each run's result."""
    by_number = {m["meter_id"]: m["url"] for m in meters}
    runs = []
    for answers in sorted(DEMO_DIR.glob("answers-*.json")):
        job = answers.stem.removeprefix("answers-")
        number = json.loads(answers.read_text(encoding="utf-8"))["events"]["scan_meter"]["meter_number"]
        if number not in by_number:
            out(f"  {job}: no simulated meter {number} in the world; skipped")
            continue
        out(f"  {job}: exchange run against simulated meter {number} at {by_number[number]}")
        runs.append((job, subprocess.Popen(
            [sys.executable, "-m", "fieldtool", "exchange", "run", job, "--port", by_number[number], "--answers",
             str(answers), "--json"], env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)))  # fmt: skip
    results = []
    for job, child in runs:
        text, _ = child.communicate()
        result = json.loads(text) if text.strip() else {"work_order_id": job, "error": f"exit {child.returncode}"}
        results.append(result)
        if "error" in result:
            out(f"  {job}: FAILED — {result['error']}")
            continue
        steps = " → ".join(f"{s['event']}" + ("*" if s["source"] == "meter" else "") for s in result["steps"])
        out(f"  {job}: {steps}")
        reg = result.get("registration") or {}
        out(f"  {job}: now {result['state']}; program {result['program']}; clock drift "
            f"{(result.get('clock') or {}).get('drift_s')} s; registered {bool(reg)}"
            + (f"; stopped at {result['stopped']}" if result.get("stopped") else ""))
    return results


def main(argv: list[str] | None = None) -> int:
    base = Path(os.environ.get("FIELDTOOL_DEMO_DIR") or ROOT / ".fieldtool-demo")
    home = base / "home"
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(base / "world", ignore_errors=True)
    env = _env(home)
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or "--headless" in (argv or [])
    print("starting the simulated world (back office, meters, radios, HAN) ...", flush=True)
    world = World(base / "world")
    try:
        bo = world.addresses["backoffice"]
        print(f"back office at {bo['url']}; simulated meters:", flush=True)
        day = prepare(home, world.addresses, env)
        for m in day["meters"]:
            print(f"  {m['meter_id']} ({m['profile']}) at {m['url']}")
        print(f"signed in to the back office as {day['installer']} ({day['signed_in']['name']}); "
              f"sync pulled {day['sync']['pulled']} work-order changes; {len(day['jobs'])} jobs on this laptop")
        print(f"local user '{DEMO_USER}' created (password {DEMO_PASSWORD}); FIELDTOOL_HOME={home}", flush=True)
        if not headless:
            print("starting the desktop application (close it to stop the world) ...", flush=True)
            return subprocess.call([sys.executable, "-m", "fieldtool", "gui", "--user", DEMO_USER],
                                   env=dict(env, FIELDTOOL_LOGIN_PASSWORD=DEMO_PASSWORD), cwd=ROOT)
        print("no display: working the day headless (each meter self-tests, then registers in about 35 s) ...",
              flush=True)
        results = work_the_day(env, day["meters"])
        sent = fieldtool(env, "sync", "--once")
        print(f"sync: {sent['pushed']} events accepted by the back office, {sent['rejected']} refused, "
              f"{sent['errors']} failed requests; the back office's verdicts came back (step 8)")
        for r in results:  # the verdicts moved each job on; its transition goes out on the next sync
            job = fieldtool(env, "exchange", "show", r["work_order_id"])
            v = job.get("verification") or {}
            print(f"{r['work_order_id']}: {job['state']} (back office: "
                  f"{'accepted' if v.get('accepted') else 'discrepancies: ' + '; '.join(v.get('discrepancies') or ['-'])})")
        sent = fieldtool(env, "sync", "--once")
        print(f"sync: {sent['pushed']} more events sent, {sent['queued']} still queued")
        ok = all("error" not in r and not r.get("stopped") for r in results) and results
        print("demo finished." if ok else "demo finished with problems (see above).")
        return 0 if ok else 1
    finally:
        world.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
