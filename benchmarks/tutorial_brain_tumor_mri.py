"""The brain-tumour MRI tutorial (nbs/tutorials/brain_tumor_mri.ipynb) at real size: all 622 slices of the three-class
Figshare subset (glioma, meningioma, pituitary).

1. the leak audit: near-duplicate pairs (pHash, <= 6 bits) across the splits of a random image-level split and of a
   split by `approx_series` (60 / 20 / 20, stratified, the same seed), with `audit_splits(near_duplicates=True)`;
2. the split that trains: by series and by near-duplicate group (audited: nothing crosses);
3. the staged sweep (`medfast.protocols.sweep`, from the study's `SWEEP_START`) on the train / valid rows:
   MobileNetV2 (local ImageNet weights) and ResNet-18 (random weights: no local file) x batch sizes, then learning
   rates, augmentation off / on, head only vs the second half of the body fine-tuned at 1e-5;
4. the winner trained again with early stopping, plateau learning-rate reduction (constant schedule) and a checkpoint
   of the best epoch;
5. the test split, predicted once: per-class table, confusion matrix, and the metrics with 95 % intervals.

Prints every table and the command line that made them; writes the sweep (resumable, with summary.html) and the
final run to --out.

    MEDFAST_DATA=../shared/data MEDFAST_WEIGHTS=../shared/weights OMP_NUM_THREADS=1 \\
        python benchmarks/tutorial_brain_tumor_mri.py --out /tmp/brain_tumor_mri

The defaults keep a one-thread CPU run near three minutes (96 px, short trainings); the study's own settings are
--size 224 --sweep-freeze-epochs 30 --sweep-epochs 5 --final-freeze-epochs 30 --final-epochs 10 --early-stopping 10
--reduce-lr 5 (and three backbones, four batch sizes, five learning rates), for a GPU.
"""
import argparse, shlex, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd
from medfast.core import data_dir, weights_file, RUN_FILES
from medfast.data import read_items, image_hashes, near_duplicates, split_items, audit_splits, class_counts
from medfast.config import make_config
from medfast.protocols import sweep
from medfast.run import prepare_out, build_dls, build_learner, fit, predict_and_evaluate
from medfast.train import history
from medfast.metrics import evaluate
from medfast.report import ci_table, protocol_report

def floats(s): return [float(x) for x in s.split(',')]
def ints(s): return [int(x) for x in s.split(',')]

def crossing(pairs, split):
    "Near-duplicate pairs whose two images are in different splits."
    s = dict(zip(split.path, split.split))
    return int((pairs.path_a.map(s) != pairs.path_b.map(s)).sum())

