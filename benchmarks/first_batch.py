"""How long `medfast train` takes from the command to its first training batch, and where that time goes.

Runs `medfast train DATA --pretrained FILE --epochs 1 --out TMP` as a user would (the console script, a fresh process)
with `--plugin` pointing at this file: imported as a plugin, it adds a fastai callback to every Learner
(`fastai.learner.defaults.callbacks`) that notes the wall-clock time of the first `before_fit`, `before_batch` and
`after_batch`, then ends the process (`os._exit`: nothing is trained or written beyond the setup). The
parent measures from just before it starts the process; a second child measures `import medfast.cli` alone (torch,
fastai, timm). Prints one JSON line per repeat and the medians.

    MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/first_batch.py [--data brain_mri] [--size 224] [--repeats 3]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

STAMPS = os.environ.get('MEDFAST_FIRST_BATCH_STAMPS')   # set by the parent: where the child writes its times

if STAMPS:   # imported by `medfast train --plugin benchmarks/first_batch.py`
    from fastai.learner import defaults, Callback
    class _FirstBatch(Callback):
        "Write the wall-clock times of the first before_fit / before_batch / after_batch, then end the process."
        order, t = -100, {}
        def before_fit(self): self.t.setdefault('before_fit', time.time())
        def before_batch(self): self.t.setdefault('before_batch', time.time())
        def after_batch(self):
            self.t['after_batch'] = time.time()
            Path(STAMPS).write_text(json.dumps(self.t)); os._exit(0)
    defaults.callbacks = [*defaults.callbacks, _FirstBatch]

def one(a) -> dict:
    "Times of one `medfast train` start (seconds from the command)."
    with tempfile.TemporaryDirectory() as d:
        stamps = Path(d)/'stamps.json'
        env = dict(os.environ, MEDFAST_FIRST_BATCH_STAMPS=str(stamps))
        from medfast.core import weights_file
        cmd = ['medfast', 'train', str(Path(os.environ['MEDFAST_DATA'])/a.data), '--pretrained', str(weights_file(a.arch)),
               '--arch', a.arch, '--size', str(a.size), '--epochs', '1', '--out', f'{d}/run', '--plugin', __file__]
        t0 = time.time()
        subprocess.run(cmd, env=env, capture_output=True, text=True)
        t_end = time.time()
        t = json.loads(stamps.read_text()) if stamps.exists() else {}
        t0i = time.time(); subprocess.run([sys.executable, '-c', 'import medfast.cli'], check=True); imp = time.time() - t0i
    return dict(import_cli_s=round(imp, 2), **{f'{k}_s': round(v - t0, 2) for k, v in t.items()}, process_s=round(t_end - t0, 2))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='brain_mri', help='a class folder under MEDFAST_DATA (default: brain_mri)')
    ap.add_argument('--arch', default='mobilenetv2_100', help='a backbone with a local weights file in MEDFAST_WEIGHTS')
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    rows = [one(a) for _ in range(a.repeats)]
    for r in rows: print(json.dumps(r))
    print('median', json.dumps({k: statistics.median(r[k] for r in rows) for k in rows[0]}))
