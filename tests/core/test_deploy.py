import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

EXE = str(Path(sys.executable).with_name("homeward"))


def production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "HOMEWARD_AUDIT_KEY"}
    }
    env.update(
        HOMEWARD_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="homeward.example",
        HOMEWARD_AUDIT_KEY=secrets.token_urlsafe(32),
        **extra,
    )
    return env


def test_check_deploy_is_clean_in_production_settings() -> None:
    if not (Path(__file__).parents[2] / "homeward" / "static" / "dist").is_dir():
        pytest.fail("Front-end assets are not built: run `make static` (make test does)")
    result = subprocess.run(
        [EXE, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [EXE, "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get("/healthz")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_production_refuses_to_start_without_an_audit_key() -> None:
    for missing in ({}, {"HOMEWARD_AUDIT_KEY": "too-short"}):
        env = production_env()
        del env["HOMEWARD_AUDIT_KEY"]
        env.update(missing)
        result = subprocess.run(
            [EXE, "check"], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode != 0
        assert "HOMEWARD_AUDIT_KEY" in result.stderr


def test_the_audit_key_may_come_from_a_file(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(32)
    (tmp_path / "audit-key").write_text(key + "\n")
    env = production_env(HOMEWARD_AUDIT_KEY_FILE=str(tmp_path / "audit-key"))
    del env["HOMEWARD_AUDIT_KEY"]
    result = subprocess.run(
        [
            EXE,
            "shell",
            "-c",
            "from django.conf import settings; import hashlib; "
            "print(hashlib.sha256(settings.HOMEWARD_AUDIT_KEY.encode()).hexdigest())",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == hashlib.sha256(key.encode()).hexdigest()
