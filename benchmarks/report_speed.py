"""Speed of `medfast.report.report` on a run with >= 500 predictions.

Trains a tiny RetinaMNIST run once (random-weight MobileNetV2, 28 px, 1 epoch: 120 valid + 400 test = 520 predictions,
5 classes) into --run (reused when it already holds predictions.csv), then times `report()` with n_boot bootstrap
resamples (best of --repeats). Target: under 30 s on a 2-core CPU.

Usage: MEDFAST_DATA=/path/to/data python benchmarks/report_speed.py [--run /tmp/medfast-report-bench] [--n-boot 1000] [--repeats 1]
"""
import argparse, time
from pathlib import Path
import pandas as pd
from medfast.core import data_dir
from medfast.run import train_run
from medfast.report import report

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', default='/tmp/medfast-report-bench')
    ap.add_argument('--n-boot', type=int, default=1000)
    ap.add_argument('--repeats', type=int, default=1)
    a = ap.parse_args()
    run = Path(a.run)
    if not (run/'predictions.csv').is_file():
        train_run(data_dir('retinamnist', 'retinamnist.npz'), run, arch='mobilenetv2_100', pretrained='none', size=28,
                  epochs=1, bs=64, lr_find_iters=10, quiet=True, overwrite=True)
    n = len(pd.read_csv(run/'predictions.csv'))
    ts = []
    for _ in range(a.repeats):
        t0 = time.perf_counter(); fn = report(run, n_boot=a.n_boot); ts.append(time.perf_counter() - t0)
    print(f"report(): {min(ts):.1f} s for {n} predictions, n_boot={a.n_boot} -> {fn} ({fn.stat().st_size/1e6:.1f} MB)")
