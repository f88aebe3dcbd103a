"""`pip install .` gives a working app: the wheel holds every package and data file of the
source tree, and, installed into a fresh venv (no system site-packages, so neither this
checkout nor an editable install can stand in for it), it runs a journey and the API from
a directory outside the source tree.

Slow-ish (builds a wheel, creates a venv): `-m "not packaging"` deselects it.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
WALKER = ROOT / "tests" / "serving" / "walker.py"


def expected_files():
    """Installed name -> source file, for everything the app needs at run time."""
    out = {}
    for package in ("eligibility", "webapp"):
        for path in (ROOT / package).rglob("*.py"):
            out[str(path.relative_to(ROOT))] = path
    for folder in ("templates", "static"):
        for path in (ROOT / "webapp" / folder).rglob("*"):
            if path.is_file():
                out[str(path.relative_to(ROOT))] = path
    for path in (ROOT / "rules").rglob("*"):
        if path.is_file():
            out["eligibility/rules/" + str(path.relative_to(ROOT / "rules"))] = path
    for path in (ROOT / "locales").rglob("*.mo"):
        out["webapp/locales/" + str(path.relative_to(ROOT / "locales"))] = path
    return out


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    # From a clean copy: a build/ left in the checkout would be packed as it is and hide a
    # package missing from the configuration.
    source = tmp_path_factory.mktemp("source") / "project"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".venv", "test-results", ".hypothesis"))
    # Build isolation fetches the build backend pyproject.toml asks for, as a fresh machine would.
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(source)])
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_holds_every_package_template_static_rule_and_catalogue(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(name for name in expected_files() if name not in names)
    assert not missing, f"not in the wheel: {missing[:20]}"
    assert not [n for n in names if n.startswith("tests/")]


APP_SCRIPT = """
import json, sys, tempfile, webapp, eligibility
sys.path.insert(0, {walker_dir!r})
from walker import FlaskBrowser, walk, statuses
from webapp import create_app
app = create_app({{"SECRET_KEY": "packaging-test"}})
page, asked = walk(FlaskBrowser(app.test_client()), "230100")
check = app.test_client().post("/api/v1/check", json={{"region": "230100", "as_of": "2024-06-01",
                                                      "answers": {{"age": 8, "has_certificate": True}}}})
print(json.dumps({{"webapp": webapp.__file__, "eligibility": eligibility.__file__, "asked": asked,
                  "results": statuses(page), "check_status": check.status_code,
                  "check": check.get_json()}}))
"""


def test_the_installed_wheel_runs_a_journey_and_the_api_outside_the_source_tree(wheel, tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    # The project's dependencies as wheels (pip's cache makes this quick), then an offline install.
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(wheelhouse), str(wheel)])
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(wheelhouse),
         "disability-benefit-checker"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = elsewhere / "journey.py"
    script.write_text(textwrap.dedent(APP_SCRIPT.format(walker_dir=str(WALKER.parent))))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SECRET_KEY", "RULES_DIR"))}
    result = run([str(python), str(script)], cwd=elsewhere, env=env)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for module in ("webapp", "eligibility"):
        assert Path(report[module]).is_relative_to(venv), f"{module} came from {report[module]}, not the venv"
    assert report["asked"] and report["results"]["living_subsidy"] == "eligible"
    assert report["check_status"] == 200
    results = {r["benefit"]: r["status"] for r in report["check"]["results"]}
    assert results["child_rehab"] in ("eligible", "undetermined"), results
    # the console script is installed too
    run([str(venv / "bin" / "eligibility"), "validate"], cwd=elsewhere, env=env)
