"""README.md is `nbs/index.ipynb` (nbdev-readme needs Quarto, which CI lacks, so both are edited together): this test
fails when one of them changes without the other."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _norm(s:str) -> str: return ' '.join(s.split())

def _cells() -> list:
    "The sources of the notebook's shown cells (no hidden or directive-only code cells)."
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    return [''.join(c['source']) for c in nb['cells'] if not (c['cell_type'] == 'code' and ''.join(c['source']).lstrip().startswith('#|'))]

def test_every_notebook_cell_is_in_the_readme():
    readme = _norm((ROOT/'README.md').read_text())
    for src in _cells(): assert _norm(src) in readme, f"nbs/index.ipynb cell not in README.md: {src[:120]!r}"

def test_every_readme_paragraph_is_in_the_notebook():
    nb = _norm('\n'.join(_cells()))
    for block in (ROOT/'README.md').read_text().split('\n\n'):
        text = _norm('\n'.join(l for l in block.splitlines() if not l.startswith('```')))   # a code cell's fences are the README's
        if text: assert text in nb, f"README.md paragraph not in nbs/index.ipynb: {text[:120]!r}"
