"""Training-step throughput of medfast against a plain PyTorch loop, and peak memory of the brain-MRI run.

The same model (MobileNetV2, local ImageNet weights, unfrozen), the same batch size and the same tensors
(brain-MRI batches at 224 px, made once by medfast's DataLoaders) go through
  (a) medfast's Learner (fastai's training loop with medfast's metrics, recorder and callbacks), and
  (b) a plain PyTorch loop (forward, cross-entropy, backward, AdamW step).
Both run one training epoch over the tensors `--repeats` times; the best images/second of each is reported
with the ratio medfast / plain (target >= 0.9).

With `--brain-run OUT`, it then runs the acceptance command
  medfast train $MEDFAST_DATA/brain_mri --arch mobilenetv2_100 --pretrained <local weights> --size 224
          --epochs 5 --valid-pct 0.2 --seed 1 --out OUT
and reports its wall time, validation accuracy and peak resident memory (target < 4 GB).

Usage: MEDFAST_DATA=../shared/data MEDFAST_WEIGHTS=../shared/weights \
       python benchmarks/train_throughput.py [--batches 8] [--bs 32] [--size 224] [--brain-run OUT]
"""
import argparse, json, os, subprocess, sys, time
import torch
from torch import nn
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader
from fastai.callback.core import Callback
from medfast.core import data_dir, weights_file, seed_everything
from medfast.data import from_folder, split_items, get_dls
from medfast.train import medical_learner

ARCH = 'mobilenetv2_100'

class TrainTimer(Callback):
    "Wall time of the training phase of each epoch (validation excluded)."
    order = 100
    def before_train(self): self.t0 = time.perf_counter()
    def after_train(self): self.secs = time.perf_counter() - self.t0

def make_tensors(n_batches, bs, size):
    items = split_items(from_folder(data_dir('brain_mri')), valid_pct=0.2, seed=1)
    dls = get_dls(items, size=size, bs=bs, arch=ARCH, aug=False, seed=1)
    xs, ys = [], []
    for i, (x, y) in enumerate(dls.train):
        if i == n_batches: break
        xs.append(torch.Tensor(x).as_subclass(torch.Tensor).clone()); ys.append(y.as_subclass(torch.Tensor).clone())
    return dls, list(zip(torch.cat(xs), torch.cat(ys)))

def bench_medfast(dls, ds, bs, repeats):
    learn = medical_learner(dls, ARCH, pretrained=weights_file(ARCH), seed=1)
    learn.unfreeze()
    train = DataLoader(ds, bs=bs, shuffle=False, drop_last=True)
    valid = DataLoader(ds[:bs], bs=bs)
    learn.dls = DataLoaders(train, valid)
    timer = TrainTimer()
    best = 0.
    with learn.no_bar(), learn.no_logging():
        for _ in range(repeats + 1):        # the first epoch warms up
            learn.fit(1, 1e-4, cbs=timer)
            best = max(best, len(train) * bs / timer.secs)
    return learn, best

def bench_plain(model, ds, bs, repeats):
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss()
    dl = torch.utils.data.DataLoader(ds, batch_size=bs, shuffle=False, drop_last=True)
    best = 0.
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        for x, y in dl:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        best = max(best, len(dl) * bs / (time.perf_counter() - t0))
    return best

def brain_run(out):
    cmd = ['medfast', 'train', str(data_dir('brain_mri')), '--arch', ARCH, '--pretrained', str(weights_file(ARCH)),
           '--size', '224', '--epochs', '5', '--valid-pct', '0.2', '--seed', '1', '--out', out]
    print('$', ' '.join(cmd), flush=True)
    t0 = time.time()
    proc, peak_kb = subprocess.Popen(cmd), 0
    while proc.poll() is None:      # the child's own peak resident set (VmHWM), read until it exits
        try: peak_kb = max(peak_kb, int(next(l for l in open(f'/proc/{proc.pid}/status') if l.startswith('VmHWM')).split()[1]))
        except (OSError, StopIteration, ValueError): pass
        time.sleep(0.2)
    if proc.returncode: sys.exit(f"medfast train failed with exit code {proc.returncode}")
    secs = time.time() - t0
    peak_gb = peak_kb / 1024**2
    m = json.load(open(os.path.join(out, 'metrics.json')))['splits']['valid']['overall']
    print(f"brain-MRI run: {secs:.0f} s, valid accuracy {m['accuracy']:.3f} (balanced {m['balanced_accuracy']:.3f}), "
          f"peak resident memory {peak_gb:.2f} GB (target < 4 GB)")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--batches', type=int, default=8); p.add_argument('--bs', type=int, default=32)
    p.add_argument('--size', type=int, default=224); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--brain-run', default=None, help='output folder for the brain-MRI acceptance run')
    p.add_argument('--skip-throughput', action='store_true', help='only the brain-MRI run')
    a = p.parse_args()
    if a.skip_throughput: sys.exit(brain_run(a.brain_run))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {a.batches} batches of {a.bs} at {a.size} px")
    dls, ds = make_tensors(a.batches, a.bs, a.size)
    learn, fast = bench_medfast(dls, ds, a.bs, a.repeats)
    seed_everything(1)
    plain = bench_plain(learn.model, ds, a.bs, a.repeats)   # the same model object, continuing from its weights
    print(f"medfast training step: {fast:.1f} img/s; plain PyTorch loop: {plain:.1f} img/s; "
          f"ratio {fast/plain:.3f} (target >= 0.9)")
    if a.brain_run: brain_run(a.brain_run)
