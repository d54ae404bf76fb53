# busybox.sh: Debian's busybox-static, unmodified, doing ordinary shell work
# on the writable root: about 30 applets, pipelines, a here-document, a
# background job and `wait`, `trap ... EXIT`, /proc. Run by tests/diff/run.sh
# as `busybox sh /test.sh` on Linux i386 and on memguard, output compared.
#
# Each check prints `NAME: STATUS` and its output as `.. ` lines (run.sh's
# judge compares them line by line). Anything that differs between two
# Linux boots (times, pids, addresses, free memory) is reduced to a fact
# here, by busybox's own awk/sed/cut, before it is printed.
echo "--- start"
# Linux's oracle root has no /proc mounted; memguard's has. Busybox runs
# applets in a pipeline by exec'ing /proc/self/exe, so it must be there.
[ -e /proc/self ] || { mkdir -p /proc && mount -t proc proc /proc; }
umask 022
mkdir -p /tmp/bb && cd /tmp/bb || exit 1

# t NAME COMMAND...: runs COMMAND (eval'd: pipelines and redirections work)
# and prints its status and output.
t() {
    name=$1
    shift
    out=$(eval "$*" 2>&1)
    echo "$name: $?"
    [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/.. /'
}
# The permission, link-count, size and name columns of ls -l (no dates).
lsl() { ls -l "$@" | awk 'NR > 1 || !/^total/ { s = $1 " " $2 " " $5; for (i = 9; i <= NF; i++) s = s " " $i; print s }'; }

t echo 'echo hello world'
t printf 'printf "%s-%d\n" abc 42'
t mkdir 'mkdir -p d1/d2/d3 && mkdir d4'
t write 'printf "line one\nline two\nline three\n" > f1 && echo appended >> f1'
t cat 'cat f1'
t ls 'ls'
t ls_l 'lsl'
t ls_la_d 'lsl -d d1 d1/d2'
t cp 'cp f1 f2 && cp -r d1 d5 && cmp f1 f2 && echo same'
t mv 'mv f2 f3 && ls'
t ln_s 'ln -s f1 link1 && readlink link1 && cat link1 | head -n 1'
t ln 'ln f1 hard1 && lsl f1 hard1'
t rm 'rm f3 hard1 && rm -r d5 && ls'
t chmod 'chmod 600 f1 && lsl f1 && chmod 644 f1'
t touch 'touch -d "2001-02-03 04:05:06" f1 && ls -l --full-time f1 | awk "{print \$6, \$7}"'
t stat 'stat -c "%n %s %a %F" f1 d1 link1'
t find 'find . | sort'
t find_type 'find . -type f -name "f*"'
t find_exec 'find d1 -type d -exec echo dir {} \;'
t grep 'grep -n two f1; grep -c line f1; grep -v line f1'
t grep_miss 'grep nothing f1'
t sed 'sed -e "s/line/LINE/" -e "/two/d" f1'
t sed_i 'cp f1 f4 && sed -i "s/one/1/" f4 && cat f4'
t awk 'awk "{ n += length(\$0) } END { print NR, n }" f1'
t awk_fields 'echo "a:b:c" | awk -F: "{ print \$3, \$1 }"'
t sort 'printf "pear\napple\nfig\napple\n" | sort'
t sort_n 'printf "10\n9\n100\n" | sort -n'
t sort_r 'printf "b\na\nc\n" | sort -r'
t uniq 'printf "a\na\nb\na\n" | uniq -c'
t wc 'wc -l f1; wc -c < f1; wc -w f1'
t head 'seq 1 100 | head -n 3'
t tail 'seq 1 100 | tail -n 2'
t cut 'echo "one,two,three" | cut -d, -f2; echo abcdef | cut -c2-4'
t tr 'echo "Hello" | tr a-z A-Z; echo "a b  c" | tr -s " "'
t xargs 'printf "x\ny\nz\n" | xargs echo items:'
t xargs_n 'seq 1 5 | xargs -n 2 echo'
t tee 'echo teed | tee f5 > /dev/null && cat f5'
t dd 'dd if=/dev/zero of=zeros bs=1024 count=64 2>&1 | grep -v copied; lsl zeros'
t dd_skip 'printf "0123456789" | dd bs=1 skip=3 count=4 2>/dev/null; echo'
t md5sum 'md5sum f1 zeros'
t sha256sum 'sha256sum f1'
t od 'printf "AB\001\377" | od -A x -t x1'
t od_c 'echo hi | od -c'
t pipeline 'seq 1 20 | grep 1 | sort -r | head -n 3 | tr "\n" " "; echo'
t subshell 'x=$(echo inner | tr i I); echo "got $x"'
t heredoc 'cat <<EOF
first $((6 * 7))
second
EOF'
t heredoc_sort 'sort <<EOF
zeta
alpha
mid
EOF'
t background 'sleep 1 & pid=$!; wait $pid; echo "waited $?"'
t background_exit '(exit 3) & wait $!; echo "status $?"'
t trap_exit '(trap "echo trapped" EXIT; echo body)'
t trap_status '(trap "echo bye" EXIT; exit 5); echo "status $?"'
t false_status 'false; echo $?; true; echo $?'
t for_loop 'for i in 1 2 3; do printf "%s." $i; done; echo'
t while_read 'printf "a 1\nb 2\n" | while read k v; do echo "$v=$k"; done'
t case 'for w in apple x1; do case $w in a*) echo fruit;; *) echo other;; esac; done'
t arith 'echo $((7 * 6 + 1)) $((17 % 5))'
t test_ops '[ -d d1 ] && [ -f f1 ] && [ ! -e nope ] && [ -L link1 ] && echo ok'
t basename 'basename /a/b/c.txt .txt; dirname /a/b/c.txt'
t expr 'expr 3 + 4'
t seq 'seq 3 -1 1'
t rev 'echo abc | rev'
t cmp_differ 'printf a > c1; printf b > c2; cmp c1 c2'
t diff 'printf "a\nb\n" > g1; printf "a\nc\n" > g2; diff g1 g2 | tail -n 2'
t tar 'tar cf t.tar d1 f1 && mkdir x && tar xf t.tar -C x && find x | sort'
t gzip 'cp f1 z1 && gzip z1 && gunzip -c z1.gz'
t ps 'ps | awk "NR == 1 { print } \$NF == \"ps\" { print \"ps listed\" }"'
t free 'free | awk "{ print \$1 }"'
t top 'top -b -n 1 | awk "NR <= 2 { print \$1 }"'
t uptime 'uptime | grep -c "load average"'
t proc_maps 'cat /proc/self/maps | awk "\$6 ~ /^\/(prog|bin\/busybox)\$/ { print \$2, \"busybox\" } \$6 ~ /^\[(heap|stack)\]\$/ { print \$2, \$6 }"'
t proc_self 'cmp /proc/self/exe /bin/busybox && echo exe is busybox; cat /proc/self/comm'
t proc_cmdline 'cat /proc/self/cmdline | tr "\000" " "; echo'
t rmdir_busy 'rmdir d1'
t rm_missing 'rm nope'
t cat_missing 'cat nope'
t cleanup 'cd / && rm -r /tmp/bb && ls /tmp'
echo "--- end"
