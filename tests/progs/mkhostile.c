/* Host tool: writes hostile variants of a good static i386 ELF file.
 *   mkhostile GOOD.elf OUTDIR
 * Each variant breaks one rule the kernel's ELF checks must enforce. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *good;
static long size;
static const char *outdir;

static void emit(const char *name, const unsigned char *data, long len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != (size_t)len) { perror(path); exit(1); }
    fclose(f);
}

static uint32_t rd32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(unsigned char *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static void wr16(unsigned char *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }

/* A copy with the first PT_LOAD's field `field` (index of 32-bit words in
 * the program header) set to `value`. */
static void load_field(const char *name, int field, uint32_t value) {
    unsigned char *c = malloc(size);
    memcpy(c, good, size);
    uint32_t phoff = rd32(c + 28);
    int phnum = c[44] | c[45] << 8;
    for (int i = 0; i < phnum; i++) {
        unsigned char *ph = c + phoff + 32 * i;
        if (rd32(ph) == 1) {
            wr32(ph + 4 * field, value);
            if (field == 2) wr32(ph + 4 * 5, 0x2000 + (rd32(ph + 20) & 0xfff)); /* memsz to match */
            break;
        }
    }
    emit(name, c, size);
    free(c);
}

static void patch(const char *name, int at, const unsigned char *bytes, int n) {
    unsigned char *c = malloc(size);
    memcpy(c, good, size);
    memcpy(c + at, bytes, n);
    emit(name, c, size);
    free(c);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: mkhostile GOOD.elf OUTDIR\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END); size = ftell(f); rewind(f);
    good = malloc(size);
    if (fread(good, 1, size, f) != (size_t)size) { perror("read"); return 1; }
    outdir = argv[2];

    patch("bad_magic", 1, (const unsigned char *)"X", 1);
    patch("elf64", 4, (const unsigned char *)"\x02", 1);
    unsigned char arm[2]; wr16(arm, 40); patch("arm", 18, arm, 2);
    unsigned char dyn[2]; wr16(dyn, 3); patch("dyn", 16, dyn, 2);
    load_field("kernel_segment", 2, 0xC0000000);      /* p_vaddr in the kernel */
    load_field("wrap_segment", 2, 0xFFFFF000);        /* p_vaddr + p_memsz wraps */
    load_field("huge_filesz", 4, 0x7FFFFFFF);         /* p_filesz past the file */
    load_field("misaligned", 2, 0x08048010);          /* vaddr != offset mod 4096 */
    emit("truncated", good, 40);
    emit("empty", good, 0);
    /* The first program header becomes PT_INTERP. */
    unsigned char interp[4]; wr32(interp, 3); patch("interp", rd32(good + 28), interp, 4);
    /* No PT_LOAD at all: every header becomes PT_NULL. */
    unsigned char *c = malloc(size); memcpy(c, good, size);
    int phnum = c[44] | c[45] << 8;
    for (int i = 0; i < phnum; i++) wr32(c + rd32(c + 28) + 32 * i, 0);
    emit("no_load", c, size);
    return 0;
}
