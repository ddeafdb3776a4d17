"""Retake the README's screenshots (docs/screenshots/*.png) in Chromium, on a freshly built demo.

Run from the repository: .venv/bin/python scripts/screenshots.py
It runs the pytest test tests/browser/test_screenshots.py (skipped otherwise) with the browser fixtures.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = dict(os.environ, MUTUALIS_ENV="test", MUTUALIS_SCREENSHOTS=str(ROOT / "docs" / "screenshots"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "tests/browser/test_screenshots.py"]
    return subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603 (a fixed command)


if __name__ == "__main__":
    sys.exit(main())
