"""COVID-19 vs other pneumonia (the `chest_xray` set): shortcut checks, then MobileNetV2 on normalised images, split by patient.

The recipe of `nbs/tutorials/chest_xray.ipynb` at real size:
1. the items table with patient ids, a 60/20/20 split of the patients (stratified by class), the leakage audit;
2. shortcut checks that never look at the lungs, scored by 5-fold cross-validation grouped by patient over all images:
   logistic regressions on the file metadata only (format, mode, width, height, kB) and on the source site only;
3. normalised copies (medfast's decoder -> grey -> `--norm-size` square -> PNG) and copies with everything but a border
   frame (`--frame` of the side) blacked out; a linear probe (logistic regression on the averaged last feature map of
   the ImageNet MobileNetV2 body, not trained here) of the frame-only and of the whole normalised images;
4. MobileNetV2 (local ImageNet weights) fine-tuned with medfast on the normalised images (`get_dls` + `xray` preset,
   `medical_learner`, `fine_tune_recipe` at a fixed peak rate), for each seed in `--seeds` (seed = the patient split
   and the model's initialisation; the first seed is the tutorial's);
5. test metrics with 95 % intervals (`confidence_intervals`, `ci_table`) and a Grad-CAM grid of the top losses.

Prints every figure with its interval and the command line; writes predictions, histories and figures to --out.

Usage: MEDFAST_DATA=../shared/data MEDFAST_WEIGHTS=../shared/weights OMP_NUM_THREADS=1 \\
       python benchmarks/tutorial_chest_xray.py --out /tmp/chest_xray [--size 160 --epochs 6 --freeze-epochs 8 --seeds 1 2 3]
"""
import argparse, os, shlex, sys, time, warnings
from pathlib import Path
from urllib.parse import urlparse
import numpy as np, pandas as pd, torch
from PIL import Image
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from medfast.all import *

ARCH = 'mobilenetv2_100'

def file_meta(p) -> dict:
    with Image.open(p) as im:
        return dict(format=im.format, mode=im.mode, width=im.width, height=im.height, kb=os.path.getsize(p) / 1024)

def frame_mask(n:int, frame:float) -> np.ndarray:
    k = int(round(frame * n)); m = np.ones((n, n), bool); m[k:n - k, k:n - k] = False
    return m

def normalise_xray(src, dst, size:int) -> str:
    open_image(src).convert('L').resize((size, size), Image.LANCZOS).save(dst, format='PNG')
    return str(dst)

def blackout(src, dst, frame:float) -> str:
    a = np.asarray(Image.open(src).convert('L')).copy()
    a[~frame_mask(a.shape[0], frame)] = 0
    Image.fromarray(a).save(dst, format='PNG')
    return str(dst)

