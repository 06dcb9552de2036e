"""The writes of an installation over C12.18: install information (ST6 + installation record) and the
program load with read-back. Every write is read back and compared before it is reported as done."""

from __future__ import annotations

from fieldtool.devices import meter_api as api
from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.c1218.crc import crc16
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219 import procedures as sp
from fieldtool.protocols.c1219.standard import UtilInfo, encode_st6_field, st6_layout


def write_install_info(session, info: api.InstallInfo) -> dict:
    """ST6 service point and customer id (partial writes where the meter allows them), then the
    manufacturer installation record with what ST6 has no field for; both read back."""
    st0, fmt = session.st0, session.fmt
    written, notes = [], []
    st6_fields = {"service_point_id": info.service_point_id, "customer_id": info.customer_id}
    if fmt.id_form == 1:  # BCD ids hold digits only: a value with letters lives in the installation record alone
        for name in [n for n, v in st6_fields.items() if v and not v.isdigit()]:
            notes.append(f"ST6 keeps digits only (BCD), so the {name.replace('_', ' ')} {st6_fields.pop(name)!r} "
                         "is in the installation record only")
    if st0.writable(6) and st6_fields:
        layout = st6_layout(fmt)
        if st0.offset_access:
            for name, value in st6_fields.items():
                session.write_raw(6, encode_st6_field(name, value, fmt), offset=layout[name][0])
        else:
            current = UtilInfo.decode(session.read_raw(6), fmt)
            session.write_raw(6, current.with_fields(**st6_fields).encode(fmt))
        back = UtilInfo.decode(session.read_raw(6), fmt)
        for name, value in st6_fields.items():
            if getattr(back, name) != _as_meter_keeps(value, fmt, name):
                raise UserFacingError(f"The meter did not keep the {name.replace('_', ' ')} written to ST6.",
                                      hint="Write the installation information again.")  # fmt: skip
        written.append("ST6")
    record = {
        "service_point_id": info.service_point_id, "work_order_id": info.work_order_id,
        "removed_meter_id": info.removed_meter_id,
        # thousandths of a register unit: exact for any 6-dial register, whatever the meter's NI format
        "removed_final_read_milli": round((info.removed_final_read or 0.0) * 1000),
        "installer_id": info.installer_id, "installed_at": info.installed_at or session.ctx.clock.now(),
        "latitude_e7": round((info.latitude or 0.0) * 1e7), "longitude_e7": round((info.longitude or 0.0) * 1e7),
        "customer_id": info.customer_id,
    }  # fmt: skip
    table = session.mfg_table("install_record")
    raw = mfg.encode("install_record", record, fmt)
    session.write_raw(table, raw)
    if session.read_raw(table)[: len(raw)] != raw:
        raise UserFacingError("The meter's installation record does not read back as written.",
                              hint="Write the installation information again.")  # fmt: skip
    written.append(f"MT{table - 2048}")
    return {"written": written, "verified": True, "notes": notes, "record": {k: v for k, v in record.items() if k != "installed_at"}
            | {"installed_at": record["installed_at"].isoformat()}}  # fmt: skip


def _as_meter_keeps(value: str, fmt, name: str) -> str:
    raw = encode_st6_field(name, value, fmt)
    return fmt.ident(raw)


def program_image(program: dict, fmt) -> bytes:
    """The program-load table image with its CRC-16 (computed over the image with the CRC field zeroed)."""
    values = {**program, "program_crc": 0}
    image = mfg.encode("program_load", values, fmt)
    crc = crc16(image)
    return mfg.encode("program_load", {**values, "program_crc": crc}, fmt)


def load_program(session, program: dict) -> api.ProgramResult:
    """Write the program image, activate it (manufacturer procedure), read the program id back."""
    fmt = session.fmt
    image = program_image(program, fmt)
    crc = fmt.uint(image[16:18])
    session.ctx.progress("program: write", 0.5)
    session.write_raw(session.mfg_table("program_load"), image)
    session.ctx.progress("program: activate", 0.7)
    session.procedure(sp.ProcedureInitiate(mfg.MP_ACTIVATE_PROGRAM, session.next_seq(), mfg=True))
    session.ctx.progress("program: read back", 0.9)
    back = session.read_mfg("program_id")
    verified = back["program_id"] == program["program_id"] and back["program_crc"] == crc
    if not verified:
        raise UserFacingError(
            f"The meter reports program {back['program_id']!r} after loading {program['program_id']!r}.",
            hint="Load the program again; if it repeats, the meter refuses this program.",
        )
    return api.ProgramResult(program["program_id"], back["program_id"], back["loaded_at"], True)
