"""The glomeruli tutorial (nbs/tutorials/glomeruli.ipynb) at real size, sized for a CPU: all 286 PAS glomerulus patches
(globally sclerosed vs not, 31 slides, 3 centres), repeated k-fold cross-validation grouped by slide, and on the same
folds:

- five backbones (MobileNetV2 and EfficientNet-Lite0 from their local ImageNet weights, the others from random weights
  unless MEDFAST_WEIGHTS holds a file for them), with a colour-only logistic regression as a reference;
- MobileNetV2 with the glomeruli study's fixed offline variants (rotations 90/180/270, desaturation 10/30/75 %) vs none
  (with --steps-control also vs none trained 7 times as long: the variants make 7 times as many gradient steps);
- weighted cross-entropy vs focal loss (gamma, alpha).

Common settings: linear head, Adam one-cycle at a fixed lr, 1 frozen + EPOCHS unfrozen epochs (no frozen epoch without
pretrained weights), no random augmentation, the sclerosed class as positive. Prints the mean ± sd table with 95 %
t-intervals over the folds, the out-of-fold accuracy of the baseline per centre, the paired Wilcoxon and corrected
resampled t-tests with Holm's correction, the wall time and the command line. Everything is also written to --out
(resumable: a rerun keeps the finished jobs).

--presize (default on) writes SIZE-px copies of the patches once, so that each job decodes small files: the network sees
SIZE-px images either way (medfast resizes by squishing, bilinear, as PIL's resize here).

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... OMP_NUM_THREADS=1 python benchmarks/tutorial_glomeruli.py --out /tmp/glom
       [--size 48 --epochs 1 --bs 16 --k 3 --repeats 2 --archs a,b,c --focal 2:0.5,2:0.75,5:0.75 --no-presize]

The defaults (48 px, 1 frozen + 1 epoch, 3 folds x 2 repeats, one focal variant) took 3 minutes on one thread of a shared 2-core
CPU; the fixed variants cost the most (each training patch and its 6 copies: 7 times the training work). The
notebook's real settings (224 px, 5 epochs, 5 folds x 2 repeats, the studies' backbones) want a GPU.
"""
import argparse, os, shlex, sys, time
from pathlib import Path
import numpy as np, pandas as pd
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import accuracy_score, balanced_accuracy_score, roc_auc_score
from medfast.core import data_dir, weights_file, MedfastError
from medfast.data import read_items, open_image
from medfast.config import make_config
from medfast.experiment import cv_folds, paired_tests, summarize
from medfast.metrics import load_preds
from medfast.protocols import compare

POS = 'globally_sclerosed'
SMALL = 'mobilenetv2_100,tf_efficientnet_lite0,resnet18,mobilenetv1_100,efficientnet_b0'
METRICS = ['accuracy', 'balanced_accuracy', 'roc_auc']

def start_weights(arch:str) -> str:
    "A local weights file under MEDFAST_WEIGHTS, else timm's ImageNet weights; offline without a file: random ('none')."
    if not os.environ.get('MEDFAST_WEIGHTS'): return 'imagenet'
    try: return str(weights_file(arch))
    except MedfastError: return 'none'

def presize(items:pd.DataFrame, dest:Path, size:int) -> pd.DataFrame:
    "`items` with its images replaced by size x size PNG copies in `dest` (same file names, so the slide prefix stays)."
    new = []
    for p, l in zip(items.path, items.label):
        t = dest/l/Path(p).with_suffix('.png').name
        if not t.is_file():
            t.parent.mkdir(parents=True, exist_ok=True)
            open_image(p).resize((size, size), Image.BILINEAR).save(t)
        new.append(str(t))
    return items.assign(path=new)

def colour_scores(folds:pd.DataFrame, k:int, repeats:int) -> pd.DataFrame:
    "Per fold: a logistic regression on the mean and sd of R, G, B of each (original) patch."
    X = np.array([[*a.mean((0, 1)), *a.std((0, 1))] for a in
                  (np.asarray(open_image(p), dtype=np.float32) / 255 for p in folds.orig_path)])
    y = (folds.label == POS).to_numpy()
    rows = []
    for r in range(repeats):
        for f in range(k):
            va = (folds[f'fold_{r}'] == f).to_numpy()
            p = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X[~va], y[~va]).predict_proba(X[va])[:, 1]
            rows.append(dict(model='colour only', repeat=r, fold=f, accuracy=accuracy_score(y[va], p > 0.5),
                             balanced_accuracy=balanced_accuracy_score(y[va], p > 0.5), roc_auc=roc_auc_score(y[va], p)))
    return pd.DataFrame(rows)

def table(scores:pd.DataFrame) -> pd.DataFrame:
    "Per model: mean ± sd [95 % t-interval] of each metric over the folds."
    s = summarize(scores, METRICS)
    s['v'] = [f"{m:.3f} ± {sd:.3f} [{lo:.3f}, {hi:.3f}]" for m, sd, lo, hi in zip(s['mean'], s['std'], s.ci_low, s.ci_high)]
    return s.pivot(index='model', columns='metric', values='v').reindex(list(pd.unique(scores.model)))[METRICS]

