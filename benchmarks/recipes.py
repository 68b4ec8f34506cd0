"""Choose medfast's default recipe by cross-validation across the shared sets, never on a test split (issue 26).

Each candidate is one medfast option changed from the base recipe (today's default: MobileNetV2 from the local
ImageNet weights, 1 frozen + 5 epochs, fastai's fine-tuning rate 2e-3, fastai's augmentation; `precision='auto'`,
with the `fp32` candidate measuring what autocast costs in accuracy), measured on its own
with `medfast.protocols.compare` on the same folds: stratified k-fold (grouped by patient, slide or slice series where
the set has one) over each set's training + validation rows. Official test rows (BreastMNIST, RetinaMNIST) and the
held-out 20 % test split of the other sets are never trained on or scored here; they are scored once, after the
choice, by another script.

Per set the candidates are ranked by mean validation accuracy over the folds (ties: mean rank); the default is the
candidate with the best mean rank across sets, its extra time reported beside it. The table (`table.csv`, `table.md`
in --out) has, per set and candidate, the mean validation accuracy and ROC AUC (macro for 3+ classes) with 95 %
t-intervals over the folds, the mean seconds per fold, the rank and the Wilcoxon p-value against the base recipe.

Resumable: the folds already trained are kept (compare's own resume), so the campaign can be split across runs
(`--data` a few sets at a time, `--max-jobs`); the table is rewritten from whatever has finished.

Measured in a first round (`--k 3`, 64 px, one torch thread, 2026-12-07; seven sets): mean rank
upscaled 2.43 (42 s a fold), tta 3.36 (22 s), long_es 3.64 (42 s), fp32 4.57 (15 s), label_smoothing 5.21, base 5.79
(17 s), mixup 5.86, ema 6.00, cutmix 8.14; bf16 autocast (base) against fp32 over the 21 paired folds: accuracy -1.06
points (95 % CI -2.21 to +0.08, Wilcoxon p = 0.055), AUC -0.002. Three folds cannot give a Wilcoxon p below 0.25 per
set: the next run adds a repeat.
With all eight sets and two more candidates (`progressive`, `upscaled_tta`; table in benchmarks/recipes_table.md and the
README's "How the defaults were chosen"): mean rank upscaled_tta 3.06, tta 3.81, upscaled 4.12, long_es 4.31, fp32 6.00,
label_smoothing 6.50, mixup 6.56, base 6.75, ema 7.25, progressive 7.62, cutmix 10.00; upscaled_tta against base over
the 24 paired folds +6.2 accuracy points (95 % CI +3.4 to +8.9, Wilcoxon p = 0.0003), +0.058 AUC: the larger input
(224 px is the default) and TTA became the defaults.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... OMP_NUM_THREADS=2 python benchmarks/recipes.py --out /tmp/recipes
       [--data brain_mri leukemia] [--candidates base ema] [--size 64] [--k 5] [--repeats 1] [--max-jobs 20]
"""
import argparse, json, time
from pathlib import Path
import numpy as np, pandas as pd
from scipy import stats
from medfast.core import data_dir, weights_file
from medfast.data import read_items
from medfast.experiment import cv_scores
from medfast.protocols import compare
from sets import SETS

CANDIDATES = dict(   # name -> the settings it changes from the base recipe
    base={},
    long_es=dict(epochs=20, early_stopping=5),          # more epochs, early stopping on the fold's valid loss, best restored
    ema=dict(ema=0.999),                                # exponential moving average of the weights (timm's ModelEmaV3)
    mixup=dict(mixup=0.4),                              # fastai's MixUp
    cutmix=dict(cutmix=1.0),                            # fastai's CutMix
    label_smoothing=dict(loss='label_smoothing', label_smoothing=0.1),
    tta=dict(tta=4),                                    # test-time augmentation of the validation predictions
    upscaled=dict(size=2),                              # the input size: this many times the base size (--size)
    fp32=dict(precision='fp32'),                        # the base recipe without bf16/fp16 autocast (issue 25's check)
    progressive=dict(progressive=0.5),                  # progressive resizing: half the size first, the full size last
    upscaled_tta=dict(size=2, tta=4),                   # the two best of the first round together
)

def _ci(x) -> tuple:
    "Mean and 95 % t-interval of the fold scores `x`."
    x = np.asarray(x, float); x = x[~np.isnan(x)]
    if len(x) < 2: return (float(x.mean()) if len(x) else np.nan, np.nan, np.nan)
    h = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return float(x.mean()), float(x.mean() - h), float(x.mean() + h)

