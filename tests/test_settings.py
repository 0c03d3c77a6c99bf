"""Settings read the environment strictly: each test starts a fresh Python process with the
environment set, as the service would start, and reads the message it stops with."""

import os
import subprocess
import sys
from pathlib import Path

# Variables these tests set; removed from the inherited environment so each test starts
# from the defaults.
NAMES = (
    "DEBUG",
    "EMAIL_PORT",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "HOMEWARD_AUDIT_KEY",
    "HOMEWARD_AUDIT_KEY_FILE",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_PASSWORD_FILE",
    "DATABASE_PASSWORD",
    "DATABASE_PASSWORD_FILE",
)


def start(code: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a new process, then run ``code`` (which may print settings)."""
    environment = {k: v for k, v in os.environ.items() if k not in NAMES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"from homeward import settings\n{code}"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_bad_boolean_stops_start_up_naming_the_variable() -> None:
    result = start(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of 1, true, yes, on, 0, false, no, off: 'maybe'" in result.stderr


def test_a_boolean_reads_each_spelling() -> None:
    result = start("print(settings.DEBUG)", DEBUG=" Off ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert start("print(settings.DEBUG)", DEBUG="YES").stdout.strip() == "True"


def test_a_bad_number_stops_start_up_naming_the_variable() -> None:
    result = start(EMAIL_PORT="twenty-five")
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number, at least 1: 'twenty-five'" in result.stderr


def test_a_secret_is_read_from_its_file(tmp_path: Path) -> None:
    secret = tmp_path / "audit-key"
    secret.write_text("  a-key-from-a-mounted-file-of-32-chars  \n", encoding="utf-8")
    result = start("print(settings.HOMEWARD_AUDIT_KEY)", HOMEWARD_AUDIT_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-key-from-a-mounted-file-of-32-chars"


def test_a_database_password_from_its_file_goes_into_the_connection(tmp_path: Path) -> None:
    secret = tmp_path / "db-password"
    secret.write_text("s3cret\n", encoding="utf-8")
    result = start(
        "print(settings.DATABASES['default']['PASSWORD'])",
        DATABASE_URL="postgres://homeward@127.0.0.1:5432/homeward",
        DATABASE_PASSWORD_FILE=str(secret),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "s3cret"


def test_a_secret_and_its_file_both_set_stops_start_up(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("from-the-file", encoding="utf-8")
    result = start(EMAIL_HOST_PASSWORD="inline", EMAIL_HOST_PASSWORD_FILE=str(secret))
    assert result.returncode != 0
    assert "Set EMAIL_HOST_PASSWORD or EMAIL_HOST_PASSWORD_FILE, not both" in result.stderr


def test_a_missing_secret_file_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file"
    result = start(SECRET_KEY_FILE=str(missing))
    assert result.returncode != 0
    assert "SECRET_KEY_FILE names a file that cannot be read (FileNotFoundError)" in result.stderr
    assert str(missing) in result.stderr
