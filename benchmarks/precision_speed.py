"""Training speed in fp32 and bf16 (`--precision`), one after the other on the same batches.

Times `n` training steps of MobileNetV2 (local ImageNet weights, body unfrozen) at 224 px, batch size 32, on the
brain MRIs, after one warm-up step, for each precision. On a CPU, bf16 runs through PyTorch's CPU autocast
(`medfast.train.CPUAutocast`): fast where the CPU has bf16 units (AVX-512 BF16, AMX), emulated and slower elsewhere.

    python benchmarks/precision_speed.py [--steps 5] [--size 224] [--bs 32]
"""
import argparse, time
import torch
from medfast.core import data_dir, weights_file
from medfast.data import from_folder, split_items, get_dls
from medfast.train import medical_learner, set_precision, CPUAutocast

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--bs', type=int, default=32)
    a = ap.parse_args()
    items = split_items(from_folder(data_dir('brain_mri')), valid_pct=0.2, seed=0)
    dls = get_dls(items, size=a.size, bs=a.bs, arch='mobilenetv2_100', seed=0)
    xb, yb = dls.one_batch()
    try: units = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    except AttributeError: units = 'unknown'
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU bf16 units (AVX-512 BF16 / AMX): {units}")
    for prec in ('fp32', 'bf16'):
        learn = medical_learner(dls, 'mobilenetv2_100', pretrained=str(weights_file('mobilenetv2_100')), seed=0)
        learn.unfreeze(); set_precision(learn, prec); learn.create_opt()
        learn.opt.set_hyper('lr', 1e-4)
        ac = next((c for c in learn.cbs if isinstance(c, CPUAutocast)), None)   # medfast's bf16 autocast, as in training
        def step():
            if ac: ac.before_batch()
            learn.pred = learn.model(xb)
            if ac: ac.after_pred()
            loss = learn.loss_func(learn.pred, yb); loss.backward(); learn.opt.step(); learn.opt.zero_grad()
        learn.model.train(); learn.training = True
        step()
        t0 = time.time()
        for _ in range(a.steps): step()
        dt = (time.time() - t0) / a.steps
        print(f"{prec}: {dt:.2f} s per step of {a.bs} images ({a.bs / dt:.1f} images/s)")
