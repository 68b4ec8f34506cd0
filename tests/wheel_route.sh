#!/usr/bin/env bash
# The route of a user without a clone (Colab: `pip install "medfast @ git+URL"`, later `pip install medfast`): build
# the sdist and the wheel as pip and a release do, install the wheel into a fresh virtual environment outside the
# clone, and from a folder with no clone beside it run `medfast --help`, a tiny `medfast demo` and the first cells of
# the retina tutorial. Fails when the clone's copy of medfast (the editable install, PYTHONPATH, the working folder)
# is what runs instead of the installed wheel. Called by tests/run.sh; `bash tests/wheel_route.sh` runs it alone.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
source tests/env.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
say() { echo "wheel route: $*"; }

# 1. the sdist, and the wheel built from it, in an isolated environment with pyproject.toml's build requirements
#    (pypa's `build`, as pip does for a git URL), from a copy of the files git tracks (as a clone of the repository
#    has them): a clone's leftovers (an old medfast.egg-info's file list, build/) would hide a file left out
mkdir "$tmp/src"
git ls-files -z | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf - | tar -xf - -C "$tmp/src"
(cd "$tmp/src" && python -m build --outdir "$tmp/dist" . >"$tmp/build.log" 2>&1) || { cat "$tmp/build.log"; say "python -m build failed"; exit 1; }
whl=$(ls "$tmp"/dist/*.whl)
(cd "$tmp/src" && python - "$tmp/dist") <<'PY'
import sys, tarfile, zipfile
from pathlib import Path
dist = Path(sys.argv[1]); (whl,), (sd,) = dist.glob('*.whl'), dist.glob('*.tar.gz')
# every file git tracks in the package (modules, assets/cli.json, the demo sample): none left out by package-data
want = sorted(p.as_posix() for p in Path('medfast').rglob('*') if p.is_file() and '__pycache__' not in p.parts)
got = {'wheel': set(zipfile.ZipFile(whl).namelist()),
       'sdist': {n.split('/', 1)[1] for n in tarfile.open(sd).getnames() if '/' in n}}
miss = [f'{f} (not in the {k})' for k, names in got.items() for f in want if f not in names]
if miss: sys.exit('wheel route: the built package misses ' + ', '.join(miss) + ': add them to '
                  '[tool.setuptools.package-data] in pyproject.toml')
print(f'wheel route: {whl.name} and {sd.name} hold all {len(want)} files of medfast/')
PY

# 2. a fresh virtual environment outside the clone; --system-site-packages lets it use the torch, fastai, timm ...
#    already installed (as Colab has them) instead of downloading them again, so the wheel goes in with --no-deps.
#    --without-pip: the system's pip, run by the environment's python, installs into the environment.
python -m venv --system-site-packages --without-pip "$tmp/venv"
env -u PYTHONPATH "$tmp/venv/bin/python" -m pip install -q --no-deps --force-reinstall "$whl"
mkdir "$tmp/user"
user() { (cd "$tmp/user" && env -u PYTHONPATH PATH="$tmp/venv/bin:$PATH" "$@"); }   # a user's shell, no clone near
[ "$(user sh -c 'command -v medfast')" = "$tmp/venv/bin/medfast" ] || { say "medfast is not the environment's script"; exit 1; }
user medfast --help >/dev/null
# the system also has medfast installed (the clone, editable, through a setuptools import finder): the environment's
# copy must win, for the package, its assets and every medfast module imported
check_from_venv='
import sys
from pathlib import Path
def from_venv(what, p):
    p, venv = Path(p).resolve(), Path(sys.prefix).resolve()
    if not p.is_relative_to(venv): sys.exit(f"wheel route: {what} comes from {p}, not from the wheel installed in "
        f"{venv}: the clone (an editable install, PYTHONPATH or the working folder) shadows the installed package")
    if not p.is_file(): sys.exit(f"wheel route: {what} {p} is missing from the installed wheel")
def all_from_venv():
    for n, m in list(sys.modules.items()):
        if n.split(".")[0] == "medfast" and getattr(m, "__file__", None): from_venv(f"the module {n}", m.__file__)
'
user python -c "$check_from_venv
import medfast, medfast.launch   # both light: no torch yet
from_venv('medfast', medfast.__file__); from_venv('the CLI spec', medfast.launch.SPEC_FILE)
print('wheel route: import medfast ->', medfast.__file__)"

# 3. the demo, tiny: one epoch at 28 px without the small stem (its default: 30 epochs, small stem, ~4 minutes)
s=$(date +%s)
user medfast demo --out demo --epochs 1 --no-small-stem --n-boot 50 >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; say "medfast demo failed"; exit 1; }
say "medfast demo --epochs 1 --no-small-stem: $(( $(date +%s)-s ))s"

# 4. the retina tutorial as a Colab user runs it, up to its data cell (the first that calls read_items): its code
#    cells as plain Python, without the `!pip install` lines and `#| eval: false` cells; then, with medfast imported
#    (one process importing torch, not three), where the demo sample came from and what the demo wrote
s=$(date +%s)
user python - "$root/nbs/tutorials/retina.ipynb" <<PY
$check_from_venv
import json
nb, ns = json.loads(Path(sys.argv[1]).read_text()), {}
for i, c in enumerate(nb['cells']):
    src = ''.join(c['source'])
    if c['cell_type'] != 'code' or '#| eval: false' in src: continue
    code = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('!', '%')))
    exec(compile(code, f'retina.ipynb cell {i}', 'exec'), ns)
    if 'read_items(' in src: break
else: sys.exit('wheel route: retina.ipynb has no cell that calls read_items')
all_from_venv()
from medfast.core import demo_data, RUN_FILES
from_venv('the demo sample', demo_data())
for f in (RUN_FILES.metrics, RUN_FILES.report, RUN_FILES.predictions, RUN_FILES.model):
    if not (Path('demo')/f).exists(): sys.exit(f'wheel route: medfast demo wrote no demo/{f}')
PY
say "retina tutorial's first cells, the demo's files: $(( $(date +%s)-s ))s"
