"""One study configuration rerun at real size with several seeds: the spread a single published number hides.

The brain-MRI (VGG19) thesis' recipe -- 80/20 split, frozen body with the study's head (`--head brain`), Adam at a
constant 1e-3 -- on `$MEDFAST_DATA/brain_mri`. VGG19 from random weights is far too slow on 2 CPU cores and has no
offline ImageNet weights here, so the backbone is MobileNetV2 with the local ImageNet weights (`$MEDFAST_WEIGHTS`).
Each seed draws another split and another head initialisation. Prints one row per seed and the mean ± sd.

    python benchmarks/study_seeds.py --out /tmp/seeds [--seeds 1,2,3] [--epochs 10] [--size 224] [--precision fp32]
"""
import argparse, json, time
from pathlib import Path
import numpy as np, pandas as pd
from medfast.core import data_dir, weights_file
from medfast.run import train_run

STUDY = dict(head='brain', opt='adam', lr=1e-3, schedule='constant', unfreeze=0.0, freeze_epochs=0, aug=False, valid_pct=0.2)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--seeds', default='1,2,3')
    ap.add_argument('--epochs', type=int, default=10, help='head epochs (the thesis: 30)')
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--precision', default='fp32')
    a = ap.parse_args()
    rows = []
    for seed in [int(s) for s in a.seeds.split(',')]:
        out = Path(a.out)/f'seed{seed}'
        if not (out/'summary.json').is_file():
            train_run(data_dir('brain_mri'), out, arch='mobilenetv2_100', pretrained=str(weights_file('mobilenetv2_100')),
                      size=a.size, epochs=a.epochs, seed=seed, precision=a.precision, quiet=True, **STUDY)
        s = json.loads((out/'summary.json').read_text())
        v, ci = s['metrics']['valid'], s['accuracy_ci']['valid']
        rows.append(dict(seed=seed, accuracy=v['accuracy'], acc_low=ci[0], acc_high=ci[1], macro_f1=v['macro_f1'],
                         roc_auc=v.get('roc_auc'), seconds=s['seconds']))
    df = pd.DataFrame(rows)
    print(f"brain MRI, mobilenetv2_100 (local ImageNet weights), brain head, Adam 1e-3 constant, {a.epochs} epochs, {a.size} px, {a.precision}")
    print(df.round(3).to_string(index=False))
    print(f"mean ± sd over {len(df)} seeds: accuracy {df.accuracy.mean():.3f} ± {df.accuracy.std():.3f}, "
          f"macro F1 {df.macro_f1.mean():.3f} ± {df.macro_f1.std():.3f}, ROC AUC {df.roc_auc.mean():.3f} ± {df.roc_auc.std():.3f}")
