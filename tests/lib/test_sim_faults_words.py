"""Every fault of the simulator is worded and grouped for the Settings page
(`lib.app.sim_admin.FAULT_GROUPS`): a new knob fails here until it has its label and group."""

from lib.app import sim_admin
from simulator.faults import Faults


def test_every_simulator_fault_has_words_and_one_group():
    names = list(Faults().to_dict())
    assert set(sim_admin.FAULTS) == set(names)
    placed = [f.name for _, faults in sim_admin.fault_groups(names) for f in faults]
    assert sorted(placed) == sorted(names)  # each once
    assert all(f.label and f.help for f in sim_admin.FAULTS.values())


def test_media_and_text_faults_sit_with_their_family():
    groups = {g.key: [f.name for f in fs] for g, fs in sim_admin.fault_groups(list(Faults().to_dict()))}
    assert groups["media"] == ["rate_429_media", "rate_503_media", "gateway_errors"]
    assert groups["text"] == ["rate_429_text", "rate_503_text"]
    assert "rate_429" in groups["music"] and "duplicate_callbacks" in groups["callbacks"]


def test_an_unknown_fault_is_listed_under_its_own_name():
    groups = sim_admin.fault_groups(["latency_ms", "new_knob"])
    assert [g.key for g, _ in groups] == ["all", "other"]
    assert groups[-1][1][0].label == "new knob"
