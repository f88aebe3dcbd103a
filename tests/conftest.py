import shutil
import textwrap
from pathlib import Path

import pytest

from eligibility import Checker, RuleBook

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEED_REGIONS = ("230100", "231081", "610103", "330100", "371503")


@pytest.fixture(scope="session")
def book():
    return RuleBook.load(RULES)


@pytest.fixture(scope="session")
def checker(book):
    return Checker(book)


@pytest.fixture(scope="session")
def app():
    from webapp import create_app
    # Tests send thousands of API requests from one address: no rate limit here (test_ratelimit has one).
    return create_app({"TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


class RulesFolder:
    """A small rules/ tree in a temp dir: the real facts and sources, plus the files a test writes."""

    def __init__(self, path):
        self.path = path
        shutil.copy(RULES / "facts.yaml", path / "facts.yaml")
        shutil.copytree(RULES / "sources", path / "sources")
        self.write("regions/000000-national/region.yaml", 'code: "000000"\nname: 全国\nlevel: national\n')

    def write(self, name, text):
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return target

    def region(self, folder, code, name, parent, level="city"):
        self.write(f"regions/{folder}/region.yaml", f'code: "{code}"\nname: {name}\nparent: "{parent}"\nlevel: {level}\n')

    def load(self):
        return RuleBook.load(self.path)


@pytest.fixture
def rules_folder(tmp_path):
    return RulesFolder(tmp_path)


@pytest.fixture
def simple_benefit():
    """A valid benefit file; format with id=..."""
    return textwrap.dedent(SIMPLE_BENEFIT).lstrip("\n")


SIMPLE_BENEFIT = """
    id: {id}
    name: 测试补贴
    category: subsidy
    policy_status: in_force
    summary: 测试用。
    conditions:
      all:
        - {{id: age_range, fact: age, op: between, value: [0, 6], text: 年龄在0—6岁}}
        - {{id: certificate, fact: has_certificate, op: "==", value: true, text: 持有残疾人证}}
    apply: {{agency: 县级残联}}
    sources:
      - {{document: 测试文件, title: 测试}}
"""
