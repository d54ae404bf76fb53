# memguard: a 32-bit x86 kernel in Rust that catches every illegal memory reference.
# `make` builds everything and lists the targets; see README.md.

MEM      ?= 128M
INIT     ?=
CMDLINE  ?=
TIMEOUT  ?= 0
KVM      ?=

BUILD    := build
KTARGET  := i686-kernel.json
CARGO    := cargo +nightly
BUILDSTD := -Z build-std=core,compiler_builtins,alloc -Z build-std-features=compiler-builtins-mem
KFLAGS   := --target $(KTARGET) $(BUILDSTD) --release
KERNEL   := target/i686-kernel/release/kernel
ISO      := $(BUILD)/memguard.iso

# Boot modules: FILE=NAME pairs. Every user program is /bin/<name>; INIT=path
# adds any static i386 program as /bin/<name> and starts it as process 1
# (the default is /bin/init, which starts the shell).
USER_BIN := user/build/bin
USER_PROGS = $(wildcard $(USER_BIN)/*)
MODULES   = $(foreach p,$(USER_PROGS),$(p)=/bin/$(notdir $(p)))
ifneq ($(INIT),)
INIT_NAME := /bin/$(notdir $(INIT))
MODULES  += $(abspath $(INIT))=$(INIT_NAME)
INIT_WORD := init=$(INIT_NAME)
endif
# The same programs (and INIT) as /bin/NAME in Linux's root layout, in one
# cpio archive (tools/mkinitramfs.sh): the module named `initramfs`.
# INITRD=my.cpio adds an archive of the user's own as the module `initrd`.
# Debian's busybox-static (i386) goes in too, with its applet links
# (tools/busybox.sh fetches it once into the cache); BUSYBOX=0 leaves it out.
INITRD    ?=
BUSYBOX   ?= 1
INITRAMFS := $(BUILD)/initramfs.cpio
INITRAMFS_FILES = $(foreach p,$(USER_PROGS),$(p)=/bin/$(notdir $(p))) $(if $(INIT),$(abspath $(INIT))=$(INIT_NAME))
MODULES  += raw:$(INITRAMFS)=initramfs $(if $(INITRD),raw:$(abspath $(INITRD))=initrd)
# INIT's word goes first, so CMDLINE (kernel words, then `-- ARGS` for
# init) combines with it instead of replacing it.
KCMDLINE = $(strip $(INIT_WORD) $(CMDLINE))

# SWAP=256M attaches a fresh swap image of that size (build/swap.img,
# made by the host's mkswap) as the first virtio disk, /dev/vda; DISK=FILE
# attaches a raw image of your own instead.
SWAP     ?=
DISK     ?=
SWAP_IMG := $(BUILD)/swap.img
DISK_IMG := $(if $(SWAP),$(SWAP_IMG),$(if $(DISK),$(abspath $(DISK))))

QEMU_RUN := tools/qemu-run.sh --mem $(MEM) --timeout $(TIMEOUT) $(if $(KVM),--kvm) $(if $(DISK_IMG),--disk $(DISK_IMG))

.PHONY: all help build kernel user initramfs iso disk run debug gdb trace check test difftest fuzz soak bench clean deps
all: build help

help:
	@echo "make              build the kernel and list these targets"
	@echo "make run          boot in QEMU, serial console on this terminal"
	@echo "                  (INIT=prog MEM=512M CMDLINE='log=debug' KVM=1 INITRD=my.cpio)"
	@echo "                  (SWAP=256M: a fresh swap image as /dev/vda; DISK=my.img: your own)"
	@echo "make check        rustfmt, clippy (-D warnings) and the layering rule"
	@echo "make test         host unit tests, QEMU tests, gdb test"
	@echo "make debug        boot and wait for gdb;  make gdb  attaches to it"
	@echo "                  (make gdb PROG=user/build/bin/cow adds a program's symbols)"
	@echo "make trace        boot with QEMU interrupt/reset logging to $(BUILD)/trace.log"
	@echo "make difftest     the same test programs on this kernel and on Linux i386, diffed"
	@echo "make fuzz         random hostile system calls, then a leak check (SEED=99991 CALLS=1000000 HEAPTRACE=1)"
	@echo "make soak         fork/exec/exit, pipes, mmap rounds, then an exact frame count (ROUNDS=10000)"
	@echo "make bench        the benchmark on this kernel and on Linux i386, side by side"
	@echo "make iso          build $(ISO)"
	@echo "make clean        remove build products"

deps:
	@tools/deps.sh run

build: kernel user

kernel:
	$(CARGO) build $(KFLAGS) --bin kernel

user:
	@user/build.sh

# INITRD must be an uncompressed newc archive (zeros may lead, as Linux
# allows): the kernel has no decompressor, so say so now rather than at boot.
initramfs: user
	@mkdir -p $(BUILD)
	@tools/mkinitramfs.sh $(INITRAMFS) $(INITRAMFS_FILES) $(if $(filter 1,$(BUSYBOX)),$$(tools/busybox.sh pairs))
	@if [ -n "$(INITRD)" ]; then \
	  [ -f '$(INITRD)' ] || { echo "INITRD=$(INITRD): no such file"; exit 1; }; \
	  case $$(tr -d '\000' < '$(INITRD)' | head -c 6) in 070701 | 070702) ;; \
	  *) echo "INITRD=$(INITRD) is not an uncompressed cpio newc archive" \
	     "(make one with tools/mkinitramfs.sh or cpio -o -H newc)"; exit 1 ;; esac; fi

iso: deps kernel user initramfs
	@mkdir -p $(BUILD)
	tools/mkiso.sh $(ISO) $(KERNEL) '$(KCMDLINE)' $(MODULES)

# The disk for SWAP=SIZE: made anew each run (a swap area keeps nothing
# across boots).
disk:
	@if [ -n "$(SWAP)" ]; then tools/swapimg.sh $(SWAP) $(SWAP_IMG); fi
	@if [ -z "$(SWAP)" ] && [ -n "$(DISK)" ] && [ ! -f "$(DISK)" ]; then echo "DISK=$(DISK): no such file"; exit 1; fi

run: iso disk
	@$(QEMU_RUN) $(ISO)

trace: iso disk
	@echo "QEMU's interrupt and reset log goes to $(BUILD)/trace.log"
	@$(QEMU_RUN) --trace $(BUILD)/trace.log $(ISO)

debug: iso disk
	@port=$$(tools/free-port.sh) && echo $$port > $(BUILD)/gdb-port && \
	  echo "QEMU waits for gdb on port $$port: run 'make gdb' in another terminal" && \
	  $(QEMU_RUN) --gdb $$port $(ISO)

gdb:
	@test -f $(BUILD)/gdb-port || { echo "start 'make debug' first"; exit 1; }
	@tools/gdbinit.sh $$(cat $(BUILD)/gdb-port) $(KERNEL) $(or $(PROG),$(INIT)) > $(BUILD)/gdbinit
	gdb -q -x $(BUILD)/gdbinit

check:
	@tools/deps.sh test
	@tools/check.sh

test:
	@tools/deps.sh test
	@tools/test.sh

# Differential tests against Debian's Linux i386 in QEMU (fetches the kernel
# package once; about a minute). Not part of `make test`.
difftest: deps
	@tests/diff/run.sh --mode both

# The long runs (minutes): not part of `make test`, which runs short ones.
SEED   ?= 99991
CALLS  ?= 1000000
ROUNDS ?= 10000
fuzz: deps
	@tools/longrun.sh fuzz $(SEED) $(CALLS)

soak: deps
	@tools/longrun.sh soak $(ROUNDS)

# BENCH_ARGS are passed to the benchmark program (e.g. --pages 256 --reps 5).
bench: deps
	@tools/bench.sh $(BENCH_ARGS)

clean:
	cargo clean
	rm -rf $(BUILD) user/target user/build
