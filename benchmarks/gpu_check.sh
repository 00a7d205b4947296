#!/usr/bin/env bash
# The CUDA graph path's checks on a lent GPU machine, in one call of under 8 minutes:
#
#     bash benchmarks/gpu_check.sh            (from the repository root)
#
# That machine has torch, pandas and scipy but no uv environment, no streamlit and maybe no
# torchvision, so this runs the system python with PYTHONPATH=. and stand-ins, written here into
# gpu_stub/ (ignored by git), for what tests/helpers.py and tests/conftest.py import:
# streamlit.testing.v1.AppTest (no page test runs here) and, where torchvision is missing,
# torchvision.datasets.MNIST's mirror list (the tests' `offline` fixture sets it).
#
# Data: the CUDA tests (tests/test_graphed.py) train on the 4s and 9s bundled in
# mnist49/assets/mnist49.npz, which travels with the working tree. Only the benchmark's
# ten-digit rows read full MNIST: carry it in as data/mnist (ignored by git), e.g. here
#     mkdir -p data && cp -r ../shared/mnist data/mnist      (11 MB of .gz IDX files)
# and name "data/mnist" in the run's carry. Without it those two rows print why they failed and
# the others still run.
#
# Steps (each under its own timeout, everything printed; a failed step does not stop the rest):
#   1. the GPU and the python packages                               ~10 s   (timeout 60 s)
#   2. tests/test_graphed.py: CUDA graph against eager, lone run and
#      3 replicates, and the CPU plumbing tests                       ~1 min  (timeout 150 s)
#   3. MNIST49_CUDA_GRAPHS=1 benchmarks/device_speed.py --device cuda ~3 min  (timeout 240 s)
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
STUB=gpu_stub

mkdir -p "$STUB/streamlit/testing"
: >"$STUB/streamlit/__init__.py"
: >"$STUB/streamlit/testing/__init__.py"
cat >"$STUB/streamlit/testing/v1.py" <<'EOF'
"""A stand-in for streamlit's AppTest where streamlit is not installed: page tests cannot run."""


class AppTest:
    @classmethod
    def from_file(cls, *args, **kwargs):
        raise RuntimeError("streamlit is not installed here: gpu_stub's AppTest is a placeholder")
EOF
if ! "$PY" -c "import torchvision" 2>/dev/null; then
    mkdir -p "$STUB/torchvision/datasets"
    : >"$STUB/torchvision/__init__.py"
    cat >"$STUB/torchvision/datasets/__init__.py" <<'EOF'
"""A stand-in for torchvision where it is not installed: only what tests/conftest.py sets."""


class MNIST:
    mirrors: list = []
    resources: list = []
EOF
    echo "torchvision missing: stand-in written (augmentation tests skip)"
fi
export PYTHONPATH=".:$STUB"
MNIST_ROOT=${MNIST_ROOT:-data/mnist}

step() {
    local limit=$1
    shift
    echo
    echo "=== $* (timeout ${limit}s)"
    local start=$SECONDS
    timeout -k 10 "$limit" "$@"
    echo "=== exit $? after $((SECONDS - start)) s"
}

step 60 nvidia-smi
step 60 "$PY" -c "import torch, pandas, scipy; print('torch', torch.__version__, 'CUDA', torch.version.cuda,
      'available', torch.cuda.is_available(), torch.cuda.get_device_name() if torch.cuda.is_available() else '')
import importlib.util as u; print({m: getattr(u.find_spec(m), 'origin', None) for m in ('pytest', 'torchvision', 'streamlit')})"
step 150 "$PY" -m pytest -q -p no:cacheprovider -rs tests/test_graphed.py
step 240 env MNIST49_CUDA_GRAPHS=1 "$PY" benchmarks/device_speed.py --device cuda --mnist "$MNIST_ROOT"
