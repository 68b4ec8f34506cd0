"""`medfast predict` over a folder against a plain timm forward loop over the same preprocessed tensors (issue 14).

A model is exported once (MobileNetV2 with the local ImageNet weights and a new head; throughput does not depend on
training), then
  (a) plain timm: the exported model, loaded in PyTorch's default memory format, runs `model(x)` under `torch.no_grad()`
      over batches that were read and preprocessed beforehand (reading not timed): the model's own speed;
  (b) medfast: `predict_run(model_dir, [folder])`, what `medfast predict MODEL FOLDER` runs: listing the folder, reading
      and preprocessing every image, the forward passes and the table.
Each is run `--repeats` times; the best images/second of each and the ratio medfast / plain (target >= 0.9) are printed.

Usage: MEDFAST_DATA=... MEDFAST_WEIGHTS=... python benchmarks/predict_throughput.py [--data all_leukemia_subset --size 224
       --bs 32 --threads 2 --repeats 2]
"""
import argparse, tempfile, time
from pathlib import Path
import torch
from medfast.core import data_dir, weights_file
from medfast.data import from_folder, split_items, get_dls, eval_batch, eval_pipes
from medfast.train import medical_learner
from medfast.inference import export_model, load_model
from medfast.run import predict_run

ARCH = 'mobilenetv2_100'

def exported(data: str, size: int, out: Path) -> Path:
    "An export of MobileNetV2 (local ImageNet weights, untrained head) for the classes of `data`."
    dls = get_dls(split_items(from_folder(data_dir(data)), valid_pct=0.2, seed=1), size=size, arch=ARCH, aug=False)
    return export_model(medical_learner(dls, ARCH, pretrained=weights_file(ARCH)), out)

def plain_loop(model_dir: Path, paths: list, bs: int) -> float:
    "Images per second of `model(x)` over the preprocessed batches of `paths`, default memory format."
    model, meta = load_model(model_dir, channels_last=False)
    pipe = eval_pipes(meta)
    xs = [eval_batch(paths[i:i + bs], pipe) for i in range(0, len(paths), bs)]
    t = time.perf_counter()
    with torch.no_grad():
        for x in xs: torch.softmax(model(x), dim=1)
    return len(paths) / (time.perf_counter() - t)

def main(a):
    torch.set_num_threads(a.threads)
    folder = data_dir(a.data)
    paths = [str(p) for p in sorted(folder.rglob('*')) if p.is_file() and not p.name.startswith('.')]
    with tempfile.TemporaryDirectory() as tmp:
        d = exported(a.data, a.size, Path(tmp)/'model')
        plain = max(plain_loop(d, paths, a.bs) for _ in range(a.repeats))
        def medfast_once():
            t = time.perf_counter(); df = predict_run(d, [folder], bs=a.bs); s = time.perf_counter() - t
            assert len(df) == len(paths), (len(df), len(paths))
            return len(df) / s
        med = max(medfast_once() for _ in range(a.repeats))
    print(f"data {a.data} ({len(paths)} images), {ARCH} at {a.size} px, bs {a.bs}, {a.threads} threads, best of {a.repeats}")
    print(f"plain timm forward loop (preprocessed tensors): {plain:7.1f} images/s")
    print(f"medfast predict over the folder (reading included): {med:7.1f} images/s")
    print(f"medfast / plain: {med / plain:.2f} (target >= 0.9)")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='all_leukemia_subset', help='a class folder under MEDFAST_DATA')
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--bs', type=int, default=32)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=2)
    main(ap.parse_args())
