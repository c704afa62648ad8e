"""Settings come from the environment, parsed strictly, with messages that say what to fix."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest

from portal.env import env_bool, env_int, env_list, env_str, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on"])
def test_env_bool_reads_true_words(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off"])
def test_env_bool_reads_false_words(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is False


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_bool_defaults_when_unset_or_blank(monkeypatch, raw):
    monkeypatch.delenv("FLAG", raising=False)
    if raw is not None:
        monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is True
    assert env_bool("FLAG", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "truee"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=r"FLAG=.* is not a boolean: use true or false"):
        env_bool("FLAG", False)


def test_env_int_reads_a_number_and_defaults(monkeypatch):
    monkeypatch.setenv("PORT", " 2525 ")
    assert env_int("PORT", 25) == 2525
    monkeypatch.setenv("PORT", "")
    assert env_int("PORT", 25) == 25


@pytest.mark.parametrize("raw", ["abc", "1.5", "10 minutes"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("PORT", raw)
    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        env_int("PORT", 25)


def test_env_int_refuses_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "10")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE=10 must be at least 300"):
        env_int("SESSION_COOKIE_AGE", 3600, minimum=300)


def test_env_list_splits_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example,")
    assert env_list("HOSTS", ["x"]) == ["a.example", "b.example"]
    monkeypatch.setenv("HOSTS", "")
    assert env_list("HOSTS", ["x"]) == []
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", ["x"]) == ["x"]


def test_env_str_prefers_the_file_variant(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET", "from-the-env")
    monkeypatch.setenv("SECRET_FILE", str(secret))
    assert env_str("SECRET") == "from-a-file"
    monkeypatch.delenv("SECRET_FILE")
    assert env_str("SECRET") == "from-the-env"
    monkeypatch.delenv("SECRET")
    assert env_str("SECRET", "fallback") == "fallback"


def test_env_str_file_that_cannot_be_read_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_FILE=.*missing.* cannot be read"):
        env_str("SECRET")


def test_parse_postgres_url_with_every_part():
    config = parse_database_url("postgresql://app:p%40ss@db.internal:6432/portal?sslmode=require")
    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "app",
        "PASSWORD": "p@ss",
        "HOST": "db.internal",
        "PORT": "6432",
        "OPTIONS": {"sslmode": "require"},
    }


def test_parse_postgres_url_with_only_a_name_uses_the_local_socket():
    config = parse_database_url("postgres:///portal")
    assert (config["NAME"], config["HOST"], config["PORT"], config["USER"]) == (
        "portal",
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    "url, name",
    [("sqlite:///db.sqlite3", "db.sqlite3"), ("sqlite:////var/db.sqlite3", "/var/db.sqlite3")],
)
def test_parse_sqlite_url(url, name):
    parsed = parse_database_url(url)
    assert (parsed["ENGINE"], parsed["NAME"]) == ("django.db.backends.sqlite3", name)


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://u@h/db", "scheme 'mysql' is not supported"),
        ("", "scheme '' is not supported"),
        ("sqlite://", "sqlite needs a file"),
        ("postgres://u:secret@h:5432/", "needs a database name"),
        ("postgres://u:secret@h:notaport/db", "bad port"),
        ("postgres://u:secret@h:99999/db", "bad port"),
    ],
)
def test_parse_database_url_refuses_bad_urls_clearly(url, message):
    with pytest.raises(ImproperlyConfigured, match=message) as info:
        parse_database_url(url)
    assert "secret" not in str(info.value)


def load_settings(**env) -> subprocess.CompletedProcess:
    """Import portal.settings in a fresh interpreter with exactly ``env`` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    # portal.settings_test sets some of these in this process; the child starts clean.
    for name in (
        "DEBUG",
        "SECRET_KEY",
        "SECRET_KEY_FILE",
        "ALLOWED_HOSTS",
        "EMAIL_BACKEND",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    ):
        clean.pop(name, None)
    clean.update(env)
    code = (
        "import portal.settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, sep='|', end='|');"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DATABASES['default']['ENGINE'], sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_settings_are_safe_by_default():
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "False",
        "['portal.example']",
        "True",
        "True",
        "True",
        "31536000",
        "django.db.backends.sqlite3",
    ]


def test_a_missing_secret_key_stops_production():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false." in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("k" * 50)
    result = load_settings(SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps' is not a boolean"),
        ({"DATABASE_URL": "mysql://x/y"}, "scheme 'mysql' is not supported"),
        ({"CONN_MAX_AGE": "-1"}, "CONN_MAX_AGE=-1 must be at least 0"),
        ({"EMAIL_BACKEND": "pigeon"}, "EMAIL_BACKEND='pigeon' is not one of"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number"),
    ],
)
def test_bad_environment_values_stop_start_up_with_a_clear_message(env, message):
    result = load_settings(SECRET_KEY="x" * 50, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_development_mode_needs_no_secret_and_relaxes_https():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip().split("|")
    assert out[0] == "True"
    assert out[2:6] == ["False", "False", "False", "0"]
