"""Training time with and without `torch.compile` (TrainConfig(compile=True), `medfast.train.compile_model`), in fp32
and bf16 (`--precision`).

Each configuration trains in a child process of its own (a fresh compiler cache in memory; the inductor's on-disk
cache, ~/.cache or /tmp/torchinductor_$USER, is kept, as it would be for a user: delete it for cold compile times).
The child runs the pipeline's own steps (`build_dls`, `build_learner`, `fit`): MobileNetV2 with the local ImageNet
weights (`medfast.core.weights_file('mobilenetv2_100')`, $MEDFAST_WEIGHTS) at 224 px, batch size 32, 1 frozen + 2
unfrozen epochs at fastai's fine-tuning rate, on the brain MRIs ($MEDFAST_DATA/brain_mri, 20 % validation), no
lr_find. It reports, in seconds:

- `fit_s`: the whole fit, compilation included (the first training step, the first validation step, a last batch
  of another size and the unfrozen body each compile again),
- `step_s`: the steady training step, the median of the last epoch's training batches but its first (after
  warm-up), from the batch's start to the optimiser's step (on a GPU synchronised),
- `images_per_s`: the batch size / `step_s`.

Usage (on an idle machine; on a GPU the rows say cuda):

    MEDFAST_DATA=../shared/data MEDFAST_WEIGHTS=../shared/weights python benchmarks/compile_speed.py \\
        [--precision fp32 bf16] [--compile off on] [--backend inductor] [--out compile_speed.csv]
    python benchmarks/compile_speed.py --smoke --backend aot_eager   # a check of the script: 32 px, 1 batch
"""
import argparse, itertools, json, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd

SETTINGS = dict(arch='mobilenetv2_100', size=224, bs=32, freeze_epochs=1, epochs=2, tta=0)
SMOKE = dict(size=32, bs=8, freeze_epochs=0, epochs=1, n_items=10)   # one training batch of 8, two validation images

def child(a):
    "Train one configuration (`a.precision`, `a.compile`) and print its timings as one JSON line."
    import torch
    from fastai.vision.all import Callback
    from medfast.core import data_dir, weights_file
    from medfast.data import from_folder, split_items
    from medfast.config import TrainConfig
    from medfast.run import build_dls, build_learner, fit
    from medfast.train import COMPILE_KW
    s = SETTINGS | (SMOKE if a.smoke else {})
    items = from_folder(data_dir('brain_mri'))
    if a.smoke: items = items.groupby('label').head(s['n_items'] // 2).reset_index(drop=True)
    items = split_items(items, valid_pct=0.2, seed=0)
    cfg = TrainConfig(arch=s['arch'], pretrained=str(weights_file(s['arch'])), size=s['size'], bs=s['bs'],
                      freeze_epochs=s['freeze_epochs'], epochs=s['epochs'], tta=s['tta'], precision=a.precision,
                      compile=a.compile == 'on', seed=0)
    if a.backend != 'inductor': COMPILE_KW['backend'] = a.backend
    cuda = torch.cuda.is_available()

    class StepTimes(Callback):
        "The duration of each training batch (s), by epoch."
        order = -100   # first in, first timed
        def before_fit(self): self.times = getattr(self, 'times', [])
        def before_batch(self):
            if self.training: self.t0 = time.perf_counter()
        def after_step(self):
            if cuda: torch.cuda.synchronize()
            self.times.append((self.epoch, len(self.times), time.perf_counter() - self.t0))

    with tempfile.TemporaryDirectory() as out:
        learn = build_learner(build_dls(items, cfg), cfg, Path(out))
        st = StepTimes(); learn.add_cb(st)
        assert learn.compiled == (a.compile == 'on')
        t0 = time.perf_counter()
        with learn.no_bar(), learn.no_logging(): fit(learn, cfg, Path(out))
        fit_s = time.perf_counter() - t0
    tail = list(itertools.takewhile(lambda r: r[0] == st.times[-1][0], reversed(st.times)))[::-1]   # the last epoch
    steady = [t for _, _, t in tail[1:]] or [tail[-1][2]]   # but its first batch (one batch: that one)
    step = float(np.median(steady))
    print(json.dumps(dict(precision=a.precision, compile=a.compile, backend=a.backend if a.compile == 'on' else '',
                          device=str(learn.dls.device), size=s['size'], bs=s['bs'], fit_s=round(fit_s, 2),
                          step_s=round(step, 4), images_per_s=round(s['bs'] / step, 1), steps=len(st.times))))

def main(a):
    rows = []
    for prec in a.precision:
        for comp in a.compile:
            cmd = [sys.executable, __file__, '--child', '--precision', prec, '--compile', comp, '--backend', a.backend]
            r = subprocess.run(cmd + (['--smoke'] if a.smoke else []), capture_output=True, text=True)
            if r.returncode: sys.exit(f"{prec}, compile {comp} failed:\n{r.stderr[-3000:]}")
            rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
            print(f"{prec}, compile {comp}: fit {rows[-1]['fit_s']} s, step {rows[-1]['step_s']} s", flush=True)
    t = pd.DataFrame(rows)
    t.to_csv(a.out, index=False)
    print(t.to_string(index=False)); print(f"written: {a.out}")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--precision', nargs='+', default=['fp32', 'bf16'], help='precisions to time (fp32, bf16, fp16 on CUDA)')
    ap.add_argument('--compile', nargs='+', default=['off', 'on'], choices=['off', 'on'])
    ap.add_argument('--backend', default='inductor', help="torch.compile's backend (aot_eager: tracing without code generation)")
    ap.add_argument('--out', default='compile_speed.csv', help='the CSV file to write')
    ap.add_argument('--smoke', action='store_true', help='a check of the script: 32 px, 10 images, one training batch')
    ap.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child: a.precision, a.compile = a.precision[0], a.compile[0]; child(a)
    else: main(a)
