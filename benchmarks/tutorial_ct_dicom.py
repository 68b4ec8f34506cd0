"""The lung-CT tutorial (`nbs/tutorials/ct_dicom.ipynb`) at real size: the 94 CT DICOM slices (contrast vs no contrast,
54 patients) read with the lung window, undersampled training rows, MobileNetV2 and EfficientNet-Lite0 from their local
ImageNet weights, 224 px, 1 frozen and 5 fine-tuning epochs at a peak rate of 1e-3 (lr_find's 100 steps would cost more
than the training on 56 training slices; pass --lr 0 to use it).

1. A slice split against a patient split (60/20/20), three seeds each, MobileNetV2: test accuracy with 95% intervals and
   how many test slices have their patient in training: does the leak inflate the figure on this set?
2. Model choice on the patient split: validation accuracy, ties (within one validation image) to fewer parameters
   (`medfast.experiment.select`), then the chosen model's test accuracy.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/tutorial_ct_dicom.py --out /tmp/tut_ct [--size 224 --epochs 5]
"""
import argparse, json, time
from pathlib import Path
import pandas as pd
from medfast.core import data_dir, weights_file
from medfast.metrics import fmt_ci
from medfast.data import read_items, split_items
from medfast.experiment import select
from medfast.inference import load_model
from medfast.models import count_params
from medfast.run import train_run

def _fig(m, split, metric='accuracy'):
    c = m['splits'][split]['ci'][metric]
    return fmt_ci(c['estimate'], c['low'], c['high'])

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--lr', type=float, default=1e-3, help='peak learning rate (0: lr_find)')
    a = ap.parse_args()
    items = read_items(data_dir('ct_dicom'))
    common = dict(window='lung', balance='under', size=a.size, epochs=a.epochs, freeze_epochs=1, lr=a.lr or None, quiet=True, overwrite=True)
    archs = ['mobilenetv2_100', 'tf_efficientnet_lite0']
    rows, t0 = [], time.time()
    for seed in range(1, a.seeds + 1):
        for name, bp in [('slice split', False), ('patient split', True)]:
            sp = split_items(items, valid_pct=0.2, test_pct=0.2, by_patient=bp, seed=seed)
            out = Path(a.out)/f"{name.split()[0]}_{seed}"
            s = train_run(sp, out, arch=archs[0], pretrained=str(weights_file(archs[0])), seed=seed, **common)
            m = json.loads((out/'metrics.json').read_text())
            tr, te = sp[sp.split == 'train'], sp[sp.split == 'test']
            rows.append(dict(split=name, seed=seed, n_test=len(te), test_patient_in_train=int(te.patient.isin(tr.patient).sum()),
                             test_accuracy=s['metrics']['test']['accuracy'], test_ci=_fig(m, 'test')))
    leak = pd.DataFrame(rows)
    print(leak.to_string(index=False))
    print(leak.groupby('split').test_accuracy.agg(['mean', 'std']).round(3).to_string())
    sp = split_items(items, valid_pct=0.2, test_pct=0.2, seed=1)
    res = []
    for arch in archs:
        out = Path(a.out)/arch
        s = train_run(sp, out, arch=arch, pretrained=str(weights_file(arch)), seed=1, **common)
        m = json.loads((out/'metrics.json').read_text())
        res.append(dict(model=arch, accuracy=s['metrics']['valid']['accuracy'], valid_ci=_fig(m, 'valid'), test_ci=_fig(m, 'test'),
                        params=count_params(load_model(out/'model')[0])['total']))
    res = pd.DataFrame(res)
    print(res.to_string(index=False))
    chosen = select(res, 'accuracy', tie_break='params', tol=1 / int((sp.split == 'valid').sum()))
    print(f"chosen: {chosen.model} (test accuracy {chosen.test_ci}); wall time {time.time() - t0:.0f} s")
    print("published (scleroderma study, its own CT data, slice split): 100 % accuracy on 8 patients")