def _table(out:Path, names:list, ref:str='base') -> pd.DataFrame:
    "One row per set and candidate, from every finished fold under `out`; p-values against the candidate `ref`."
    rows = []
    for name in names:
        sc = cv_scores(out/name) if (out/name).is_dir() else pd.DataFrame()
        if sc.empty: continue
        auc = 'roc_auc' if sc.get('roc_auc', pd.Series(dtype=float)).notna().any() else 'roc_auc_macro'
        base = sc[sc.model == ref].set_index(['repeat', 'fold'])
        for cand, g in sc.groupby('model', sort=False):
            acc, au = _ci(g.accuracy), _ci(g[auc])
            paired = g.set_index(['repeat', 'fold']).accuracy.align(base.accuracy, join='inner') if len(base) else None
            p = (stats.wilcoxon(*paired).pvalue if paired is not None and len(paired[0]) >= 2 and cand != ref
                 and (paired[0] - paired[1]).abs().sum() > 0 else np.nan)
            rows.append(dict(data=name, candidate=cand, folds=len(g), accuracy=acc[0], acc_low=acc[1], acc_high=acc[2],
                             auc=au[0], auc_low=au[1], auc_high=au[2], seconds=float(g.seconds.mean()), p_vs_base=p))
    t = pd.DataFrame(rows)
    if len(t): t['rank'] = t.groupby('data').accuracy.rank(ascending=False, method='average')
    return t

def _fmt(t:pd.DataFrame, ref:str='base') -> str:
    "The table as markdown: accuracy and AUC with intervals, seconds per fold, rank; the mean rank per candidate."
    f = lambda m, lo, hi: f"{m:.3f} ({lo:.3f}-{hi:.3f})" if lo == lo else f"{m:.3f}"
    lines = [f'| set | candidate | folds | accuracy (95 % CI) | ROC AUC (95 % CI) | s / fold | rank | p vs {ref} |', '|' + '---|' * 8]
    for r in t.itertuples():
        lines.append(f"| {r.data} | {r.candidate} | {r.folds} | {f(r.accuracy, r.acc_low, r.acc_high)} | "
                     f"{f(r.auc, r.auc_low, r.auc_high)} | {r.seconds:.0f} | {r.rank:g} | {'' if r.p_vs_base != r.p_vs_base else f'{r.p_vs_base:.3f}'} |")
    m = t.groupby('candidate', sort=False).agg(mean_rank=('rank', 'mean'), sets=('data', 'nunique'), seconds=('seconds', 'mean'))
    lines += ['', '| candidate | mean rank | sets | mean s / fold |', '|---|---|---|---|']
    lines += [f"| {c} | {r.mean_rank:.2f} | {r.sets} | {r.seconds:.0f} |" for c, r in m.sort_values('mean_rank').iterrows()]
    return '\n'.join(lines)

def _wide(t:pd.DataFrame) -> str:
    "Candidates x sets: mean validation accuracy / ROC AUC, then the mean rank and seconds per fold (the docs' table)."
    sets = list(dict.fromkeys(t.data))
    m = t.groupby('candidate', sort=False).agg(mean_rank=('rank', 'mean'), n=('data', 'nunique'), seconds=('seconds', 'mean'))
    cell = {(r.candidate, r.data): f"{r.accuracy:.3f} / {r.auc:.3f}" for r in t.itertuples()}
    lines = ['| candidate | ' + ' | '.join(sets) + ' | mean rank | sets | s / fold |', '|' + '---|' * (len(sets) + 4)]
    for c, r in m.sort_values('mean_rank').iterrows():
        lines.append(f"| {c} | " + ' | '.join(cell.get((c, d), '') for d in sets) + f" | {r.mean_rank:.2f} | {r.n:.0f} | {r.seconds:.0f} |")
    return '\n'.join(lines)

def main(a):
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    base = dict(arch='mobilenetv2_100', pretrained=str(weights_file('mobilenetv2_100')), size=a.size, n_boot=100, seed=a.seed,
                precision='auto', tta=0)   # the base recipe as it was before this campaign: no TTA (now TTA_DEFAULT passes)
    for name in a.data:
        parts, read_kw, split_kw = SETS[name]
        items = read_items(data_dir(*parts), **read_kw)
        if 'split' in items: items = items[items.split != 'test'].drop(columns='split')   # the official test rows: never here
        t0 = time.time()
        cands = {c: CANDIDATES[c] | (dict(size=a.size * CANDIDATES[c]['size']) if 'size' in CANDIDATES[c] else {}) for c in a.candidates}
        compare(items, cands, out/name, k=a.k, repeats=a.repeats, max_jobs=a.max_jobs,
                **(base | split_kw))
        print(json.dumps(dict(data=name, seconds=round(time.time() - t0))), flush=True)
        t = _table(out, list(SETS))
        t.to_csv(out/'table.csv', index=False); (out/'table.md').write_text(_fmt(t) + '\n')
        (out/'wide.md').write_text(_wide(t) + '\n')
    print((out/'table.md').read_text())

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', nargs='+', default=list(SETS), choices=list(SETS))
    ap.add_argument('--candidates', nargs='+', default=list(CANDIDATES), choices=list(CANDIDATES))
    ap.add_argument('--size', type=int, default=64, help='base input size in px (the default recipe uses 224; 64 fits 2 cores)')
    ap.add_argument('--k', type=int, default=5)
    ap.add_argument('--repeats', type=int, default=1)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--max-jobs', type=int, default=None, help='stop after training this many folds per set (resume later)')
    ap.add_argument('--out', required=True)
    main(ap.parse_args())
