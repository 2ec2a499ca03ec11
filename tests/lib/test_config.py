"""Settings: env over secrets over defaults; dialect guess; simulator fallback; key never shown."""

import dataclasses
import sys
import types

import pytest

from lib import settings
from lib.settings import Settings, load_settings
from lib.provider.redaction import deep_redact, mask_callback_secret, redact_headers, redact_text

KEY = "sk-live-1234567890abcdef"


def test_defaults_without_key_use_the_simulator():
    s = load_settings(env={}, secrets={})
    assert s.use_simulator is True
    assert s.api_key is None
    assert s.db_path == "data/songbench.db"
    assert s.assets_dir == "data/assets"
    assert s.upload_base_url == "https://sunoapiorg.redpandaai.co"
    assert s.dialect == "sunoapi"
    assert s.public_url is None


def test_env_values_are_read():
    env = {
        "SONGBENCH_API_BASE_URL": "https://api.sunoapi.org/",
        "SONGBENCH_API_KEY": KEY,
        "SONGBENCH_DB": "/tmp/x.db",
        "SONGBENCH_PUBLIC_URL": "https://bench.example.org/",
        "SONGBENCH_UPLOAD_BASE_URL": "https://upload.example.org",
        "SONGBENCH_ASSETS_DIR": "/tmp/assets",
    }
    s = load_settings(env=env, secrets={})
    assert s.base_url == "https://api.sunoapi.org"  # trailing slash stripped
    assert s.api_key == KEY and s.use_simulator is False
    assert s.db_path == "/tmp/x.db"
    assert s.public_url == "https://bench.example.org"
    assert s.upload_base_url == "https://upload.example.org"
    assert s.assets_dir == "/tmp/assets"


@pytest.mark.parametrize("url,dialect", [
    ("https://gateway.api.anyint.ai", "anyint"),
    ("https://api.anyint.ai/", "anyint"),
    ("https://api.sunoapi.org", "sunoapi"),
    ("https://api.kie.ai", "sunoapi"),
    ("http://127.0.0.1:8787", "sunoapi"),
])
def test_dialect_is_guessed_from_the_host(url, dialect):
    assert load_settings(env={"SONGBENCH_API_BASE_URL": url}, secrets={}).dialect == dialect


def test_explicit_dialect_wins_and_is_checked():
    env = {"SONGBENCH_API_BASE_URL": "https://gateway.api.anyint.ai",
           "SONGBENCH_API_DIALECT": "SunoAPI"}
    assert load_settings(env=env, secrets={}).dialect == "sunoapi"
    with pytest.raises(ValueError, match="SONGBENCH_API_DIALECT"):
        load_settings(env={"SONGBENCH_API_DIALECT": "openai"}, secrets={})


def test_env_wins_over_secrets_and_secrets_fill_gaps():
    secrets = {"SONGBENCH_API_KEY": "from-secrets", "SONGBENCH_DB": "secrets.db"}
    s = load_settings(env={"SONGBENCH_API_KEY": KEY}, secrets=secrets)
    assert s.api_key == KEY
    assert s.db_path == "secrets.db"


def test_blank_values_count_as_unset():
    s = load_settings(env={"SONGBENCH_API_KEY": "  ", "SONGBENCH_DB": ""},
                      secrets={"SONGBENCH_API_KEY": KEY})
    assert s.api_key == KEY
    assert s.db_path == "data/songbench.db"


class _RaisingSecrets:
    """Mimics st.secrets without a secrets file: every access raises."""

    def __iter__(self):
        raise FileNotFoundError("No secrets found")

    def __getitem__(self, key):
        raise FileNotFoundError("No secrets found")


def test_missing_streamlit_secrets_file_is_tolerated(monkeypatch):
    monkeypatch.setitem(sys.modules, "streamlit", types.SimpleNamespace(secrets=_RaisingSecrets()))
    assert settings.streamlit_secrets() == {}
    assert load_settings(env={}).use_simulator is True


def test_streamlit_secrets_are_read_when_secrets_is_none(monkeypatch):
    fake = types.SimpleNamespace(secrets={"SONGBENCH_API_KEY": KEY, "SONGBENCH_DB": "s.db"})
    monkeypatch.setitem(sys.modules, "streamlit", fake)
    s = load_settings(env={"SONGBENCH_DB": "env.db"})
    assert s.api_key == KEY and s.use_simulator is False
    assert s.db_path == "env.db"  # env wins


@pytest.fixture
def real_secrets(monkeypatch, tmp_path):
    """Streamlit's own `st.secrets`, fresh, reading only `tmp_path/.streamlit/secrets.toml`."""
    import streamlit
    from streamlit import config as st_config
    from streamlit.runtime.secrets import Secrets

    path = tmp_path / ".streamlit" / "secrets.toml"
    before = st_config.get_option("secrets.files")
    st_config.set_option("secrets.files", [str(path)])
    fresh = Secrets()
    monkeypatch.setattr(streamlit, "secrets", fresh)
    for name in ("SONGBENCH_API_KEY", "SONGBENCH_DB"):  # Streamlit copies root-level secrets
        monkeypatch.setenv(name, "")  # into os.environ: restored after the test
    yield path
    fresh._reset()
    st_config.set_option("secrets.files", before)


