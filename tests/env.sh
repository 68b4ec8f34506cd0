# Sourced by tests/run.sh and tests/wheel_route.sh from the repository root: where the real data and the local
# weights are (MEDFAST_DATA, default ../shared/data; MEDFAST_WEIGHTS, default ../shared/weights) and a fresh cache.
[ -z "${MEDFAST_DATA:-}" ] && [ -d ../shared/data ] && export MEDFAST_DATA=$(cd ../shared/data && pwd)
[ -z "${MEDFAST_WEIGHTS:-}" ] && [ -d ../shared/weights ] && export MEDFAST_WEIGHTS=$(cd ../shared/weights && pwd)
export MEDFAST_CACHE=${MEDFAST_CACHE:-$(mktemp -d)}   # a fresh cache: tests never depend on an old one
export MPLBACKEND=Agg PYTHONWARNINGS=ignore
