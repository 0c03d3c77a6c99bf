import shutil
import subprocess
import sys
from pathlib import Path


def test_homeward_is_the_installed_command_line() -> None:
    exe = shutil.which("homeward") or str(Path(sys.executable).with_name("homeward"))
    result = subprocess.run([exe, "help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "migrate" in result.stdout
    assert "demo" in result.stdout