def test_real_streamlit_without_secrets_file_gives_no_secrets(real_secrets):
    assert not real_secrets.exists()
    assert settings.streamlit_secrets() == {}
    assert load_settings(env={}).db_path == settings.DEFAULT_DB


def test_real_streamlit_secrets_file_is_read(real_secrets):
    real_secrets.parent.mkdir()
    real_secrets.write_text(f'SONGBENCH_API_KEY = "{KEY}"\nSONGBENCH_DB = "from-secrets.db"\n')
    assert settings.streamlit_secrets() == {"SONGBENCH_API_KEY": KEY, "SONGBENCH_DB": "from-secrets.db"}
    s = load_settings(env={})
    assert (s.api_key, s.db_path, s.use_simulator) == (KEY, "from-secrets.db", False)


def test_key_is_not_in_repr():
    s = load_settings(env={"SONGBENCH_API_KEY": KEY}, secrets={})
    assert KEY not in repr(s) and KEY not in str(s)


def test_settings_is_frozen_and_with_base_url_copies():
    s = load_settings(env={"SONGBENCH_API_KEY": KEY}, secrets={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.base_url = "x"  # type: ignore[misc]
    t = s.with_base_url("http://127.0.0.1:9999/")
    assert t.base_url == "http://127.0.0.1:9999"
    assert t.upload_base_url == "http://127.0.0.1:9999"
    assert t.api_key == KEY and s.base_url == "https://api.sunoapi.org"


def test_redact_replaces_the_key_everywhere():
    s = Settings(base_url="https://x", api_key=KEY)
    assert redact_text(f"Bearer {KEY} and again {KEY}", s.api_key) == "Bearer *** and again ***"
    assert redact_text("nothing here", s.api_key) == "nothing here"
    assert redact_text("text", None) == "text"
    assert deep_redact({"a": [KEY, {"b": f"x{KEY}"}], "n": 3}, KEY) == {"a": ["***", {"b": "x***"}],
                                                                     "n": 3}


def test_one_rule_for_headers_and_the_callback_secret():
    headers = {"Authorization": f"Bearer {KEY}", "X-Api-Key": KEY, "Cookie": "s=1",
               "Content-Type": "application/json"}
    assert redact_headers(headers) == {"Authorization": "Bearer ***", "X-Api-Key": "***",
                                       "Cookie": "***", "Content-Type": "application/json"}
    assert redact_headers(None) is None
    assert mask_callback_secret("https://me/api/callbacks/AbC-12_x/more") == \
        "https://me/api/callbacks/***/more"


@pytest.mark.parametrize("url", ["postgresql://sb:hunter2@127.0.0.1:5432/songbench",
                                 "postgres://sb@db/x", "mysql://root@localhost/sb"])
def test_a_database_url_that_is_not_sqlite_stops_the_start(url, tmp_path, monkeypatch):
    """It was taken for a file name: a folder ``postgresql:`` and a SQLite file in it."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError) as err:
        load_settings(env={"SONGBENCH_DB": url}, secrets={})
    text = str(err.value)
    assert "SONGBENCH_DB" in text and "SQLite" in text and "sqlite:///" in text
    assert url.split("://")[0] + "://" in text
    assert "hunter2" not in text and "127.0.0.1" not in text       # a URL may carry a password
    assert not any(tmp_path.iterdir())                              # nothing was made


@pytest.mark.parametrize(("value", "path"), [("data/x.db", "data/x.db"),
                                             ("sqlite:///data/x.db", "data/x.db"),
                                             ("sqlite:////tmp/x.db", "/tmp/x.db")])
def test_sqlite_paths_and_urls_are_honoured(value, path):
    assert load_settings(env={"SONGBENCH_DB": value}, secrets={}).db_path == path


@pytest.mark.parametrize("name", ["SONGBENCH_API_BASE_URL", "SONGBENCH_PUBLIC_URL",
                                  "SONGBENCH_UPLOAD_BASE_URL"])
@pytest.mark.parametrize("value", ["api.sunoapi.org", "ftp://host/x", "http://"])
def test_a_url_setting_that_is_not_http_is_refused_by_name(name, value):
    with pytest.raises(ValueError, match=name):
        load_settings(env={name: value}, secrets={})


@pytest.mark.parametrize(("name", "value"), [("SONGBENCH_SIM_SPEED", "fast"),
                                             ("SONGBENCH_SIM_SPEED", "0"),
                                             ("SONGBENCH_SIM_CREDITS", "1.5"),
                                             ("SONGBENCH_SIM_TRACK_SECONDS", "nan"),
                                             ("SONGBENCH_SIM_PORT", "70000")])
def test_a_simulator_number_that_cannot_be_honoured_is_refused(name, value, monkeypatch):
    from lib.app import embedded

    monkeypatch.setenv(name, value)
    s = load_settings(env={}, secrets={})
    with pytest.raises(ValueError, match=name):
        if name == "SONGBENCH_SIM_PORT":
            embedded.sim_number(name, "0", int, low=0, high=65535)
        else:
            embedded.simulator_config(s)
