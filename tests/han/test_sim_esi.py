from fieldtool.protocols.han import se
from fieldtool.protocols.han.mmo import aes_mmo_hash
from firmware_sim.han import devices as d
from firmware_sim.han.esi import Esi


def _world():
    esi = Esi()
    for dev in d.demo_premises():
        esi.devices[dev.eui64] = dev
    return esi


def test_right_key_inside_the_window_joins_and_is_interviewed():
    esi = _world()
    pct = esi.devices["00137A0000A1B201"]
    esi.add_to_join_list(pct.eui64, aes_mmo_hash(pct.install_code), 600, now=0)
    esi.tick(1)
    assert pct.eui64 not in esi.table  # still associating (join delay)
    esi.tick(3)
    entry = esi.table[pct.eui64]
    assert entry.state == "interviewed" and entry.device_type == "pct" and entry.smart_energy
    assert se.Cluster.DRLC in entry.client_clusters and entry.lqi > 100


def test_wrong_key_and_closed_window_are_refused():
    esi = _world()
    pct = esi.devices["00137A0000A1B201"]
    esi.add_to_join_list(pct.eui64, bytes(16), 600, now=0)
    esi.tick(3)
    assert esi.table[pct.eui64].failure == "wrong_key"
    ihd = esi.devices["00137A0000A1B202"]
    esi.add_to_join_list(ihd.eui64, aes_mmo_hash(ihd.install_code), 60, now=0)
    ihd.pairing_mode = False
    esi.tick(30)
    ihd.pairing_mode = True
    esi.tick(61)
    assert esi.table[ihd.eui64].failure == "window_closed"


def test_load_control_is_acknowledged_with_report_event_status():
    esi = _world()
    lcs = esi.devices["00137A0000A1B203"]
    esi.add_to_join_list(lcs.eui64, aes_mmo_hash(lcs.install_code), 600, now=0)
    esi.tick(3)
    r = esi.send(lcs.eui64, se.LoadControlEvent(7, 0x0080, 1, 0, 30, 3), now=4)
    assert r.status == "acknowledged"
    _, ack = se.decode(se.Cluster.DRLC, bytes.fromhex(r.ack_hex))
    assert isinstance(ack, se.ReportEventStatus) and ack.issuer_event_id == 7 and ack.acknowledged


def test_sleepy_and_out_of_range_devices_do_not_acknowledge():
    esi = _world()
    sleepy = esi.devices["00137A0000A1B204"]
    sleepy.awake = True
    esi.add_to_join_list(sleepy.eui64, aes_mmo_hash(sleepy.install_code), 600, now=0)
    esi.tick(3)
    sleepy.awake = False
    assert esi.send(sleepy.eui64, se.DisplayMessage(1, 0x80, 0, 10, "hi"), now=3).status == "asleep"
    far = esi.devices["00137A0000A1B201"]
    esi.add_to_join_list(far.eui64, aes_mmo_hash(far.install_code), 600, now=0)
    esi.tick(3)
    far.distance_m = 400
    esi.tick(4)
    assert esi.send(far.eui64, se.LoadControlEvent(1, 1, 0, 0, 10, 1), now=4).status == "out_of_range"


def test_door_sensor_on_the_han_is_found_but_is_not_smart_energy():
    esi = Esi()
    door = d.demo_premises()[-1]
    esi.place_existing(door, now=0)
    entry = esi.table[door.eui64]
    assert entry.state == "interviewed" and not entry.smart_energy and entry.sleepy
    r = esi.send(door.eui64, se.LoadControlEvent(1, 1, 0, 0, 10, 1), now=1)
    assert r.status in ("asleep", "no_ack")


def test_crc_matches_the_published_vector():
    assert d.with_crc(bytes.fromhex("83FED3407A939723A5C639B26916D505")).hex().upper().endswith("C3B5")


def test_a_sleepy_device_takes_a_queued_message_when_it_polls():
    esi = _world()
    sleepy = esi.devices["00137A0000A1B204"]
    esi.place_existing(sleepy, now=0)
    r = esi.enqueue(sleepy.eui64, se.Cluster.MESSAGING, se.encode(se.DisplayMessage(5, 0x80, 0, 10, "hi"), 1), now=1)
    esi.tick(2)
    assert r.status == "waiting_for_poll"
    esi.tick(1 + sleepy.poll_every_s)
    assert r.status == "acknowledged"
    sleepy.poll_every_s = None  # a flat battery: it never polls again
    r2 = esi.enqueue(sleepy.eui64, se.Cluster.MESSAGING, se.encode(se.DisplayMessage(6, 0x80, 0, 10, "x"), 2), now=20)
    esi.tick(1000)
    assert r2.status == "waiting_for_poll"


def test_a_device_not_on_the_list_is_seen_and_a_window_without_a_join_closes():
    esi = _world()
    esi.tick(1)
    assert esi.table["00137A0000A1B202"].state == "seen"
    lcs = esi.devices["00137A0000A1B203"]
    lcs.pairing_mode = False
    esi.add_to_join_list(lcs.eui64, aes_mmo_hash(lcs.install_code), 60, now=2)
    esi.tick(63)
    assert esi.table[lcs.eui64].failure == "window_closed" and lcs.eui64 not in esi.join_list


def test_the_world_part_lists_the_premises_behind_every_meter(tmp_path):
    from firmware_sim.han import world_part

    out = world_part.start(type("Ctx", (), {"base_dir": tmp_path, "meters": 1})())
    kinds = {x["kind"]: x for x in out["devices"]}
    assert not kinds["door_sensor"]["smart_energy"] and kinds["in_home_display"]["install_code"].endswith("C3B5")
