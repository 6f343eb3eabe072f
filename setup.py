"""What the wheel holds; everything else about the build is in pyproject.toml.

The `assistant` package with every subpackage under it, and the checkout's top-level `corpus/` folder shipped
as the data-only package `assistant._corpus`, so an installed copy finds its rule packs, notes and document
registry (see `assistant.settings.default_corpus_dir`). pyproject's `[tool.setuptools]` table cannot both
discover packages and map one onto a folder outside `assistant/`, hence this file. An editable install maps
`assistant._corpus` onto the checkout's `corpus/` itself, so nothing is copied there.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent
CORPUS = "assistant._corpus"
corpus = [CORPUS, *(f"{CORPUS}.{name}" for name in find_namespace_packages(where=str(HERE / "corpus")))]

setup(
    packages=[*find_namespace_packages(where=str(HERE), include=["assistant", "assistant.*"]), *corpus],
    package_dir={CORPUS: "corpus"},
    # Every file in a package folder ships (py.typed, the corpus, message catalogues...), Python source as modules.
    package_data={"": ["*"]},
    exclude_package_data={"": ["*.py", "*.pyc"]},
)
