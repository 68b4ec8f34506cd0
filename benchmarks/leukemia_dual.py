"""Single-input vs dual-input (original + HSV-segmented smear) on the leukemia subset, on the same split.

Trains MobileNetV2 (local ImageNet weights) twice with `medfast.run.train_run` -- once on the smears, once with the
`blast`-segmented smear as a second input (`segment='blast', dual=True`) -- with the same seed, so the same 60/20/20
stratified split, the same augmentation preset and the same recipe. Prints each run's test metrics with their 95%
bootstrap intervals, and a paired bootstrap of the difference (dual - single) on the shared test images.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/leukemia_dual.py --out /tmp/leuk [--size 224 --epochs 3]
"""
import argparse, json
from pathlib import Path
import numpy as np, pandas as pd
from medfast.core import data_dir, weights_file
from medfast.run import train_run
from medfast.metrics import load_preds, pred_classes

def paired_diff(a:pd.DataFrame, b:pd.DataFrame, n_boot:int=2000, seed:int=0) -> dict:
    "Paired bootstrap of (b - a) accuracy and balanced accuracy on the same rows (matched by path)."
    a, b = a.set_index('path'), b.set_index('path').loc[a.set_index('path').index]
    y = a['target'].to_numpy()
    ok_a, ok_b = (a['pred'] == a['target']).to_numpy(), (b['pred'] == b['target']).to_numpy()
    classes = pred_classes(a.reset_index())
    def bal(ok, idx): return np.mean([ok[idx][y[idx] == c].mean() for c in classes if (y[idx] == c).any()])
    rng = np.random.default_rng(seed)
    strata = [np.flatnonzero(y == c) for c in classes]
    draws = [np.concatenate([s[rng.integers(0, len(s), len(s))] for s in strata]) for _ in range(n_boot)]
    out = {}
    for name, f in [('accuracy', lambda ok, i: ok[i].mean()), ('balanced_accuracy', bal)]:
        full = np.arange(len(y))
        d = np.array([f(ok_b, i) - f(ok_a, i) for i in draws])
        out[name] = dict(diff=f(ok_b, full) - f(ok_a, full), low=np.percentile(d, 2.5), high=np.percentile(d, 97.5))
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--lr-find-iters', type=int, default=30)
    a = ap.parse_args()
    out, w = Path(a.out), weights_file('mobilenetv2_100')
    common = dict(arch='mobilenetv2_100', pretrained=str(w), size=a.size, epochs=a.epochs, valid_pct=0.2, test_pct=0.2,
                  aug='smear', seed=1, lr='valley', lr_find_iters=a.lr_find_iters, quiet=True)
    runs = {}
    for name, kw in [('single', {}), ('dual', dict(segment='blast', dual=True))]:
        if not (out/name/'summary.json').is_file(): train_run(data_dir('all_leukemia_subset'), out/name, **common, **kw)
        runs[name] = json.loads((out/name/'metrics.json').read_text())
        s = json.loads((out/name/'summary.json').read_text())
        ci = runs[name]['splits']['test']['ci']
        print(f"{name:6s} ({s['seconds']:.0f} s): " + ', '.join(
            f"{m} {ci[m]['estimate']:.3f} ({ci[m]['low']:.3f}-{ci[m]['high']:.3f})" for m in ('accuracy', 'balanced_accuracy', 'macro_f1', 'roc_auc_macro')))
    ps = {n: load_preds(out/n/'predictions.csv').query("split == 'test'") for n in runs}
    for m, r in paired_diff(ps['single'], ps['dual']).items():
        print(f"dual - single, test {m}: {r['diff']:+.3f} (paired bootstrap 95% CI {r['low']:+.3f} to {r['high']:+.3f})")
