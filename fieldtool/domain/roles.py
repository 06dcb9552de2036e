"""Who may do what. Each person logs in locally with one role; the role decides what is shown and allowed."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INSTALLER = "installer"
    TECHNICIAN = "technician"  # meter shop: bench mode
    WAREHOUSE = "warehouse"  # warehouse and district staff: custody scans
    CSR = "csr"  # customer representative: HAN provisioning after installation
    PLANNER = "planner"
    SUPERVISOR = "supervisor"  # everything an installer does, plus overrides


class Capability(StrEnum):
    JOBS = "jobs"  # see and work today's jobs, run exchanges
    OVERRIDE = "override"  # override a blocking finding
    BENCH = "bench"
    CUSTODY = "custody"
    HAN = "han"
    PLAN = "plan"
    SYNC = "sync"


GRANTS: dict[Role, frozenset[Capability]] = {
    Role.INSTALLER: frozenset({Capability.JOBS, Capability.CUSTODY, Capability.HAN, Capability.SYNC}),
    Role.SUPERVISOR: frozenset(
        {Capability.JOBS, Capability.OVERRIDE, Capability.CUSTODY, Capability.HAN, Capability.SYNC}
    ),
    Role.TECHNICIAN: frozenset({Capability.BENCH, Capability.CUSTODY, Capability.SYNC}),
    Role.WAREHOUSE: frozenset({Capability.CUSTODY, Capability.SYNC}),
    Role.CSR: frozenset({Capability.HAN, Capability.SYNC}),
    Role.PLANNER: frozenset({Capability.PLAN, Capability.CUSTODY, Capability.SYNC}),
}


def can(role: Role | str, capability: Capability | str) -> bool:
    return Capability(capability) in GRANTS[Role(role)]
