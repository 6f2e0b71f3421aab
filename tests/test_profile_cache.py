"""Model profiles are parsed once for each state of their sources, and any change of a source is seen at once."""

from dataclasses import replace

import yaml

from core.models import get_profile, load_profiles, register_profile


def test_profiles_are_parsed_once_and_a_changed_file_or_variable_is_seen(tmp_path, monkeypatch):
    user = tmp_path / "models.yaml"
    monkeypatch.setenv("HIRELAB_MODELS", str(user))
    monkeypatch.delenv("HIRELAB_DEFAULT_PROFILE", raising=False)
    first, again = get_profile("rules"), get_profile("rules")
    assert first is again  # the same parse: nothing was read into new objects

    user.write_text(yaml.safe_dump({"profiles": {"mine": {"engine": "rules", "description": "one"}}}), encoding="utf-8")
    assert get_profile("mine").description == "one"
    user.write_text(yaml.safe_dump({"profiles": {"mine": {"engine": "rules", "description": "two"}}}), encoding="utf-8")
    assert get_profile("mine").description == "two"  # rewritten at once (same size, maybe the same mtime)

    register_profile(replace(get_profile("rules"), name="registered", description="fresh"), user)
    assert get_profile("registered").description == "fresh"

    monkeypatch.setenv("HIRELAB_PROFILE_MINE_DESCRIPTION", "from the environment")
    assert get_profile("mine").description == "from the environment"
    monkeypatch.setenv("HIRELAB_DEFAULT_PROFILE", "mine")
    assert load_profiles()[0] == "mine"
    monkeypatch.delenv("HIRELAB_DEFAULT_PROFILE")
    user.unlink()
    assert "mine" not in load_profiles()[1]


def test_a_caller_changing_its_dict_leaves_the_next_callers_profiles_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("HIRELAB_MODELS", str(tmp_path / "none.yaml"))
    _, profiles = load_profiles()
    profiles.pop("rules")
    assert "rules" in load_profiles()[1]
