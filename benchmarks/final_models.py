"""A single fold model against the fold ensemble (`medfast cv --final ensemble`), on each set's held-out test split.

Reads a `benchmarks/recipes.py` folder: for every set with a held-out test split (`test_pct=0.2`, kept out of every
fold) and every candidate recipe, each fold model has predicted the test rows (its `predictions.csv`, split 'test').
The single model's score is the mean over the fold models of their test accuracy and ROC AUC (macro one-vs-rest for
3+ classes); the ensemble's is the score of the mean of the fold models' class probabilities on the same rows, which
is what `FoldEnsemble` computes (`medfast.models`). Nothing is chosen here: the test split is only scored.

Measured on the recipes.py folder of 2026-12-07 (six sets with a held-out split, 54 set x recipe pairs): the ensemble
+3.6 accuracy points and +0.029 AUC over the mean single fold model, at least as high in 48 (accuracy) / 51 (AUC) of 54.
With `--refit base long_es` (12 set x recipe pairs): single 0.727 / 0.787, ensemble 0.754 / 0.820, refit 0.751 / 0.814
(accuracy / AUC); the refit at least as accurate as the mean single model in 6 of 12 pairs, the ensemble in 10 of 12.

With `--refit CANDIDATE ...` it also trains `medfast cv --final refit`'s model for those candidates
(`medfast.protocols.refit`: every non-test row of the folds, for `refit_epochs` epochs, the fold's own configuration)
into `<set>/<candidate>/refit/` and scores it on the same test rows (`refit_acc`, `refit_auc`); a finished refit is kept.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... OMP_NUM_THREADS=1 python benchmarks/final_models.py /path/to/recipes_out
       [--out final_models.csv] [--refit base long_es]
"""
import argparse
from pathlib import Path
import numpy as np, pandas as pd
from sklearn.metrics import accuracy_score, roc_auc_score
from medfast.core import RUN_FILES, PROTOCOL_FILES
from medfast.config import load_config
from medfast.inference import load_model, predict
from medfast.protocols import refit, refit_epochs

def _scores(y:np.ndarray, p:np.ndarray, classes:list) -> tuple:
    "(accuracy, ROC AUC) of class probabilities `p` (n, c) for labels `y`."
    acc = accuracy_score(y, np.asarray(classes)[p.argmax(1)])
    auc = (roc_auc_score(y == classes[1], p[:, 1]) if len(classes) == 2
           else roc_auc_score(y, p, multi_class='ovr', average='macro', labels=classes))
    return acc, auc

def _refit_probs(cand_dir:Path, classes:list, test:pd.DataFrame) -> np.ndarray:
    "The refit model's class probabilities (n, c) on the `test` rows (index: path), trained first unless it is there."
    folds, jobs = pd.read_csv(cand_dir.parent/'folds.csv'), sorted(cand_dir.glob('repeat*_fold*/'))
    (cfg, _), out = load_config(jobs[0]/RUN_FILES.config), cand_dir/PROTOCOL_FILES.refit
    if not (out/PROTOCOL_FILES.refit_record).is_file():
        refit(folds[['path', 'label', 'split']], cfg, out, refit_epochs(jobs, cfg), out/RUN_FILES.model)
    p = predict(load_model(out/RUN_FILES.model), test.reset_index()[['path']]).set_index('path')
    return p.loc[test.index, [f'prob_{c}' for c in classes]].to_numpy()

def compare_final(folder:Path, refits:tuple=()) -> pd.DataFrame:
    "One row per set and candidate: mean single-fold test scores, the ensemble's (and the refit's), the test rows."
    rows = []
    for cand_dir in sorted(folder.glob('*/*/')):
        preds = sorted(cand_dir.glob('repeat0_fold*/predictions.csv'))
        k = pd.read_csv(cand_dir.parent/'folds.csv').fold_0.max() + 1
        if len(preds) < k: continue   # an unfinished candidate
        ps = [pd.read_csv(f) for f in preds]
        ps = [p[p.split == 'test'].set_index('path') for p in ps]
        if not len(ps[0]): continue   # no held-out test split (the MedMNIST sets' official test rows are not here)
        classes = [c[len('prob_'):] for c in ps[0].columns if c.startswith('prob_')]
        y = ps[0].target.astype(str).to_numpy()
        probs = [p.loc[ps[0].index, [f'prob_{c}' for c in classes]].to_numpy() for p in ps]
        single = np.array([_scores(y, p, classes) for p in probs])
        ens = _scores(y, np.mean(probs, 0), classes)
        row = dict(data=cand_dir.parent.name, candidate=cand_dir.name, test_rows=len(y), folds=len(ps),
                   single_acc=single[:, 0].mean(), ensemble_acc=ens[0], single_auc=single[:, 1].mean(), ensemble_auc=ens[1])
        if cand_dir.name in refits:
            row['refit_acc'], row['refit_auc'] = _scores(y, _refit_probs(cand_dir, classes, ps[0]), classes)
        rows.append(row); print(row, flush=True)
    return pd.DataFrame(rows)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('folder')
    ap.add_argument('--out', default=None)
    ap.add_argument('--refit', nargs='*', default=[], help='candidates whose --final refit model is trained and scored too')
    a = ap.parse_args()
    t = compare_final(Path(a.folder), tuple(a.refit))
    if a.out: t.to_csv(a.out, index=False)
    print(t.round(3).to_string(index=False))
    print('\nmean over sets and candidates:', t[['single_acc', 'ensemble_acc', 'single_auc', 'ensemble_auc']].mean().round(3).to_dict())
    if a.refit:
        r = t.dropna(subset=['refit_acc'])
        print('the refitted candidates:', r[['single_acc', 'ensemble_acc', 'refit_acc', 'single_auc', 'ensemble_auc', 'refit_auc']].mean().round(3).to_dict())
