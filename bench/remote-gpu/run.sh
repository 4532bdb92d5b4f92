#!/usr/bin/env bash
# Runs on the GPU machine from the repository root (see pack.sh):
#   run.sh unpack1   puts part 1 in place (node, Mesa's software GLX, LLVM)
#   run.sh [OUTDIR]  unpacks part 2, starts Xvfb, checks that headless-gl renders
#                    through NVIDIA's GLX, then runs the non-browser tests and
#                    bench/perf.ts (at 1 and 24 MP unless PERF_ARGS says otherwise);
#                    logs go to OUTDIR (default /tmp/loupe-gpu)
set -u
P=/opt/loupe-gpu
if [ "${1:-}" = unpack1 ]; then
  mkdir -p $P/bin $P/lib /usr/lib/x86_64-linux-gnu/dri
  python3 - <<'PY'
import lzma, os, shutil
for src, dst in [('.gpu-pack/part1/node.xz', '/opt/loupe-gpu/bin/node'),
                 ('.gpu-pack/part1/libLLVM-15.so.1.xz', '/opt/loupe-gpu/lib/libLLVM-15.so.1'),
                 ('.gpu-pack/part1/swrast_dri.so.xz', '/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so')]:
    if os.path.exists(dst):
        continue  # never overwrite what the machine has
    with lzma.open(src) as f, open(dst, 'wb') as g:
        shutil.copyfileobj(f, g)
PY
  chmod +x $P/bin/node && $P/bin/node -v
  exit
fi
O=${1:-/tmp/loupe-gpu}; mkdir -p "$O"
exec > >(tee "$O/device.log") 2>&1
[ -x $P/bin/node ] || { echo "part 1 is not unpacked: run.sh unpack1 first"; exit 3; }
python3 - <<'PY'
import os, tarfile
with tarfile.open('.gpu-pack/part2/x11.tar.xz') as t:
    for m in t.getmembers():
        if not m.isdir() and os.path.exists(os.path.join('/', m.name)):
            continue  # never overwrite what the machine has
        t.extract(m, '/')
with tarfile.open('.gpu-pack/part2/node_modules.tar.xz') as t:
    t.extractall('.')
PY
export PATH=$P/bin:$PATH LD_LIBRARY_PATH=$P/lib:/usr/local/nvidia/lib64:/usr/local/nvidia/lib
Xvfb :99 -screen 0 64x64x24 -nolisten tcp > "$O/xvfb.log" 2>&1 &
sleep 3
export DISPLAY=:99 __GLX_VENDOR_LIBRARY_NAME=nvidia
# glvnd falls back to Mesa when NVIDIA's library does not load: the timing tells
# (about 0.3 s per line on an H100, seconds through llvmpipe).
timeout 60 node .gpu-pack/part2/smoke.cjs || { echo "headless-gl got no context"; exit 4; }
nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader -l 3 > "$O/nvidia-smi.txt" 2>&1 &
timeout "${VITEST_TIMEOUT_S:-150}" node node_modules/vitest/vitest.mjs run --exclude 'test/browser/**' --maxWorkers 8 > "$O/vitest.txt" 2>&1; echo "vitest rc=$?"
# VITEST_TIMEOUT_S, PERF_ARGS and PERF_TIMEOUT_S fit the runs to the time a lease leaves.
timeout "${PERF_TIMEOUT_S:-330}" node node_modules/tsx/dist/cli.mjs bench/perf.ts ${PERF_ARGS:---sizes 1,24 --runs 1 --max-run-s 60} --json "$O/perf.json" > "$O/perf.txt" 2>&1; echo "perf rc=$?"
grep -E 'Test Files|Tests ' "$O/vitest.txt"
