"""The DataLoader alone, without a model: training images per second at 224 px on three shared sets, with and
without `open_image`'s decoded-image cache (`medfast.data.IMAGE_CACHE_MB`), and with 0, 1 or 2 worker processes.

Each configuration builds medfast's DataLoaders (`get_dls`: `MedImage`, `Resize` 224, fastai's augmentation on the
training batches, normalisation), then iterates the training loader for `--epochs` epochs; the first epoch decodes
every image (cold), the later ones read the cache when it is on (warm). It reports images per second per epoch and
the pixels the cache holds. The sets: the leukemia smears (JPEG, 224 x 224 to 257 x 257), the brain-MRI scans (JPEG
and PNG, up to 1,920 px wide), the CT slices (16-bit DICOM, 512 x 512).

Measured (`--workers 0 --epochs 2`, one thread beside a training job, 2026-12-07), images/s in epoch 1 / epoch 2:
without the cache leukemia 186.7 / 200.6, brain MRI 139.4 / 134.3, CT 53.8 / 54.0; with it 188.6 / 232.8,
122.1 / 167.6, 51.3 / 131.6 (holding 44, 85 and 55 MB of pixels).

Usage: MEDFAST_DATA=../shared/data OMP_NUM_THREADS=2 python benchmarks/loader_speed.py [--workers 0 1 2] [--epochs 2]
       [--sets leukemia brain_mri ct_dicom] [--out loader_speed.csv]
"""
import argparse, json, time
import pandas as pd
import medfast.data as md
from medfast.core import data_dir
from medfast.data import read_items, split_items, get_dls, clear_image_cache

SETS = dict(leukemia=('all_leukemia_subset',), brain_mri=('brain_mri',), ct_dicom=('ct_dicom', 'labels.csv'))

def epoch_rates(items:pd.DataFrame, workers:int, cache_mb:int, epochs:int) -> list:
    "Training images per second of each of `epochs` passes over the training DataLoader (no model)."
    md.IMAGE_CACHE_MB = cache_mb; clear_image_cache()
    dls = get_dls(items, size=224, bs=32, arch='mobilenetv2_100', num_workers=workers)
    rates = []
    for _ in range(epochs):
        t0, n = time.perf_counter(), 0
        for xb, _ in dls.train: n += len(xb)
        rates.append(n / (time.perf_counter() - t0))
    return rates

def main(a):
    rows = []
    for name in a.sets:
        items = split_items(read_items(data_dir(*SETS[name])), valid_pct=0.2, seed=42)
        for workers in a.workers:
            for cache_mb in (0, 1024):
                r = epoch_rates(items, workers, cache_mb, a.epochs)
                rows.append(dict(data=name, workers=workers, cache_mb=cache_mb, **{f'epoch{i + 1}_img_s': round(x, 1) for i, x in enumerate(r)},
                                 cache_held_mb=round(md._PIXELS_USED[0] / 2**20, 1)))
                print(json.dumps(rows[-1]), flush=True)
                pd.DataFrame(rows).to_csv(a.out, index=False)
    print(pd.DataFrame(rows).to_string(index=False))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sets', nargs='+', default=list(SETS), choices=list(SETS))
    ap.add_argument('--workers', nargs='+', type=int, default=[0])
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--out', default='loader_speed.csv')
    main(ap.parse_args())
