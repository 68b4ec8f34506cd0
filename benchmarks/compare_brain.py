"""Backbone comparison at real settings: MobileNetV2 vs EfficientNet-Lite0 (both from their local ImageNet weights)
on the brain MRIs, 3-fold cross-validation repeated twice, with `medfast.experiment.compare`.

Prints the summary (mean ± std and 95% t-interval over the 6 folds), the paired Wilcoxon test with its Holm-adjusted
p-value, and the wall time; writes everything, with the HTML summary, to --out. Resumable: rerun to finish.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/compare_brain.py --out /tmp/cmp [--size 224 --epochs 5]
"""
import argparse, time
from pathlib import Path
from medfast.core import data_dir, weights_file
from medfast.data import from_folder
from medfast.protocols import compare
from medfast.report import protocol_report

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--executor', default='sequential', choices=['sequential', 'ray'])
    a = ap.parse_args()
    archs = ['mobilenetv2_100', 'tf_efficientnet_lite0']
    t0 = time.time()
    res = compare(from_folder(data_dir('brain_mri')), {x: dict(arch=x, pretrained=str(weights_file(x))) for x in archs}, a.out,
                  k=3, repeats=2, seed=42, size=a.size, bs=32, epochs=a.epochs, freeze_epochs=1, lr=1e-3, executor=a.executor)
    s = res['summary']
    print(s[s.metric.isin(['accuracy', 'balanced_accuracy', 'macro_f1', 'roc_auc', 'seconds'])].round(3).to_string(index=False))
    if res['tests'] is not None: print(res['tests'].round(4).to_string(index=False))
    print(f"wall time {time.time() - t0:.0f} s; summary: {protocol_report(a.out)}")
