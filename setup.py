"""Package discovery that pyproject.toml alone cannot express: every package under
eligibility/ and webapp/ (found, so a new sub-package cannot be forgotten), plus the two
top-level data folders installed as packages (rules/ -> eligibility.rules, locales/ ->
webapp.locales; their package-dir mapping and data globs are in pyproject.toml)."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["eligibility", "eligibility.*", "webapp", "webapp.*"])
      + ["eligibility.rules", "webapp.locales"])