def copies(df:pd.DataFrame, folder:Path, fn) -> pd.DataFrame:
    folder.mkdir(parents=True, exist_ok=True)
    return df.assign(path=[fn(p, folder/f'{i:03d}_{Path(p).stem}.png') for i, p in enumerate(df.path)])

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True, help='folder for predictions, histories and figures')
    ap.add_argument('--size', type=int, default=160, help='training (and probe) image size')
    ap.add_argument('--bs', type=int, default=8)
    ap.add_argument('--epochs', type=int, default=6, help='epochs with the body unfrozen')
    ap.add_argument('--freeze-epochs', type=int, default=8, help='epochs training the head alone first')
    ap.add_argument('--lr', type=float, default=1e-3, help="peak learning rate; 0: lr_find's valley")
    ap.add_argument('--lr-find-iters', type=int, default=20, help='lr_find steps when --lr 0')
    ap.add_argument('--n-boot', type=int, default=1000)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3], help='patient splits / model seeds (the first: the tutorial\'s)')
    ap.add_argument('--frame', type=float, default=0.10, help='border frame width, a fraction of the side')
    ap.add_argument('--norm-size', type=int, default=256, help='side of the normalised copies')
    a = ap.parse_args()
    warnings.filterwarnings('ignore')
    t0 = time.time()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    print('command:', ' '.join(shlex.quote(x) for x in [Path(sys.executable).name] + sys.argv))
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, torch {torch.get_num_threads()}")
    def scores(preds, split=None):
        ci = confidence_intervals(preds, split=split, n_boot=a.n_boot).set_index('metric')
        return {m: fmt_ci(*ci.loc[m, ['estimate', 'low', 'high']]) for m in ('roc_auc', 'balanced_accuracy', 'accuracy')}

    # 1. items
    items = read_items(data_dir('chest_xray', 'labels.csv'), patient_col='patient')
    print(f"\n{len(items)} images, {items.patient.nunique()} patients: {items.label.value_counts().to_dict()}")

    # 2. shortcuts without pixels
    meta = pd.concat([items[['label']], pd.DataFrame([file_meta(p) for p in items.path])], axis=1)
    items['source'] = [urlparse(u).netloc.removeprefix('www.') for u in items.url]
    print('\n' + pd.crosstab([meta.format, meta['mode']], meta.label).to_string())
    src = pd.crosstab(items.source, items.label)
    print(f"images from a site that gave one class only: {src[(src == 0).any(axis=1)].sum().to_dict()}")
    y, groups = (items.label == 'covid').to_numpy().astype(int), items.patient.to_numpy()
    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    def oof(model, X):
        p = cross_val_predict(model, X, y, groups=groups, cv=cv, method='predict_proba')[:, 1]
        return pd.DataFrame(dict(path=items.path, target=items.label, prob_pneumonia=1 - p, prob_covid=p))
    meta_model = make_pipeline(make_column_transformer((OneHotEncoder(handle_unknown='ignore'), ['format', 'mode']),
                                                       (StandardScaler(), ['width', 'height', 'kb'])), LogisticRegression(max_iter=1000))
    rows = {'file metadata (LR)': scores(oof(meta_model, meta)),
            'source site (LR)': scores(oof(make_pipeline(OneHotEncoder(handle_unknown='ignore'),
                                                          LogisticRegression(max_iter=1000)), items[['source']]))}

    # 3. normalised and frame-only copies, linear probes
    t = time.time()
    grey = copies(items, out/'grey', lambda s, d: normalise_xray(s, d, a.norm_size))
    border = copies(grey, out/'border', lambda s, d: blackout(s, d, a.frame))
    print(f"\nnormalised copies: {pd.DataFrame([file_meta(p) for p in grey.path]).drop(columns='kb').drop_duplicates().to_dict('records')}"
          f"; frame {a.frame:.2f} of the side = {frame_mask(a.norm_size, a.frame).mean():.3f} of the area")
    body = create_model(ARCH, 2, pretrained=weights_file(ARCH))[0][0].eval()
    mean, std = backbone_stats(ARCH)
    pipes = eval_pipes(dict(size=[a.size] * 2, mean=mean, std=std))
    def features(paths, bs=32):
        with torch.no_grad():
            return np.concatenate([body(eval_batch(paths[i:i + bs], pipes)).mean((2, 3)).numpy() for i in range(0, len(paths), bs)])
    probe = make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=3000))
    rows['frame only (ImageNet probe)'] = scores(oof(probe, features(border.path.tolist())))
    rows['whole normalised image (ImageNet probe)'] = scores(oof(probe, features(grey.path.tolist())))
    print(f"copies and probes: {time.time() - t:.0f} s")
    print('\nall 174 images, out-of-fold (5 folds grouped by patient); ROC AUC / balanced accuracy / accuracy, 95 % intervals '
          f"(chance: AUC 0.5, balanced accuracy 0.5; always 'covid': accuracy {y.mean():.3f}):")
    print(pd.DataFrame(rows).T.to_string())

    # 4.-5. the network, per seed
    w, nets = weights_file(ARCH), {}
    for seed in a.seeds:
        t = time.time()
        split = split_items(grey, valid_pct=0.2, test_pct=0.2, by_patient=True, seed=seed)
        audit = audit_splits(split, on_leak='raise')
        dls = get_dls(split, size=a.size, bs=a.bs, arch=ARCH, aug=False, positive='covid', **aug_preset('xray', size=a.size))
        learn = medical_learner(dls, ARCH, pretrained=w, seed=seed)
        with learn.no_bar(), learn.added_cbs(PlainProgress(every=300)):
            fine_tune_recipe(learn, epochs=a.epochs, freeze_epochs=a.freeze_epochs, lr=a.lr or 'valley', num_it=a.lr_find_iters)
        preds = predict_splits(learn, split)
        d = out/f'seed_{seed}'; d.mkdir(exist_ok=True)
        save_preds(preds, d/'predictions.csv'); history(learn).to_csv(d/'history.csv', index=False)
        plot_history(history(learn), fname=d/'history.png')
        plot_cam_grid(preds, learn, k=6, split='test', fname=d/'cam_grid.png')
        cc, tp = class_counts(split), split[(split.split == 'test') & (split.label == 'pneumonia')].patient.nunique()
        print(f"\nseed {seed}: test {cc.loc['covid', 'test']} covid / {cc.loc['pneumonia', 'test']} pneumonia images "
              f"({tp} pneumonia patients), "
              f"audit {len(audit)} leaks, trained in {time.time() - t:.0f} s, lr {learn.recipe['lr']:.1e}")
        nets[seed] = preds
        if seed == a.seeds[0]:
            print(ci_table(preds, n_boot=a.n_boot).to_string())
            print(evaluate(preds, 'test')['per_class'].round(3).to_string())
    print('\nfine-tuned MobileNetV2 on the normalised images, test split per seed; ROC AUC / balanced accuracy / accuracy:')
    print(pd.DataFrame({f'seed {s}': scores(p, 'test') for s, p in nets.items()}).T.to_string())
    print(f"\nfigures and predictions in {out}; total {time.time() - t0:.0f} s")

if __name__ == '__main__': main()
