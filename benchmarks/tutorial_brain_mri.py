"""The brain-MRI tutorial (`nbs/tutorials/brain_mri.ipynb`) at real size: the thesis's recipe (frozen body, its dense head
`--head brain`, Adam at a constant 1e-3, 30 epochs, 224 px) with MobileNetV2 from its local ImageNet weights, since VGG19's
weights cannot be downloaded here (with internet, pass --arch vgg19 --pretrained imagenet).

Two runs, one after the other: the thesis's split (80/20 at random, identical files free to fall on both sides: the
validation accuracy the thesis would have reported) and medfast's (60/20/20, identical files kept together, a test split
that only reports). Prints validation and test accuracy and AUC with their 95% intervals, the leaked duplicate groups,
the Youden threshold, and the wall time of each run.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/tutorial_brain_mri.py --out /tmp/tut_brain [--epochs 30]
"""
import argparse, json, time
from pathlib import Path
import pandas as pd
from medfast.core import data_dir, weights_file
from medfast.metrics import fmt_ci
from medfast.data import read_items, split_items, audit_splits
from medfast.run import train_run

def _fig(m, split, metric):
    "'estimate (low-high)' of `metric` on `split` from a run's metrics.json."
    c = m['splits'][split]['ci'][metric]
    return fmt_ci(c['estimate'], c['low'], c['high'])

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--arch', default='mobilenetv2_100')
    ap.add_argument('--pretrained', default=None, help="default: the local weights file of --arch")
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    weights = a.pretrained or str(weights_file(a.arch))
    study = dict(arch=a.arch, pretrained=weights, head='brain', opt='adam', lr=1e-3, schedule='constant', wd=0, unfreeze=0,
                 freeze_epochs=0, epochs=a.epochs, size=a.size, bs=32, seed=a.seed)
    items = read_items(data_dir('brain_mri'))
    thesis = split_items(items, valid_pct=0.2, seed=a.seed, group_duplicates=False)
    leaks = audit_splits(thesis, on_leak='ignore')
    print(f"thesis split: {len(leaks)} groups of identical files in train and valid ({int(leaks.n_items.sum())} files)")
    rows = []
    for name, data, kw in [('thesis split 80/20', thesis, {}), ('medfast 60/20/20', items, dict(valid_pct=0.2, test_pct=0.2))]:
        t0 = time.time()
        out = Path(a.out)/name.split()[0]
        train_run(data, out, quiet=True, overwrite=True, **study, **kw)
        m = json.loads((out/'metrics.json').read_text())
        row = dict(run=name, seconds=round(time.time() - t0), valid_accuracy=_fig(m, 'valid', 'accuracy'), valid_auc=_fig(m, 'valid', 'roc_auc'))
        if 'test' in m['splits']:
            row |= dict(test_accuracy=_fig(m, 'test', 'accuracy'), test_auc=_fig(m, 'test', 'roc_auc'),
                        threshold=round(m['threshold']['value'], 3),
                        test_sens_spec_at_threshold=str({k: round(v, 3) for k, v in m['threshold']['splits']['test']['per_class']['yes'].items()
                                                         if k in ('recall', 'specificity')}))
        rows.append(row)
    print(pd.DataFrame(rows).to_string(index=False))
    print("published (thesis, VGG19, ImageNet weights, one random 80/20 split): validation accuracy 0.90")
