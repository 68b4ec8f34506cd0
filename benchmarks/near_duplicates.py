"""Near-duplicate detection (perceptual hashes): its speed on the data sets, and why the threshold is 6 bits.

For each set, the time to hash every image (`image_hashes`: open_image + imagehash.phash) and to find the pairs and
groups; on the brain-tumour set (slice runs, `approx_series` groups in labels.csv), for several thresholds, the share of
consecutive slices of one series caught, the size of the largest group and the share of groups within one series.

    python benchmarks/near_duplicates.py
"""
import time
import numpy as np, pandas as pd
from medfast.core import data_dir
from medfast.data import read_items, image_hashes, near_duplicates, near_duplicate_groups, NEAR_DUP_DISTANCE

def timing(name, items):
    t0 = time.time(); h = image_hashes(items); t1 = time.time()
    pairs = near_duplicates(items, hashes=h); groups = near_duplicate_groups(items, hashes=h); t2 = time.time()
    print(f"{name:22s} {len(items):5d} images: hashing {t1 - t0:5.1f} s ({1000 * (t1 - t0) / len(items):4.1f} ms/image), "
          f"pairs and groups {t2 - t1:5.2f} s; {len(pairs)} pairs, {len(set(groups))} groups")
    return h

if __name__ == '__main__':
    for name, src in [('all_leukemia_subset', data_dir('all_leukemia_subset')), ('brain_mri', data_dir('brain_mri')),
                      ('glomeruli', data_dir('glomeruli', 'labels.csv')), ('ct_dicom', data_dir('ct_dicom', 'labels.csv'))]:
        timing(name, read_items(src))
    tum = read_items(data_dir('brain_tumor_mri', 'labels.csv'))
    h = timing('brain_tumor_mri', tum)
    d = (h[:, None, :] != h[None, :, :]).sum(-1)
    idx, ser = tum['figshare_index'].to_numpy(), tum['approx_series'].to_numpy()
    o = np.argsort(idx)
    nb = np.array([d[a, b] for a, b in zip(o[:-1], o[1:]) if idx[b] == idx[a] + 1 and ser[a] == ser[b]])
    print(f"consecutive slices of one series: {len(nb)} pairs, distance median {np.median(nb):.0f} (quartiles "
          f"{np.percentile(nb, 25):.0f}-{np.percentile(nb, 75):.0f})")
    for t in (4, 6, 8, 10):
        g = near_duplicate_groups(tum, max_distance=t, hashes=h)
        sizes = np.bincount(g); pure = np.mean([len(set(ser[g == k])) == 1 for k in range(len(sizes))])
        print(f"threshold {t:2d}{' (default)' if t == NEAR_DUP_DISTANCE else '          '}: {np.mean(nb <= t):.0%} of neighbouring "
              f"slices caught, {len(sizes)} groups, largest {sizes.max()}, {pure:.1%} within one series")
