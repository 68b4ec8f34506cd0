"""medfast's default run against the ten lines of plain fastai a student would write, on the same data, seed and threads,
one after the other in one invocation.

Plain fastai: `ImageDataLoaders.from_folder(valid_pct=0.2, item_tfms=Resize(size), batch_tfms=aug_transforms(), bs=32)`,
`vision_learner` with the same local ImageNet weights, `lr_find().valley`, `fine_tune(epochs, lr)`, `get_preds`.
medfast: `train_run` (what `medfast train DATA --pretrained FILE --epochs N --seed S` runs) with every other setting at
its default (with pretrained weights, fastai's fine-tuning learning rate 2e-3 and no lr_find; `--set lr=valley` runs
lr_find as plain fastai does); its steps are timed by wrapping the pipeline's functions (`medfast.run._setup`, `find_lr`,
`fine_tune_recipe`, `predict_and_evaluate`, `export_model`, `report`).

Each framework runs in its own child process (so its peak resident memory, CPU times and page faults are its own) and
reports: wall time per phase (setup: reading, audit, image check, DataLoaders, model; lr_find; training; prediction;
evaluation/report), training images per second, user and system CPU seconds, minor page faults, peak RSS, and validation
accuracy and ROC AUC with 95% intervals (computed the same way for both: `medfast.metrics.confidence_intervals` on the
validation predictions). The last lines are the ratios medfast / fastai.

On a GPU: `--device cuda --precision fp16` trains both in fastai's mixed precision (`to_fp16`; medfast's `precision`
setting), and each row adds the peak GPU memory allocated (`torch.cuda.max_memory_allocated`). `--device cpu` keeps both
on the CPU even where a GPU is present (fastai's `defaults.use_cuda = False`).

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/vs_fastai.py --data all_leukemia_subset [--size 224 --epochs 4
       --threads 2 --seed 1 --device cuda --precision fp16 --only medfast --set channels_last=false]
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time
from pathlib import Path

PHASES = ('setup', 'lr_find', 'train', 'predict', 'evaluate')

def _usage() -> dict:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return dict(user_s=r.ru_utime, sys_s=r.ru_stime, minor_faults=r.ru_minflt, peak_rss_gb=r.ru_maxrss / 2**20)

def _ci(preds) -> dict:
    "Validation accuracy and ROC AUC ('estimate (low-high)') of a medfast predictions table, by medfast's interval methods."
    from medfast.metrics import confidence_intervals, fmt_ci
    ci = confidence_intervals(preds, split='valid', n_boot=1000).set_index('metric')
    auc = 'roc_auc' if 'roc_auc' in ci.index else 'roc_auc_macro'
    f = lambda m: fmt_ci(*ci.loc[m, ['estimate', 'low', 'high']])
    return dict(accuracy=f('accuracy'), roc_auc=f(auc), acc=float(ci.loc['accuracy', 'estimate']))

def run_fastai(a) -> dict:
    "The plain fastai recipe; returns phase times, counts and the validation figures."
    from fastai.vision.all import (ImageDataLoaders, Resize, aug_transforms, vision_learner, accuracy, set_seed)
    import pandas as pd
    from medfast.core import data_dir, weights_file
    t, t0 = {}, time.time()
    set_seed(a.seed, reproducible=True)
    dls = ImageDataLoaders.from_folder(data_dir(a.data), valid_pct=0.2, seed=a.seed, item_tfms=Resize(a.size),
                                       batch_tfms=aug_transforms(), bs=32, num_workers=0)
    learn = vision_learner(dls, a.arch, pretrained=True, pretrained_cfg_overlay=dict(file=str(weights_file(a.arch))),
                           metrics=accuracy, path=tempfile.mkdtemp())   # lr_find saves a model: not into the data folder
    if a.precision not in (None, 'fp32'): learn = learn.to_fp16() if a.precision == 'fp16' else learn.to_bf16()
    t['setup'] = time.time() - t0; t0 = time.time()
    with learn.no_bar(), learn.no_logging(): lr = float(learn.lr_find(show_plot=False).valley)
    t['lr_find'] = time.time() - t0; t0 = time.time()
    with learn.no_bar(), learn.no_logging(): learn.fine_tune(a.epochs, lr)
    t['train'] = time.time() - t0; t0 = time.time()
    with learn.no_bar(): probs, targs = learn.get_preds()
    t['predict'] = time.time() - t0; t0 = time.time()
    vocab = list(dls.vocab)
    preds = pd.DataFrame(dict(path=[str(p) for p in dls.valid.items], split='valid', target=[vocab[i] for i in targs],
                              pred=[vocab[i] for i in probs.argmax(1)],
                              **{f'prob_{c}': probs[:, i].numpy() for i, c in enumerate(vocab)}))
    res = _ci(preds)
    t['evaluate'] = time.time() - t0
    return dict(times=t, lr=lr, n_train=len(dls.train_ds), n_valid=len(dls.valid_ds), epochs_total=1 + a.epochs, **res)

def _timed(mod, name: str, bucket: str, t: dict):
    "Replace `mod.name` by a wrapper that adds its wall time to t[bucket]."
    f = getattr(mod, name)
    def g(*args, **kw):
        s = time.time()
        try: return f(*args, **kw)
        finally: t[bucket] = t.get(bucket, 0.0) + time.time() - s
    setattr(mod, name, g)

def _settings(pairs) -> dict:
    "`--set KEY=VALUE` pairs as `TrainConfig` settings (values read as JSON where they parse: true, 50, 0.1; else strings)."
    def val(v):
        try: return json.loads(v)
        except json.JSONDecodeError: return v
    return {k: val(v) for k, v in (p.split('=', 1) for p in pairs or [])}

def run_medfast(a) -> dict:
    "`train_run` with medfast's defaults; returns phase times, counts and the validation figures."
    import pandas as pd
    import medfast.run as R
    from medfast.core import data_dir, weights_file
    t = {}
    for name, bucket in [('_setup', 'setup'), ('find_lr', 'lr_find'), ('fine_tune_recipe', 'train'),
                         ('predict_and_evaluate', 'predict'), ('export_model', 'evaluate'), ('report', 'evaluate')]:
        _timed(R, name, bucket, t)
    out = Path(tempfile.mkdtemp())/'run'
    t0 = time.time()
    s = R.train_run(data_dir(a.data), out, pretrained=str(weights_file(a.arch)), arch=a.arch, size=a.size, epochs=a.epochs,
                    seed=a.seed, quiet=True, **(({'precision': a.precision} if a.precision else {}) | _settings(a.set)))
    total = time.time() - t0
    t['setup'] = total - sum(v for k, v in t.items() if k != 'setup')   # reading, splitting, audit, model: all but the timed steps
    items = pd.read_csv(out/'items.csv')
    res = _ci(pd.read_csv(out/'predictions.csv'))
    return dict(times=t, lr=s['lr_used'], n_train=int((items.split == 'train').sum()), n_valid=int((items.split == 'valid').sum()),
                epochs_total=s['freeze_epochs'] + a.epochs, **res)

def _check(a):
    "Stop with a message, before anything runs, on options that cannot run here: a GPU run without a GPU, fp16 on a CPU, a bad --data or --arch."
    import torch
    from medfast.core import data_dir, weights_file, MedfastError
    if a.device == 'cuda' and not torch.cuda.is_available(): sys.exit("vs_fastai: --device cuda: torch sees no CUDA GPU here; use --device cpu.")
    if a.device == 'cpu' and a.precision == 'fp16': sys.exit("vs_fastai: --precision fp16 needs --device cuda (fastai's mixed precision).")
    if a.device == 'cpu' and a.precision == 'bf16' and a.only != 'medfast':
        sys.exit("vs_fastai: plain fastai has no bf16 on a CPU; compare --precision bf16 on a GPU, or add --only medfast.")
    try: data_dir(a.data), weights_file(a.arch)
    except MedfastError as e: sys.exit(f"vs_fastai: {e}")

def _device(a):
    "Put both frameworks on `a.device` (fastai's default device)."
    from fastai.torch_core import defaults
    defaults.use_cuda = a.device == 'cuda'

def child(a):
    import torch
    torch.set_num_threads(a.threads)
    _device(a)
    r = (run_fastai if a.which == 'fastai' else run_medfast)(a)
    r['wall_s'] = sum(r['times'].values())
    r['train_img_per_s'] = r['n_train'] * r['epochs_total'] / r['times']['train']
    if a.device == 'cuda': r['gpu_peak_gb'] = torch.cuda.max_memory_allocated() / 2**30
    print('RESULT ' + json.dumps(r | _usage()))

def main(a):
    _check(a)
    rows = {}
    env = os.environ | dict(OMP_NUM_THREADS=str(a.threads), MKL_NUM_THREADS=str(a.threads))
    for which in ([a.only] if a.only else ['fastai', 'medfast']):
        cmd = [sys.executable, __file__, '--which', which, '--data', a.data, '--arch', a.arch, '--size', str(a.size),
               '--epochs', str(a.epochs), '--seed', str(a.seed), '--threads', str(a.threads), '--device', a.device,
               *(['--precision', a.precision] if a.precision else []), *(['--set', *a.set] if a.set else [])]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        line = [l for l in p.stdout.splitlines() if l.startswith('RESULT ')]
        if p.returncode or not line: sys.exit(f"{which} failed:\n{p.stderr[-3000:]}")
        rows[which] = json.loads(line[-1][7:])
    print(f"data {a.data}, {a.arch} at {a.size} px, bs 32, 1 frozen + {a.epochs} epochs, seed {a.seed}, {a.threads} threads, "
          f"{a.device}, {a.precision or 'fastai fp32, medfast its default (auto)'}"
          + (f"; medfast with {' '.join(a.set)}" if a.set else ''))
    keys = [*(f't_{p}' for p in PHASES), 'wall_s', 'train_img_per_s', 'user_s', 'sys_s', 'minor_faults', 'peak_rss_gb',
            'lr', 'n_train', 'n_valid', 'accuracy', 'roc_auc', *(['gpu_peak_gb'] if a.device == 'cuda' else [])]
    table = {w: {**{f't_{p}': r['times'].get(p, 0.0) for p in PHASES}, **r} for w, r in rows.items()}
    width = max(map(len, keys))
    print(f"{'':{width}}  " + '  '.join(f'{w:>22}' for w in table))
    for k in keys:
        vals = [table[w][k] for w in table]
        fmt = lambda v: f'{v:>22.3g}' if k == 'lr' else f'{v:>22.3f}' if isinstance(v, float) else f'{v!s:>22}'
        print(f"{k:{width}}  " + '  '.join(map(fmt, vals)))
    if len(table) == 2:
        f, m = table['fastai'], table['medfast']
        print('medfast / fastai: ' + ', '.join(f"{k} {m[k] / f[k]:.2f}" for k in ('wall_s', 't_train', 'train_img_per_s', 'user_s',
                                                                                'sys_s', 'peak_rss_gb', 'gpu_peak_gb')
                                           if f.get(k)))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='all_leukemia_subset', help='a class folder under MEDFAST_DATA')
    ap.add_argument('--arch', default='mobilenetv2_100', help='a backbone with a local weights file in MEDFAST_WEIGHTS')
    ap.add_argument('--size', type=int, default=224, help='image size in pixels (default: 224)')
    ap.add_argument('--epochs', type=int, default=4, help='unfrozen epochs, after 1 frozen (fastai fine_tune; default: 4)')
    ap.add_argument('--seed', type=int, default=1, help='seed of both runs (default: 1)')
    ap.add_argument('--threads', type=int, default=2, help='torch threads of each run (default: 2)')
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cpu', help='where both train (default: the CPU)')
    ap.add_argument('--precision', choices=['fp32', 'fp16', 'bf16'], default=None,
                    help="both in this precision: fp16/bf16 are fastai's mixed precision on a GPU (bf16 on a CPU: medfast only); "
                         "default: plain fastai in fp32, medfast at its default precision ('auto')")
    ap.add_argument('--set', nargs='+', metavar='KEY=VALUE', help="medfast settings other than its defaults, e.g. channels_last=false")
    ap.add_argument('--only', choices=['fastai', 'medfast'], help='run one of the two (default: both, fastai first)')
    ap.add_argument('--which', choices=['fastai', 'medfast'], help=argparse.SUPPRESS)   # the child process
    a = ap.parse_args()
    child(a) if a.which else main(a)
