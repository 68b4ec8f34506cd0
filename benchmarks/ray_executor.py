"""Wall time of the same 4 cross-validation jobs run in sequence and on Ray, and whether their metrics agree.

The 4 jobs are the 4 folds of MobileNetV2 (local ImageNet weights) on the brain MRIs. Three runs, each in a fresh folder:
  sequential, torch's default threads (all cores for one job at a time: what a user gets by default);
  sequential, 1 thread per job;
  Ray on this machine, 1 CPU (and 1 torch thread) per job, so as many jobs at a time as there are cores.
The Ray time includes starting Ray and its workers. The fold metrics of each run are compared with the 1-thread
sequential run: equal results need the same number of threads per job (see `medfast.experiment.run_jobs`).

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/ray_executor.py --out /tmp/ray-bench [--size 128 --epochs 2]
"""
import argparse, json, os, shutil, time
from pathlib import Path
import pandas as pd, torch
from medfast.core import data_dir, weights_file
from medfast.data import from_folder
from medfast.protocols import cross_validate

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--jobs', type=int, default=4, help='folds, one job each')
    a = ap.parse_args()
    out = Path(a.out)
    if out.exists(): shutil.rmtree(out)
    items = from_folder(data_dir('brain_mri'))
    kw = dict(k=a.jobs, seed=7, size=a.size, bs=32, epochs=a.epochs, freeze_epochs=1, lr=1e-3, n_boot=100,
              pretrained=str(weights_file('mobilenetv2_100')))
    runs = [('sequential, default threads', dict()), ('sequential, 1 thread', dict(run_kw=dict(threads=1))),
            ('ray, 1 CPU per job', dict(executor='ray', run_kw=dict(cpus_per_job=1)))]
    res, scores = [], {}
    for name, extra in runs:
        t0 = time.time()
        sc = cross_validate(items, out/name.split(',')[0].replace(' ', '_') / str(len(res)), arch='mobilenetv2_100', **kw, **extra)
        wall = time.time() - t0
        scores[name] = sc.drop(columns='seconds').sort_values('fold').reset_index(drop=True)
        res.append(dict(run=name, wall_s=round(wall, 1), sum_job_s=round(sc.seconds.sum(), 1), mean_accuracy=round(sc.accuracy.mean(), 4)))
    ref = scores['sequential, 1 thread']
    for r in res:
        r['same_metrics_as_1_thread'] = bool(scores[r['run']].equals(ref))
        r['max_abs_diff'] = float((scores[r['run']].select_dtypes('number') - ref.select_dtypes('number')).abs().max().max())
    df = pd.DataFrame(res)
    print(f"{a.jobs} jobs, {a.size} px, 1+{a.epochs} epochs, {os.cpu_count()} cores, torch default threads {torch.get_num_threads()}")
    print(df.to_string(index=False))
    (out/'results.json').write_text(json.dumps(res, indent=2))
