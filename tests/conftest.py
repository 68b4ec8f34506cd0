"Shared fixtures: real data through MEDFAST_DATA / MEDFAST_WEIGHTS, and a helper that runs the `medfast` command."
import os, subprocess, sys
from pathlib import Path
import pytest

def _env_dir(var):
    p = os.environ.get(var)
    if not p or not Path(p).is_dir():
        pytest.fail(f"{var} must name a folder (e.g. `export {var}=../shared/{var.split('_')[1].lower()}`); got {p!r}")
    return Path(p)

@pytest.fixture(scope='session')
def data(): return _env_dir('MEDFAST_DATA')

@pytest.fixture(scope='session')
def weights(): return _env_dir('MEDFAST_WEIGHTS')

def run_medfast(*args, env=None, timeout=900, cwd=None):
    "Run the installed `medfast` console script (in the folder `cwd`, as a user would); returns the CompletedProcess (text output)."
    e = {**os.environ, 'MPLBACKEND': 'Agg', **(env or {})}
    return subprocess.run(['medfast', *map(str, args)], capture_output=True, text=True, env=e, timeout=timeout, cwd=cwd)

@pytest.fixture(scope='session')
def medfast(): return run_medfast
