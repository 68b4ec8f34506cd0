#!/usr/bin/env bash
# The whole medfast test suite: every notebook under nbdev-test, pytest over tests/, two checks that the notebooks are
# the source (exporting and cleaning them changes nothing), the docs build's notebook step, and the route without a
# clone (tests/wheel_route.sh).
# Ends with one line "N passed, M failed"; exits non-zero if anything failed.
# Real data: MEDFAST_DATA (default ../shared/data), local weights: MEDFAST_WEIGHTS (default ../shared/weights).
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
source tests/env.sh   # MEDFAST_DATA, MEDFAST_WEIGHTS, a fresh MEDFAST_CACHE
log=$(mktemp -d); passed=0; failed=0
ok()   { passed=$((passed+1)); echo "PASS  $1"; }
fail() { failed=$((failed+1)); echo "FAIL  $1"; }
t0=$(date +%s)

snap() { find "$@" -type f \( -name '*.py' -o -name '*.ipynb' \) -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z | xargs -0 md5sum; }

# 1. exporting the notebooks changes nothing under medfast/
before=$(snap medfast); nbdev-export >"$log/export" 2>&1; rc=$?; after=$(snap medfast)
if [ $rc -eq 0 ] && [ "$before" == "$after" ]; then ok "nbdev-export changes nothing under medfast/"
else fail "nbdev-export changes files under medfast/ (edit the notebooks, export, commit both)"; diff <(echo "$before") <(echo "$after"); cat "$log/export"; fi

# 2. nbdev-clean changes nothing
before=$(snap nbs); nbdev-clean >"$log/clean" 2>&1; rc=$?; after=$(snap nbs)
if [ $rc -eq 0 ] && [ "$before" == "$after" ]; then ok "nbdev-clean changes nothing"
else fail "nbdev-clean changes notebooks (run nbdev-clean and commit)"; diff <(echo "$before") <(echo "$after"); fi

# 3. the docs build's notebook step, nbdev-proc-nbs (into _proc/): it runs each notebook's imports, exported cells and
#    show_doc cells, so a cell that mixes an import with code needing earlier cells breaks the docs. Its parts are called
#    directly: the console command first installs Quarto with sudo when it is missing, a download CI need not make
#    (rendering, which needs Quarto, is .github/workflows/deploy.yaml's). It must change no file under nbs/ or medfast/
#    (nbs/sidebar.yml is written by hand: custom_sidebar in pyproject.toml).
snapall() { find nbs medfast -type f -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z | xargs -0 md5sum; }
before=$(snapall); s=$(date +%s)
python -c "from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar; from nbdev.serve import proc_nbs
refresh_quarto_yml(); nbdev_sidebar(); proc_nbs(force=True)" >"$log/proc" 2>&1; rc=$?; after=$(snapall)
if [ $rc -eq 0 ] && [ "$before" == "$after" ]; then ok "nbdev-proc-nbs: the docs' notebooks process ($(( $(date +%s)-s ))s)"
else fail "nbdev-proc-nbs ($(( $(date +%s)-s ))s): a notebook fails in the docs build (keep imports in cells of their own) or files under nbs/ changed"
  grep -v '^ ' "$log/proc" | tail -30; diff <(echo "$before") <(echo "$after"); fi

# 4. every notebook under nbdev-test, two at a time, one result per notebook
nbs=$(find nbs -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -name '_*' | sort)
# two notebooks at a time on 2 cores: one torch thread each (two threads each oversubscribe the cores, ~10x slower)
# Every tutorial must show no warning: MEDFAST_FAIL_ON_WARNINGS makes medfast.core.fail_on_warnings turn any warning
# (but medfast.core.WARNINGS_ALLOWED) into an error, which fails the tutorial at the cell that raised it, whatever
# PYTHONWARNINGS says.
printf '%s\n' $nbs | OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 xargs -P 2 -I{} sh -c 'n=$(basename {} .ipynb); s=$(date +%s)
  case "{}" in nbs/tutorials/*) export MEDFAST_FAIL_ON_WARNINGS=1;; esac
  nbdev-test "{}" >"$0/$n.log" 2>&1; echo "$? $(( $(date +%s)-s ))" >"$0/$n.rc"' "$log"
for nb in $nbs; do
  n=$(basename "$nb" .ipynb); read rc secs <"$log/$n.rc"
  if [ "$rc" -eq 0 ]; then ok "nbdev-test $nb (${secs}s)"; else fail "nbdev-test $nb (${secs}s)"; tail -40 "$log/$n.log"; fi
done

# 5. pytest over tests/, in two processes of one torch thread each (as the notebooks above): test_cli.py, the longest
#    file, beside all the others
pt() { OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python -m pytest "$@" -q -p no:cacheprovider 2>&1 | tail -25; }
pt tests/test_cli.py --junitxml="$log/junit1.xml" >"$log/pytest1" & pt tests --ignore=tests/test_cli.py --junitxml="$log/junit2.xml" >"$log/pytest2"; wait
cat "$log/pytest1" "$log/pytest2"
if [ -f "$log/junit1.xml" ] && [ -f "$log/junit2.xml" ]; then
  read p f < <(python - "$log/junit1.xml" "$log/junit2.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
from collections import Counter
tot, secs, count = Counter(), Counter(), Counter()   # each test file's time, to stderr (the caller reads stdout)
for fn in sys.argv[1:]:
    r = ET.parse(fn).getroot(); s = r if r.tag == 'testsuite' else r.find('testsuite')
    for k in ('tests', 'failures', 'errors', 'skipped'): tot[k] += int(s.get(k, 0))
    for c in s.iter('testcase'):
        parts = c.get('classname', '').split('.')   # tests.test_cli or tests.test_cli.TestClass
        f = '/'.join(parts[:next((i + 1 for i, p in enumerate(parts) if p.startswith('test_')), len(parts))]) + '.py'
        secs[f] += float(c.get('time', 0)); count[f] += 1
for f in sorted(secs): print(f"pytest {f}: {count[f]} tests, {secs[f]:.0f}s", file=sys.stderr)
bad = tot['failures'] + tot['errors'] + tot['skipped']   # a skipped test counts as failed: nothing may look green by skipping
print(tot['tests'] - bad, bad)
PY
)
  passed=$((passed+p)); failed=$((failed+f))
else fail "pytest did not run"; cat "$log/pytest1" "$log/pytest2"; fi

# 6. the route without a clone: the wheel built, installed in a fresh virtual environment, run outside the clone
s=$(date +%s)
if bash tests/wheel_route.sh >"$log/wheel" 2>&1; then ok "wheel route: build, install outside the clone, medfast demo, a tutorial ($(( $(date +%s)-s ))s)"
else fail "wheel route ($(( $(date +%s)-s ))s)"; tail -40 "$log/wheel"; fi

echo "total time $(( $(date +%s)-t0 ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
