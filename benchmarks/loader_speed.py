"""The DataLoader alone, without a model: training images per second at 224 px on three shared sets, with and
without the resized-image cache (`medfast.data.open_resized`), with 0 or more worker processes.

Each configuration builds medfast's DataLoaders (`get_dls`: `MedImage`, `Resize` 224, fastai's augmentation on the
training batches, normalisation), then iterates the training loader for `--epochs` epochs: the first epoch decodes
every image (cold), the later ones read the cache when it is on (warm). Configurations: in the training process
(`workers 0`) with the cache off (`MEDFAST_IMAGE_CACHE_MB=0`: every epoch decodes, as before the cache) and on (in
memory); with N worker processes, which share the decoded images through the disk cache (`$MEDFAST_CACHE/images`,
here a fresh temporary folder, so epoch 1 is cold). Per-worker rate = images/s over workers. The sets: the leukemia
smears (JPEG, 224 x 224 to 257 x 257), the brain-MRI scans (JPEG and PNG, up to 1,920 px wide), the CT slices
(16-bit DICOM, 512 x 512). Measured figures are in the README's Speed section, with the command.

Usage: MEDFAST_DATA=../shared/data OMP_NUM_THREADS=2 python benchmarks/loader_speed.py [--workers 0 1 2] [--epochs 2]
       [--sets leukemia brain_mri ct_dicom] [--out loader_speed.csv]
"""
import argparse, json, os, tempfile, time
import pandas as pd
import medfast.data as md
from medfast.core import data_dir
from medfast.data import read_items, split_items, get_dls, clear_image_cache

SETS = dict(leukemia=('all_leukemia_subset',), brain_mri=('brain_mri',), ct_dicom=('ct_dicom', 'labels.csv'))

def epoch_rates(items:pd.DataFrame, workers:int, cache:str, epochs:int) -> list:
    "Training images per second of each of `epochs` passes over the training DataLoader (no model)."
    md.IMAGE_CACHE_MB = 0 if cache == 'off' else 1024; clear_image_cache()
    with tempfile.TemporaryDirectory() as d:
        os.environ['MEDFAST_CACHE'] = d   # workers: a cold disk cache
        t0 = time.perf_counter()
        dls = get_dls(items, size=224, bs=32, arch='mobilenetv2_100', num_workers=workers)
        rates = []
        for _ in range(epochs):
            n = 0
            for xb, _ in dls.train: n += len(xb)
            rates.append(n / (time.perf_counter() - t0)); t0 = time.perf_counter()
        del dls
    return rates

def main(a):
    rows = []
    for name in a.sets:
        items = split_items(read_items(data_dir(*SETS[name])), valid_pct=0.2, seed=42)
        for workers in a.workers:
            for cache in (('off', 'memory') if workers == 0 else ('disk',)):
                r = epoch_rates(items, workers, cache, a.epochs)
                rows.append(dict(data=name, workers=workers, cache=cache,
                                 **{f'epoch{i + 1}_img_s': round(x, 1) for i, x in enumerate(r)},
                                 memory_cache_mb=round(md._PIXELS_USED[0] / 2**20, 1)))
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
