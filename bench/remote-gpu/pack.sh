#!/usr/bin/env bash
# Packs what the test suite and bench/perf.ts need to run on a bare x86-64 Linux
# machine with an NVIDIA GPU and driver but no Node, no X server and no network
# (how the H100 figures in docs/benchmarks.md were taken). Run it here, after
# `npm run setup`, on Debian 12; it writes two parts of under 64 MiB each into
# .gpu-pack/ (git-ignored), for transfer tools that limit a copy's size:
#   part1/: node, Mesa's software GLX driver and its LLVM (Xvfb needs a GLX
#           provider to start; the contexts then render through NVIDIA's GLX)
#   part2/: Xvfb, xkbcomp and their libraries, node_modules without the
#           browser-test packages, smoke.cjs, run.sh
# On the GPU machine, from a copy of the repository holding .gpu-pack:
#   bash .gpu-pack/part2/run.sh unpack1     (after part1 arrived)
#   bash .gpu-pack/part2/run.sh [OUTDIR]    (after part2 arrived)
set -euo pipefail
cd "$(dirname "$0")/../.."
L=/usr/lib/x86_64-linux-gnu
rm -rf .gpu-pack && mkdir -p .gpu-pack/part1 .gpu-pack/part2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

xz -6 -T0 -c "$(command -v node)" > .gpu-pack/part1/node.xz
xz -6 -T0 -c $L/libLLVM-15.so.1 > .gpu-pack/part1/libLLVM-15.so.1.xz
xz -6 -T0 -c $L/dri/swrast_dri.so > .gpu-pack/part1/swrast_dri.so.xz

# Libraries of Xvfb, xkbcomp, Mesa's GLX and headless-gl, less the C/C++
# runtimes (the target's own are newer) and LLVM (part 1).
mkdir -p "$stage/opt/loupe-gpu/lib" "$stage/opt/loupe-gpu/bin" "$stage/usr/bin" "$stage/usr/share/X11"
for o in /usr/bin/Xvfb /usr/bin/xkbcomp $L/dri/swrast_dri.so $L/libGLX_mesa.so.0 $L/libGL.so.1 node_modules/gl/build/Release/webgl.node; do
  ldd "$o" | awk '$3 ~ /^\// {print $1" "$3}'
done | sort -u | grep -v -E '^(libc\.so|libm\.so|libstdc\+\+|libgcc_s|libpthread|libdl\.so|librt\.so|libLLVM-15)' |
  while read -r name path; do cp -L "$path" "$stage/opt/loupe-gpu/lib/$name"; done
for n in libGLX_mesa.so.0 libGL.so.1 libGLX.so.0 libGLdispatch.so.0 libglapi.so.0; do cp -L $L/$n "$stage/opt/loupe-gpu/lib/"; done
cp /usr/bin/Xvfb "$stage/opt/loupe-gpu/bin/"
cp /usr/bin/xkbcomp "$stage/usr/bin/"          # Xvfb looks for it there
cp -a /usr/share/X11/xkb "$stage/usr/share/X11/"
tar -C "$stage" -chf - . | xz -6 -T0 > .gpu-pack/part2/x11.tar.xz

tar -cf - --exclude='node_modules/gl/angle' --exclude='node_modules/gl/deps' \
  --exclude='node_modules/gl/build/Release/obj*' --exclude='node_modules/gl/build/Release/*.a' \
  --exclude=node_modules/puppeteer --exclude=node_modules/puppeteer-core --exclude=node_modules/@puppeteer \
  --exclude=node_modules/chromium-bidi --exclude=node_modules/devtools-protocol --exclude=node_modules/typescript \
  --exclude=node_modules/mirada --exclude=node_modules/@types --exclude=node_modules/node-gyp \
  --exclude=node_modules/zod --exclude='node_modules/bare-*' node_modules | xz -6 -T0 > .gpu-pack/part2/node_modules.tar.xz
cp bench/remote-gpu/run.sh bench/remote-gpu/smoke.cjs .gpu-pack/part2/
du -sh .gpu-pack/part1 .gpu-pack/part2
