#!/usr/bin/env bash
# `make check`: the rules written down in STYLE.md and Cargo.toml, run.
#  1. rustfmt (rustfmt.toml) over the kernel, abi/ and user/;
#  2. clippy with -D warnings (and the [lints] in each Cargo.toml):
#     the kernel for its target (library, binary and test kernels), the
#     pure modules for the host with and without cfg(test), abi/, user/;
#  3. tools/layers.sh: layers point one way, no cycles.
# One line per check, then `N passed, N failed`.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/check
mkdir -p "$out"
passed=0 failed=0
CARGO="cargo +nightly"
KBUILD=(-Z build-std=core,compiler_builtins,alloc -Z build-std-features=compiler-builtins-mem)
HOST=(--target i686-unknown-linux-gnu -Z build-std=std,panic_abort)

# run NAME DIR COMMAND...: runs COMMAND in DIR, PASS/FAIL with its output on failure.
run() {
    local name=$1 dir=$2 log=$out/$1.log
    shift 2
    if (cd "$dir" && "$@") > "$log" 2>&1; then
        passed=$((passed + 1)); echo "PASS  $name"
    else
        failed=$((failed + 1)); echo "FAIL  $name"; tail -n 40 "$log"
    fi
}

run fmt-kernel . $CARGO fmt --check
run fmt-abi abi $CARGO fmt --check
run fmt-user user $CARGO fmt --check
run clippy-kernel . $CARGO clippy --target i686-kernel.json "${KBUILD[@]}" --release --all-targets -- -D warnings
run clippy-host . $CARGO clippy --lib "${HOST[@]}" -- -D warnings
run clippy-host-tests . $CARGO clippy --lib --profile test "${HOST[@]}" -Z panic-abort-tests -- -D warnings
run clippy-abi abi $CARGO clippy --all-targets "${HOST[@]}" -Z panic-abort-tests -- -D warnings
run clippy-user user $CARGO clippy --release "${KBUILD[@]}" -- -D warnings
run layers . tools/layers.sh

echo "$passed passed, $failed failed"
[ $failed = 0 ]
