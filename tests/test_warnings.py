"Quiet by default: importing medfast prints no warning, and a tutorial under test fails on an unexpected one."
import ast, json, os, subprocess, sys
from pathlib import Path

def _python(*args, env=None, cwd=None):
    "Run this Python with `args`, the environment without PYTHONWARNINGS (tests/run.sh sets it to ignore)."
    e = {k: v for k, v in os.environ.items() if k != 'PYTHONWARNINGS'} | (env or {})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=e, cwd=cwd, timeout=300)

def test_import_is_quiet():
    r = _python('-W', 'default', '-c', 'import medfast.all')
    assert r.returncode == 0, r.stderr
    assert 'Warning' not in r.stderr, r.stderr

_NOISY = ('fastai', 'timm')   # packages whose first import prints notices that medfast.core silences

def _first_import(fn:Path) -> str|None:
    "The first import of `fn` that is fastai, timm or another medfast module (`.name`), as written."
    for n in ast.parse(fn.read_text()).body:
        names = [a.name for a in n.names] if isinstance(n, ast.Import) else ['.' * n.level + (n.module or '')] if isinstance(n, ast.ImportFrom) else []
        for m in names:
            if m.startswith((*_NOISY, '.')): return m
    return None

def test_every_module_imports_core_first():
    "Each module imports `.core` before fastai, timm or another medfast module, so any one of them imported first is quiet."
    mods = [f for f in sorted(Path(medfast_dir()).glob('*.py')) if f.name not in ('__init__.py', '_modidx.py', 'core.py')]
    late = {f.name: m for f in mods if (m := _first_import(f)) not in (None, '.core')}
    assert not late, f"modules importing something before .core: {late}"
    r = _python('-W', 'default', '-c', 'import medfast.data')   # e.g. the data module alone: no notice
    assert r.returncode == 0 and 'Warning' not in r.stderr, r.stderr

def medfast_dir() -> Path:
    import medfast
    return Path(medfast.__file__).parent

def _notebook(fn:Path, *cells:str) -> Path:
    "A minimal notebook of code cells, as nbdev-test reads it."
    nb = dict(nbformat=4, nbformat_minor=5, metadata=dict(kernelspec=dict(name='python3', language='python', display_name='Python 3')),
              cells=[dict(cell_type='code', id=f'c{i}', metadata={}, execution_count=None, outputs=[], source=s) for i, s in enumerate(cells)])
    fn.write_text(json.dumps(nb)); return fn

_TEST_NB = "import sys; from nbdev.test import test_nb; ok, _ = test_nb(sys.argv[1], profile=False); sys.exit(0 if ok else 1)"

def test_tutorial_fails_on_a_warning(tmp_path):
    "MEDFAST_FAIL_ON_WARNINGS (set by tests/run.sh for the tutorials): a deliberate warning fails nbdev-test's run of the notebook."
    nb = _notebook(tmp_path/'warns.ipynb', 'from medfast.core import *', 'x = 1', "import warnings; warnings.warn('a deliberate notice')")
    r = _python('-c', _TEST_NB, str(nb), env={'MEDFAST_FAIL_ON_WARNINGS': '1'})
    assert r.returncode == 1, r.stderr[-2000:]
    assert 'While Executing Cell #3' in r.stderr and 'UserWarning: a deliberate notice' in r.stderr, r.stderr[-2000:]   # cells 1-2 passed