def show(title, obj):
    print(f"\n== {title}\n{obj.to_string() if hasattr(obj, 'to_string') else obj}", flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True, help='results folder (the sweep in OUT/sweep resumes; OUT/final is refused if not empty, unless --overwrite)')
    ap.add_argument('--size', type=int, default=96)
    ap.add_argument('--archs', default='mobilenetv2_100,resnet18')
    ap.add_argument('--bs', type=ints, default=[16, 32])
    ap.add_argument('--lr', type=floats, default=[1e-3, 3e-4])
    ap.add_argument('--sweep-freeze-epochs', type=int, default=2)
    ap.add_argument('--sweep-epochs', type=int, default=1)
    ap.add_argument('--final-freeze-epochs', type=int, default=5)
    ap.add_argument('--final-epochs', type=int, default=3)
    ap.add_argument('--early-stopping', type=int, default=3)
    ap.add_argument('--reduce-lr', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--n-boot', type=int, default=1000)
    ap.add_argument('--overwrite', action='store_true', help='write the final run into a non-empty OUT/final')
    a = ap.parse_args()
    warnings.simplefilter('ignore')
    t0, out = time.time(), Path(a.out)

    # 1. items and the leak audit
    items = read_items(data_dir('brain_tumor_mri', 'labels.csv'), patient_col='approx_series')
    show('class counts', class_counts(items))
    pairs = near_duplicates(items, hashes=image_hashes(items))
    same = (pairs.path_a.map(dict(zip(items.path, items.patient))) == pairs.path_b.map(dict(zip(items.path, items.patient)))).sum()
    print(f"\n{len(pairs)} near-duplicate pairs among {len(items)} slices, {same} within one series")
    rows = {}
    for name, by in [('by image', False), ('by series', True)]:
        s = split_items(items, valid_pct=0.2, test_pct=0.2, by_patient=by, seed=a.seed)
        au = audit_splits(s, near_duplicates=True, on_leak='ignore')
        rows[name] = {'near-duplicate pairs across splits': crossing(pairs, s), 'series in more than one split': int((au.check == 'patient').sum()),
                      'near-duplicate groups in more than one split': int((au.check == 'near-duplicate images').sum())}
    show(f'leaks of a random and a grouped split (60/20/20, seed {a.seed})', pd.DataFrame(rows))

    # 2. the split that trains: by series and near-duplicate group
    split = split_items(items, valid_pct=0.2, test_pct=0.2, by_patient=True, group_near_duplicates=True, seed=a.seed)
    audit_splits(split, near_duplicates=True, on_leak='raise')
    print(f"\nsplit by series and near-duplicate group: {crossing(pairs, split)} near-duplicate pairs across splits")
    show('class counts per split', class_counts(split))

    # 3. the staged sweep on train / valid
    archs = a.archs.split(',')
    aw = {x: str(weights_file(x)) if x in ('mobilenetv2_100', 'tf_efficientnet_lite0') else 'none' for x in archs}
    grid = dict(arch=archs, bs=a.bs, lr=a.lr, aug=[False, True], unfreeze=[0.0, 0.5])
    ts = time.time()
    sw = sweep(split[split.split != 'test'], out/'sweep', grid, arch_weights=aw, seed=a.seed, size=a.size,
               freeze_epochs=a.sweep_freeze_epochs, epochs=a.sweep_epochs, n_boot=a.n_boot)
    res = sw['results']
    show(f'sweep ({time.time() - ts:.0f} s; valid metrics)', res[['stage', 'step', *grid, 'accuracy', 'macro_precision', 'macro_recall',
                                                                   'macro_f1', 'params', 'seconds', 'chosen']].round(dict.fromkeys(['accuracy', 'macro_precision', 'macro_recall', 'macro_f1'], 3)))
    print(f"summary: {protocol_report(out/'sweep')}")
    best = sw['best']
    print('winner:', {k: best[k] for k in [*grid, 'unfreeze_lr', 'pretrained']})

    # 4. the final training with early stopping, plateau reduction and checkpoints
    cfg = make_config(best, freeze_epochs=a.final_freeze_epochs, epochs=a.final_epochs, early_stopping=a.early_stopping,
                      reduce_lr=a.reduce_lr, save_best=True, n_boot=a.n_boot)
    fd = prepare_out(out/'final', overwrite=a.overwrite)
    ts = time.time()
    learn = build_learner(build_dls(split, cfg), cfg, fd)
    fit(learn, cfg, fd)
    h = history(learn); h.to_csv(fd/RUN_FILES.history, index=False)
    lrs = np.array(learn.recorder.lrs)
    show(f'final training ({time.time() - ts:.0f} s): history', h.round(4))
    plan = cfg.freeze_epochs + cfg.epochs
    print(f"{len(h)} of {plan} planned epochs run (early stopping, patience {cfg.early_stopping}); "
          f"{int((np.diff(lrs) < 0).sum())} plateau reduction(s) in the last phase, its last lr {lrs[-1]:g}; "
          f"checkpoint {sorted(p.name for p in (fd/RUN_FILES.checkpoints).iterdir())}")

    # 5. the test split
    preds, _ = predict_and_evaluate(learn, split, cfg, fd)
    ev = evaluate(preds, 'test')
    show('test: per class', ev['per_class'].round(3))
    show('test: confusion (rows true, columns predicted)', ev['confusion'])
    show('metrics with 95 % intervals', ci_table(preds, n_boot=cfg.n_boot))
    print(f"\nwall time {time.time() - t0:.0f} s")
    print('command:', ' '.join(shlex.quote(x) for x in [Path(sys.executable).name, *sys.argv]))
