#!/usr/bin/env bash
# The GPU check of issue 25 in one short run (about 5-8 minutes on one GPU), for a machine that has one; CI never
# needs it. Three measurements, each saved under OUT_DIR as it finishes:
#   1. benchmarks/vs_fastai.py --device cuda --precision fp16: plain fastai against medfast's default on the leukemia
#      smears at 224 px, 1 frozen + 4 epochs, wall time, validation accuracy and AUC, and the peak GPU memory of each;
#   2. benchmarks/loader_speed.py --workers 0 4 8: the DataLoader alone (no model), training images per second with
#      0, 4 and 8 worker processes on the smears (JPEG), the brain-MRI scans (large JPEG/PNG) and the CT slices (DICOM),
#      which says how many workers a GPU of a given speed needs;
#   3. the GPU itself (nvidia-smi: name, memory, driver).
# Usage, from the repository root:
#   MEDFAST_DATA=../shared/data MEDFAST_WEIGHTS=../shared/weights bash benchmarks/gpu_check.sh [OUT_DIR]
set -uo pipefail
out=${1:-gpu_check}
python -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 'gpu_check: no CUDA GPU on this machine (torch.cuda.is_available() is False); nothing was run.')" || exit 2
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.csv"
t0=$(date +%s)
timeout 330 python benchmarks/vs_fastai.py --device cuda --precision fp16 --threads 4 2>&1 | tee "$out/vs_fastai.txt"
echo "vs_fastai: rc ${PIPESTATUS[0]}, $(( $(date +%s) - t0 )) s" | tee -a "$out/vs_fastai.txt"
t0=$(date +%s)
timeout 150 python benchmarks/loader_speed.py --workers 0 4 8 --epochs 2 --out "$out/loader_speed.csv" 2>&1 \
  | tail -20 | tee "$out/loader_speed.txt"
echo "loader_speed: rc ${PIPESTATUS[0]}, $(( $(date +%s) - t0 )) s" | tee -a "$out/loader_speed.txt"
echo "gpu_check: results in $out/ (gpu.csv, vs_fastai.txt, loader_speed.csv)"
