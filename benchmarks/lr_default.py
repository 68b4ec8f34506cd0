"""fastai's fine-tuning default learning rate (2e-3, `medfast.train.FINE_TUNE_LR`) against lr_find's valley, side by
side on the shared data sets (issue 14; the reason for `TrainConfig.lr=None`'s meaning, see `06_train`).

MobileNetV2 with the local ImageNet weights, medfast's defaults otherwise (1 frozen + 5 epochs, fastai's augmentation,
bs 32), at `--size`. Each data set's official test split (BreastMNIST, RetinaMNIST) or a stratified 20 % test split
(valid 20 %; by patient where the set has one: the brain-tumour slice series, glomeruli slides, chest X-ray
patients). One JSON line per run: the rate used, seconds, validation and test accuracy / ROC AUC (macro for more than
two classes); then the paired differences.

Measured on this project's 2-core machine (two threads, one job at a time), `--size 64 --seeds 1 2`:
test accuracy higher with 2e-3 in 11 of 14 runs, equal in 2, lower in 1 (mean +0.039); ROC AUC higher in 9, lower
in 4, equal in 1 (mean +0.013); 263 s against 372 s in all. At 224 px on BreastMNIST (seeds 1, 2): valley
(1.3e-4, 3.3e-4) 0.647 / 0.738 and 0.756 / 0.827, 2e-3 0.750 / 0.827 and 0.801 / 0.841.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/lr_default.py --size 64 --seeds 1 2 --out /tmp/lr
       [--data breastmnist retinamnist]
"""
import argparse, json, time
from pathlib import Path
from medfast.core import data_dir, weights_file
from medfast.run import train_run
from medfast.train import FINE_TUNE_LR
from sets import SETS

SETS = {k: v for k, v in SETS.items() if k != 'ct_dicom'}   # the seven sets this comparison ran on
RULES = dict(valley='valley', fine_tune=FINE_TUNE_LR)

def _fig(m:dict, split:str, metric:str) -> float:
    ci = m['splits'][split]['ci']
    return round(ci[metric if metric in ci else metric + '_macro']['estimate'], 3)

def main(a):
    rows = []
    for name in a.data:
        parts, read_kw, split_kw = SETS[name]
        for seed in a.seeds:
            for rule, lr in RULES.items():
                out, t0 = Path(a.out)/f'{name}_{a.size}_{rule}_s{seed}', time.time()
                s = train_run(data_dir(*parts), out, quiet=True, overwrite=True, read_kw=read_kw, arch='mobilenetv2_100',
                              pretrained=str(weights_file('mobilenetv2_100')), size=a.size, seed=seed, lr=lr, **split_kw)
                m = json.loads((out/'metrics.json').read_text())
                rows.append(dict(data=name, seed=seed, rule=rule, lr=s['lr_used'], seconds=round(time.time() - t0),
                                 valid=[_fig(m, 'valid', 'accuracy'), _fig(m, 'valid', 'roc_auc')],
                                 test=[_fig(m, 'test', 'accuracy'), _fig(m, 'test', 'roc_auc')]))
                print(json.dumps(rows[-1]), flush=True)
    pairs = [(v, f) for v, f in zip(rows[::2], rows[1::2])]
    for i, what in enumerate(('accuracy', 'ROC AUC')):
        d = [f['test'][i] - v['test'][i] for v, f in pairs]
        print(f"test {what}, {FINE_TUNE_LR:g} minus valley: higher in {sum(x > 0 for x in d)}, lower in {sum(x < 0 for x in d)}, "
              f"equal in {sum(x == 0 for x in d)} of {len(d)}; mean {sum(d)/len(d):+.3f}")
    print(f"seconds: valley {sum(v['seconds'] for v, _ in pairs)}, {FINE_TUNE_LR:g} {sum(f['seconds'] for _, f in pairs)}")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', nargs='+', default=list(SETS), choices=list(SETS))
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--out', required=True)
    main(ap.parse_args())
