import json

import pytest

from fieldtool.domain.errors import InputError, NotAllowed
from fieldtool.services import users
from fieldtool.services.context import AppContext
from tests.conftest import cli_json, run_cli


def test_add_and_log_in_checks_the_password():
    ctx = AppContext.open()
    users.add_user(ctx.vault, "ana", "installer", "s3cret-pw")
    assert users.log_in(ctx.vault, "ana", "s3cret-pw").role == "installer"
    with pytest.raises(NotAllowed):
        users.log_in(ctx.vault, "ana", "wrong-pw")
    with pytest.raises(NotAllowed):
        users.log_in(ctx.vault, "nobody", "s3cret-pw")
    with pytest.raises(InputError, match="role"):
        users.add_user(ctx.vault, "bo", "pilot", "s3cret-pw")
    ctx.close()


def test_users_cli_and_no_password_on_disk(fieldtool_home):
    assert cli_json("users", "add", "ana", "--role", "technician", input="bench-pass-123\n") == {
        "name": "ana", "role": "technician"}
    assert cli_json("users", "list") == [{"name": "ana", "role": "technician"}]
    r = run_cli("users", "add", "bo", "--role", "installer", "--json", input="123\n")
    assert r.returncode == 1 and "too short" in json.loads(r.stdout)["error"]
    for f in (fieldtool_home / "data").iterdir():
        assert b"bench-pass-123" not in f.read_bytes()
