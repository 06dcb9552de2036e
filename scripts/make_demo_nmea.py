"""Writes ``resources/demo/gps-walk.nmea``: an installer walking along a street of the demo district.

The log is what a consumer USB receiver at 1 Hz sends (GGA, RMC, GSA, three GSV, GST), with what real
logs contain: a cold start without a fix, a line cut short by a serial buffer overrun, a checksum error,
a burst of garbage (a baud-rate mismatch while the port opened), and a multipath jump while the
installer stands at a meter for a minute. Deterministic (seeded); run it again to regenerate.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from functools import reduce
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "demo" / "gps-walk.nmea"
START = (45.50120, -73.57310)  # a street of the demo district (the demo work orders lie around 45.50, -73.57)
HEADING_DEG = 62.0  # walking east-north-east along the street
SPEED_MPS = 1.3
T0 = datetime(2026, 11, 26, 14, 5, 0, tzinfo=UTC)


def checksum(body: str) -> str:
    return f"{reduce(lambda a, c: a ^ ord(c), body, 0):02X}"


def sentence(body: str) -> str:
    return f"${body}*{checksum(body)}"


def dm(value: float, lat: bool) -> tuple[str, str]:
    hemi = ("N" if value >= 0 else "S") if lat else ("E" if value >= 0 else "W")
    v = abs(value)
    deg = int(v)
    minutes = (v - deg) * 60
    return (f"{deg:02d}{minutes:07.4f}" if lat else f"{deg:03d}{minutes:07.4f}"), hemi


def main() -> None:
    rng = random.Random(134)
    lines = ["$GPTXT,01,01,02,u-blox ag - www.u-blox.com*50", "$GPTXT,01,01,02,HW  UBX-G70xx   00070000 *77"]
    lat, lon = START
    prns = ["02", "05", "07", "09", "13", "15", "18", "20", "24", "28", "30"]
    bias_n, bias_e = 0.0, 0.0  # slowly wandering error, as real GPS error is correlated over time
    for s in range(330):
        t = T0 + timedelta(seconds=s)
        hms = t.strftime("%H%M%S") + ".00"
        walking = not (120 <= s < 180)  # standing at the meter from 2:00 to 3:00
        if s >= 6 and walking:
            d = SPEED_MPS
            lat += d * math.cos(math.radians(HEADING_DEG)) / 111_320
            lon += d * math.sin(math.radians(HEADING_DEG)) / (111_320 * math.cos(math.radians(lat)))
        bias_n = 0.95 * bias_n + rng.gauss(0, 0.35)
        bias_e = 0.95 * bias_e + rng.gauss(0, 0.35)
        flat, flon = lat + bias_n / 111_320, lon + bias_e / (111_320 * math.cos(math.radians(lat)))
        if s == 150:  # multipath off the building across the street: one fix 35 m off
            flat += 35 / 111_320
        n_sats = 0 if s < 6 else max(5, min(11, 9 + int(rng.gauss(0, 1))))
        hdop = 99.99 if s < 6 else round(max(0.7, 0.9 + abs(rng.gauss(0, 0.35)) + (0.8 if 200 < s < 215 else 0)), 2)
        quality = 0 if s < 6 else (2 if s > 40 else 1)  # SBAS corrections arrive after 40 s
        la, ns = dm(flat, True)
        lo, ew = dm(flon, False)
        if quality:
            gga = sentence(f"GPGGA,{hms},{la},{ns},{lo},{ew},{quality},{n_sats:02d},{hdop},42.{rng.randint(0, 9)},M,-32.1,M,,")
            rmc = sentence(f"GPRMC,{hms},A,{la},{ns},{lo},{ew},{SPEED_MPS * 1.944 if walking else 0:.3f},{HEADING_DEG if walking else 0:.2f},{t:%d%m%y},,,{'D' if quality == 2 else 'A'}")
        else:
            gga = sentence(f"GPGGA,{hms},,,,,0,00,99.99,,,,,,")
            rmc = sentence(f"GPRMC,{hms},V,,,,,,,{t:%d%m%y},,,N")
        used = prns[:n_sats]
        gsa = sentence("GPGSA,A,{},{},{},{},{}".format(3 if quality else 1, ",".join(used + [""] * (12 - len(used))),
                                                     round(hdop * 1.6, 2) if quality else 99.99, hdop, round(hdop * 1.3, 2) if quality else 99.99))
        gsv = []
        for i in range(3):
            chunk = prns[i * 4 : i * 4 + 4]
            sats = ",".join(f"{p},{rng.randint(10, 80):02d},{rng.randint(0, 359):03d},{rng.randint(18, 45) if s >= 3 else ''}" for p in chunk)
            gsv.append(sentence(f"GPGSV,3,{i + 1},{len(prns):02d},{sats}"))
        epoch = [rmc, gsa, *gsv, gga]
        if quality:
            sigma = hdop * (1.0 if quality == 2 else 3.5)
            epoch.append(sentence(f"GPGST,{hms},{sigma * 1.2:.1f},{sigma * 0.9:.1f},{sigma * 0.7:.1f},35.0,{sigma * 0.8:.1f},{sigma * 0.75:.1f},{sigma * 1.5:.1f}"))
        if s == 2:  # garbage while the receiver still talked at another baud rate
            epoch.insert(0, "\x8f\xf3\x0b~\x1e\x9c\xc7\x01\xf0\x1a")
        if s == 75:  # buffer overrun: the GGA cut off mid-line
            epoch[-2] = epoch[-2][:38]
        if s == 230:  # a flipped bit: the checksum no longer matches
            epoch[-2] = epoch[-2].replace(",M,-32.1", ",M,-33.1")
        lines.extend(epoch)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="latin-1", newline="\r\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({len(lines)} lines)")


if __name__ == "__main__":
    main()