def show_tests(t:pd.DataFrame) -> str:
    cols = ['model_a', 'model_b', 'n', 'mean_diff', 'p_value', 'p_holm', 'p_corrected', 'p_corrected_holm']
    return t[cols].round(4).to_string(index=False)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=48)
    ap.add_argument('--epochs', type=int, default=1)
    ap.add_argument('--bs', type=int, default=16)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--k', type=int, default=3)
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--archs', default=SMALL, help='comma-separated timm names; the first is the baseline of the other comparisons')
    ap.add_argument('--focal', default='2:0.75', help='comma-separated gamma:alpha of the focal variants, e.g. 2:0.5,2:0.75,5:0.75')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--no-presize', dest='presize', action='store_false')
    ap.add_argument('--steps-control', action='store_true',
                    help='add the baseline trained 7x as long (freeze_epochs 7, epochs 7 x EPOCHS): as many gradient steps as the fixed variants')
    a = ap.parse_args()
    t0, out = time.time(), Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    archs = a.archs.split(',')
    items = read_items(data_dir('glomeruli', 'labels.csv'))
    items['centre'] = items.patient.str.split('_').str[0]
    items['orig_path'] = items.path
    data = presize(items, out/'images', a.size) if a.presize else items
    design = dict(k=a.k, repeats=a.repeats)
    base = make_config(arch=archs[0], pretrained=start_weights(archs[0]), size=a.size, bs=a.bs, epochs=a.epochs, lr=a.lr,
                       aug=False, loss='weighted_ce', class_weights='inverse', head='linear', positive=POS, seed=a.seed, n_boot=200)
    cv = out/'cv'
    bb = compare(data, {x: dict(arch=x, pretrained=start_weights(x)) for x in archs}, cv, base, **design)
    t_bb = time.time() - t0
    aug_variants = {archs[0]: {}, 'fixed variants': dict(fixed_aug='glomeruli')}
    if a.steps_control: aug_variants['no variants, 7x epochs'] = dict(freeze_epochs=7, epochs=7 * a.epochs)
    aug = compare(data, aug_variants, cv, base, **design)
    t_aug = time.time() - t0 - t_bb
    focal = {f'focal γ{g} α{al}': dict(loss='focal', class_weights=None, gamma=float(g), alpha=float(al))
             for g, al in (s.split(':') for s in a.focal.split(','))}
    loss = compare(data, {archs[0]: {}, **focal}, cv, base, **design)
    folds = cv_folds(data, seed=a.seed, **design)
    pinned = pd.read_csv(cv/'folds.csv')
    assert (pinned[[f'fold_{r}' for r in range(a.repeats)]].to_numpy() == folds[[f'fold_{r}' for r in range(a.repeats)]].to_numpy()).all()
    colour = colour_scores(folds, a.k, a.repeats)
    sc_bb = pd.concat([bb['scores'], colour], ignore_index=True)
    allsc = pd.concat([sc_bb, aug['scores'][aug['scores'].model != archs[0]], loss['scores'][loss['scores'].model != archs[0]]],
                      ignore_index=True)
    allsc.to_csv(out/'all_scores.csv', index=False)
    pd.set_option('display.width', 250)
    print('command:', 'OMP_NUM_THREADS=' + os.environ.get('OMP_NUM_THREADS', '?'), 'python', ' '.join(map(shlex.quote, sys.argv)))
    print(f"data: {len(data)} patches, {data.patient.nunique()} slides; {a.k}-fold CV grouped by slide x {a.repeats} repeats "
          f"= {a.k * a.repeats} paired scores per model; {a.size} px, 1 frozen (pretrained only) + {a.epochs} epochs, lr {a.lr}, "
          f"presize {a.presize}")
    print('weights:', ', '.join(f"{x} {'random' if start_weights(x) == 'none' else 'ImageNet'}" for x in archs))
    print('\nmean ± sd [95 % t-interval] over the folds (validation folds):')
    print(table(allsc).to_string())
    oof = pd.concat([load_preds(p) for p in sorted((cv/archs[0]).glob('repeat*_fold*/predictions.csv'))], ignore_index=True)
    oof = oof.merge(data[['path', 'centre']], on='path')
    print(f"\nout-of-fold accuracy of {archs[0]} per centre (all repeats pooled):")
    print(oof.assign(correct=oof.pred == oof.target).groupby('centre').agg(predictions=('path', 'size'), accuracy=('correct', 'mean')).round(3).to_string())
    ratio = 1 / (a.k - 1)
    for name, sc in [('backbones + colour only', sc_bb), ('fixed variants vs none', aug['scores']), ('weighted CE vs focal', loss['scores'])]:
        for m in ('accuracy', 'roc_auc'):
            t = paired_tests(sc, m, ratio=ratio)
            t.to_csv(out/f"tests_{name.split()[0]}_{m}.csv", index=False)
            print(f"\npaired tests, {name}, {m} (Wilcoxon; Nadeau-Bengio corrected t, ratio {ratio:.3f}; Holm):")
            print(show_tests(t))
    print(f"\nwall time {time.time() - t0:.0f} s (backbones {t_bb:.0f} s, fixed variants {t_aug:.0f} s); results in {out}")
