"""The retina tutorial (`nbs/tutorials/retina.ipynb`) at real size: RetinaMNIST's official splits, MobileNetV2 from its
local ImageNet weights, 64 px, lr_find + 1 frozen and 10 fine-tuning epochs; the five ordinal grades (named, in their
clinical order, quadratic-weighted kappa) and the binary task healthy (grade 0) vs diseased (grades 1-4).

Prints the test figures with 95% intervals next to the published anchors (MedMNIST v2, ResNet-18 at 28 px: accuracy
0.524, AUC 0.717; Google AutoML Vision: 0.531, 0.750) and the wall time of each run.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/tutorial_retina.py --out /tmp/tut_retina [--size 64 --epochs 10]
"""
import argparse, json, time
from pathlib import Path
import numpy as np, pandas as pd
from medfast.core import data_dir, weights_file
from medfast.metrics import fmt_ci
from medfast.data import read_items
from medfast.run import train_run

NAMES = ['No_DR', 'Mild', 'Moderate', 'Severe', 'Proliferate_DR']

def _fig(m, split, metric):
    c = m['splits'][split]['ci'].get(metric)
    return '-' if c is None else fmt_ci(c['estimate'], c['low'], c['high'])

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    items = read_items(data_dir('retinamnist', 'retinamnist.npz'))
    graded = items.assign(label=items.label.str[-1].astype(int).map(dict(enumerate(NAMES))))
    binary = items.assign(label=np.where(items.label == 'grade_0', 'healthy', 'diseased'))
    common = dict(arch='mobilenetv2_100', pretrained=str(weights_file('mobilenetv2_100')), size=a.size, epochs=a.epochs,
                  freeze_epochs=1, lr='valley', seed=a.seed)   # lr_find's suggestion, as the tutorial
    rows = []
    for name, data, kw in [('five grades', graded, dict(classes=NAMES, kappa_weights='quadratic')),
                           ('healthy vs diseased', binary, dict(positive='diseased'))]:
        t0, out = time.time(), Path(a.out)/name.split()[0]
        train_run(data, out, quiet=True, overwrite=True, **common, **kw)
        m = json.loads((out/'metrics.json').read_text())
        auc = 'roc_auc' if 'roc_auc' in m['splits']['test']['ci'] else 'roc_auc_macro'
        rows.append(dict(task=name, seconds=round(time.time() - t0), test_accuracy=_fig(m, 'test', 'accuracy'),
                         test_auc=_fig(m, 'test', auc), test_kappa=_fig(m, 'test', 'kappa'),
                         test_balanced_accuracy=_fig(m, 'test', 'balanced_accuracy')))
    print(pd.DataFrame(rows).to_string(index=False))
    print("published, five grades, test split: MedMNIST v2 ResNet-18 (28 px) accuracy 0.524, AUC 0.717; Google AutoML Vision 0.531, 0.750")
