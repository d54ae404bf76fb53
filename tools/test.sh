#!/usr/bin/env bash
# `make test`: every test tier, one line per test as it goes, and a last line
#   N passed, M failed
# 1. host unit tests of the pure modules, built for i686-unknown-linux-gnu
#    (the same 32-bit x86 and Linux i386 ABI the kernel speaks) and run on
#    this machine, which runs i386 programs;
# 2. QEMU kernel tests: the library's #[test_case]s and each tests/*.rs kernel;
# 3. scenario tests that boot the real kernel with user programs (tests/scenarios);
# 4. the gdb test: attach to a waiting QEMU, stop at kmain, read a variable,
#    then check what `pf` and `pte` print after a real user page fault.
# Set ONLY=regex to run only the QEMU tests whose names match.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/test
mkdir -p "$out"
passed=0 failed=0
failures=()
ONLY=${ONLY:-}

pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() {
    failed=$((failed + 1)); failures+=("$1")
    printf 'FAIL  %s: %s\n' "$1" "$2"
    if [ -n "${3:-}" ] && [ -f "$3" ]; then
        echo "----- serial log of $1 (last 60 lines) -----"
        tail -n 60 "$3"
        echo "-----"
    fi
}
selected() { [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]; }

CARGO="cargo +nightly"
# Host tests: std is built from source for i686 (rustup cannot fetch it
# here); the first run takes about a minute, later ones are cached.
HOST_TARGET=i686-unknown-linux-gnu
HOST_FLAGS="--target $HOST_TARGET -Z build-std=std,panic_abort -Z panic-abort-tests"
KFLAGS=(--target i686-kernel.json -Z build-std=core,compiler_builtins,alloc
        -Z build-std-features=compiler-builtins-mem -Z panic-abort-tests --release)

# ---- 1. host unit tests --------------------------------------------------
if [ -z "$ONLY" ]; then
    echo "== host unit tests ($HOST_TARGET): the kernel's pure modules, then abi/"
    for dir in . abi; do
        log=$out/host-$( [ "$dir" = . ] && echo kernel || echo "$dir" ).log
        if (cd "$dir" && $CARGO test --lib $HOST_FLAGS) > "$log" 2>&1; then :; fi
        grep -E '^test .* \.\.\. ' "$log" | sed "s|^|  $dir: |"
        line=$(grep -E '^test result:' "$log" | tail -1)
        if [[ $line =~ ([0-9]+)\ passed\;\ ([0-9]+)\ failed ]]; then
            n=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]}
            passed=$((passed + n)); failed=$((failed + m))
            [ "$m" = 0 ] || failures+=("host unit tests ($dir)")
            echo "  host ($dir): $n passed, $m failed"
            [ "$m" = 0 ] || grep -A20 -E '^failures:' "$log"
        else
            fail "host unit tests ($dir)" "did not build or run" "$log"
        fi
    done
fi

# ---- 2. QEMU kernel tests ---------------------------------------------------
echo "== QEMU kernel tests"
if ! $CARGO test --no-run "${KFLAGS[@]}" --message-format=json > "$out/build.json" 2> "$out/build.log"; then
    fail "build kernel tests" "cargo failed" "$out/build.log"
else
    # One executable per test kernel; the first is the library's own.
    mapfile -t exes < <(grep -o '"executable":"[^"]*"' "$out/build.json" | cut -d'"' -f4 | grep /deps/)
    for exe in "${exes[@]}"; do
        name=$(basename "$exe" | sed 's/-[0-9a-f]*$//')
        [ "$name" = kernel ] && name=lib
        selected "$name" || continue
        # A test file's header may say, one per line:
        #   //! qemu: --mem 16M          extra options for tools/qemu-run.sh
        #   //! cmdline: log=debug       the kernel command line
        #   //! expect-exit: panic       the verdict that means "passed"
        #   //! expect-output: REGEX     a line the serial log must contain (any number)
        src=tests/$name.rs
        [ "$name" = lib ] && src=src/lib.rs
        qopts=() cmdline="" expect=success expects=()
        if [ -f "$src" ]; then
            read -r -a qopts <<< "$(sed -n 's|^//! qemu: ||p' "$src" | head -1)"
            cmdline=$(sed -n 's|^//! cmdline: ||p' "$src" | head -1)
            e=$(sed -n 's|^//! expect-exit: ||p' "$src" | head -1); [ -n "$e" ] && expect=$e
            mapfile -t expects < <(sed -n 's|^//! expect-output: ||p' "$src")
        fi
        iso=$out/$name.iso log=$out/$name.log
        if ! tools/mkiso.sh "$iso" "$exe" "$cmdline" 2> "$log" && ! tools/mkiso.sh "$iso" "$exe" "$cmdline" 2> "$log"; then
            fail "kernel/$name" "could not build the ISO" "$log"; continue
        fi
        start=$(date +%s%N)
        tools/qemu-run.sh --timeout 60 --quiet --log "$log" "${qopts[@]}" "$iso" > "$log.verdict" < /dev/null
        rc=$?
        ms=$((($(date +%s%N) - start) / 1000000))
        secs=$((ms / 1000)).$((ms % 1000 / 100))
        sed -i 's/\r$//' "$log"
        verdict=$(tail -1 "$log.verdict")
        case $rc in 0) got=success ;; 1) got=failure ;; 3) got=panic ;; 4) got=timeout ;; *) got=other ;; esac
        if [ "$got" != "$expect" ]; then
            fail "kernel/$name" "expected $expect, got: $verdict" "$log"; continue
        fi
        missing=""
        for re in "${expects[@]}"; do
            grep -qE -- "$re" "$log" || missing="$re"
        done
        if [ -n "$missing" ]; then fail "kernel/$name" "no line matching: $missing" "$log"
        else pass "kernel/$name (${secs}s)"; fi
    done
fi

# ---- 3. scenario tests ------------------------------------------------------
if [ -x tests/scenarios/run.sh ]; then
    echo "== scenario tests"
    while IFS= read -r result; do
        case $result in
            PASS\ *) pass "${result#PASS }" ;;
            FAIL\ *) rest=${result#FAIL }; fail "${rest%%: *}" "${rest#*: }" "${rest##*log=}" ;;
            *) echo "$result" ;;
        esac
    done < <(ONLY="$ONLY" tests/scenarios/run.sh)
fi

# ---- 4. the debugging path --------------------------------------------------
if selected gdb; then
    echo "== gdb test"
    if tools/gdb-test.sh > "$out/gdb.log" 2>&1; then pass "gdb/kmain-and-pf"
    else fail "gdb/kmain-and-pf" "see below" "$out/gdb.log"; fi
fi

echo
if [ $failed -gt 0 ]; then
    echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
