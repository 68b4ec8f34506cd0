"""Speed of HSV segmentation (`medfast.segment`) per 224x224 leukemia smear.

Times, as the median over --calls calls (after --warmup calls), on the first --images smears of
`all_leukemia_subset` (cycled):
  - `HSVSegment(preset)` on a `MedImage` (what the DataLoaders run per item: PIL -> numpy -> mask -> PIL);
  - `segment_image(array, preset)` (numpy in, numpy out);
  - `hsv_mask(array, **params)` (the core: colour conversion, inRange, clean-up).
Decoding the JPEG is not included. The target is under 2 ms per image for the transform.

Usage: MEDFAST_DATA=/path/to/data python benchmarks/segment_speed.py [--preset blast] [--calls 200] [--images 40] [--threads N]
"""
import argparse, time
import numpy as np
import cv2
from medfast.core import data_dir
from medfast.data import MedImage, from_folder
from medfast.segment import HSVSegment, segment_image, hsv_mask, seg_params, _mask_kwargs

def median_ms(f, xs, calls, warmup=20):
    "Median milliseconds of f(x), cycling through xs."
    for i in range(warmup): f(xs[i % len(xs)])
    ts = []
    for i in range(calls):
        x = xs[i % len(xs)]
        t0 = time.perf_counter(); f(x); ts.append(time.perf_counter() - t0)
    return 1000 * float(np.median(ts)), 1000 * float(np.percentile(ts, 90))

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--preset', default='blast')
    ap.add_argument('--calls', type=int, default=200)
    ap.add_argument('--images', type=int, default=40)
    ap.add_argument('--threads', type=int, default=None, help="cv2.setNumThreads (default: OpenCV's own)")
    a = ap.parse_args()
    if a.threads is not None: cv2.setNumThreads(a.threads)
    items = from_folder(data_dir('all_leukemia_subset'))
    paths = list(items.groupby('label').head(max(1, a.images // items.label.nunique())).path)
    ims = [MedImage.create(p) for p in paths]
    arrs = [np.asarray(im) for im in ims]
    assert all(x.shape == (224, 224, 3) for x in arrs), 'expected 224x224 RGB smears'
    tfm, kw = HSVSegment(a.preset), _mask_kwargs(seg_params(a.preset))
    print(f"{len(ims)} images 224x224, preset {a.preset!r}, {a.calls} calls, OpenCV {cv2.__version__}, "
          f"{cv2.getNumThreads()} OpenCV threads")
    for name, f, xs in [(f'HSVSegment({a.preset!r}) on MedImage', tfm, ims),
                        (f'segment_image(array, {a.preset!r})', lambda x: segment_image(x, a.preset), arrs),
                        ('hsv_mask(array, **params)', lambda x: hsv_mask(x, **kw), arrs)]:
        med, p90 = median_ms(f, xs, a.calls)
        print(f"{name:<40} median {med:6.3f} ms/image   (90th percentile {p90:6.3f} ms)")
