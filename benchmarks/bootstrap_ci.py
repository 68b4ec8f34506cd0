"""Speed of `medfast.metrics.bootstrap_ci` (vectorised) against a plain loop calling scikit-learn per resample.

Simulated predictions of a K-class model (noisy probabilities favouring the true class), n items, n_boot
resamples (unstratified, the default); each timing is the best of --repeats runs. The loop baseline recomputes
`classification_metrics` (scikit-learn) on --loop-boot resamples and is scaled to n_boot.

Usage: python benchmarks/bootstrap_ci.py [--n 200 500 2000] [--k 2 5] [--n-boot 1000] [--repeats 3] [--loop-boot 50]
"""
import argparse, time, warnings
import numpy as np
from scipy.special import softmax
from medfast.metrics import bootstrap_ci, classification_metrics

def sim(n, k, seed=0):
    r = np.random.default_rng(seed)
    y = r.integers(0, k, n)
    return y, softmax(r.normal(size=(n, k)) + 1.5 * np.eye(k)[y], axis=1)

def best(f, repeats):
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return min(ts)

def loop(y, p, n_boot, seed=0):
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for _ in range(n_boot):
            i = np.concatenate([g[rng.integers(0, len(g), len(g))] for g in groups])
            classification_metrics(y[i], p[i])

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, nargs='+', default=[200, 500, 2000])
    ap.add_argument('--k', type=int, nargs='+', default=[2, 5])
    ap.add_argument('--n-boot', type=int, default=1000)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--loop-boot', type=int, default=50)
    a = ap.parse_args()
    print(f"{'K':>3} {'n':>6} {'no AUC (s)':>11} {'with AUC (s)':>13} {'sklearn loop (s, scaled)':>25}")
    for k in a.k:
        for n in a.n:
            y, p = sim(n, k)
            t0 = best(lambda: bootstrap_ci((y, p), n_boot=a.n_boot, auc=False), a.repeats)
            t1 = best(lambda: bootstrap_ci((y, p), n_boot=a.n_boot), a.repeats)
            tl = best(lambda: loop(y, p, a.loop_boot), 1) * a.n_boot / a.loop_boot
            print(f"{k:>3} {n:>6} {t0:>11.3f} {t1:>13.3f} {tl:>25.1f}")
