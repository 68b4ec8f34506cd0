"""lr_find's valley suggestion and time under three sweeps, on the same learner and seed (issue 14):
fastai's default (1e-7 to 10 in 100 steps), 1e-5 to 10 in 60 steps, and medfast's default (1e-6 to 10 in 50 steps).

MobileNetV2 with the local ImageNet weights, medfast's DataLoaders (aug_transforms, bs 32), one thread. One JSON line
per sweep: data, seed, start, num_it, steps taken (fastai stops when the loss diverges), valley, seconds.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/lr_find_settings.py all_leukemia_subset [--size 224 --seeds 1 2]
"""
import argparse, json, time
import torch
from medfast.core import data_dir, weights_file
from medfast.data import read_items, split_items, get_dls
from medfast.train import medical_learner, LR_FIND_START, LR_FIND_ITERS

SWEEPS = [(1e-7, 100), (1e-5, 60), (LR_FIND_START, LR_FIND_ITERS)]

def main(a):
    torch.set_num_threads(1)
    for seed in a.seeds:
        items = read_items(data_dir(a.data))
        if 'split' not in items: items = split_items(items, valid_pct=0.2, seed=seed)
        dls = get_dls(items, size=a.size, arch='mobilenetv2_100', seed=seed)
        for start, it in SWEEPS:
            learn = medical_learner(dls, 'mobilenetv2_100', pretrained=weights_file('mobilenetv2_100'), seed=seed)
            t = time.time()
            with learn.no_bar(), learn.no_logging(): s = learn.lr_find(start_lr=start, end_lr=10, num_it=it, show_plot=False)
            print(json.dumps(dict(data=a.data, seed=seed, start=start, num_it=it, steps=len(learn.recorder.losses),
                                  valley=float(s.valley), secs=round(time.time() - t, 1))), flush=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('data', help='a class folder (or .npz) under MEDFAST_DATA')
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2])
    main(ap.parse_args())
