# gdb commands for looking at the MMU from a stopped kernel.
#   pte VADDR   walk VADDR through the current page directory (CR3)
#   (and, from cost.py: cost ADDR, the instructions from here to ADDR)
# (The walk switches gdb to C expressions while it runs: the kernel is Rust.)
# Page tables always live in low memory, which the kernel maps at
# 0xC0000000 + physical, so gdb can read them through kernel addresses.

define pte-flags
  if ($arg0 & 1)
    echo \ P
  end
  if ($arg0 & 2)
    echo \ RW
  end
  if ($arg0 & 4)
    echo \ U
  end
  if ($arg0 & 8)
    echo \ PWT
  end
  if ($arg0 & 16)
    echo \ PCD
  end
  if ($arg0 & 32)
    echo \ A
  end
  if ($arg0 & 64)
    echo \ D
  end
  if ($arg0 & 128)
    echo \ PS
  end
  if ($arg0 & 256)
    echo \ G
  end
  if ($arg0 & 512)
    echo \ COW
  end
  if (($arg0 & 2) == 0)
    echo \ (read-only)
  end
  if (($arg0 & 4) == 0)
    echo \ (supervisor)
  end
  echo \n
end

define pte
  set language c
  set $va = (unsigned int)($arg0)
  set $pdbase = ((unsigned int)$cr3 & 0xfffff000)
  set $pde = *(unsigned int *)(0xC0000000 + $pdbase + (($va >> 22) * 4))
  printf "vaddr 0x%08x  CR3 0x%08x\n", $va, $pdbase
  printf "PDE[%4d] = 0x%08x  ", $va >> 22, $pde
  pte-flags $pde
  if (($pde & 1) == 0)
    printf "not present: no page table\n"
  else
    if ($pde & 128)
      printf "4 MiB page: frame 0x%08x -> phys 0x%08x\n", $pde & 0xffc00000, ($pde & 0xffc00000) | ($va & 0x3fffff)
    else
      set $pte = *(unsigned int *)(0xC0000000 + ($pde & 0xfffff000) + ((($va >> 12) & 0x3ff) * 4))
      printf "PTE[%4d] = 0x%08x  ", ($va >> 12) & 0x3ff, $pte
      pte-flags $pte
      if ($pte & 1)
        printf "frame 0x%08x -> phys 0x%08x\n", $pte & 0xfffff000, ($pte & 0xfffff000) | ($va & 0xfff)
      else
        printf "not present\n"
      end
    end
  end
  set language auto
end
document pte
Walk a virtual address through the current page directory: pte VADDR
end

#   pf          the last page fault the kernel saw, decoded, and CR2 now
# LAST_PAGE_FAULT (#[no_mangle]) is three 32-bit words: CR2, the error code,
# EIP. pf reads them as words at its address, whatever Rust type holds them
# (an array of u32 or of AtomicU32: the layout is the same).
define pf
  set language c
  set $pf_at = (unsigned int *)&LAST_PAGE_FAULT
  set $pf_cr2 = $pf_at[0]
  set $pf_err = $pf_at[1]
  set $pf_eip = $pf_at[2]
  printf "last page fault: address 0x%08x  eip 0x%08x  error 0x%x =", $pf_cr2, $pf_eip, $pf_err
  if ($pf_err & 1)
    echo \ P (protection violation)
  else
    echo \ NP (not present)
  end
  if ($pf_err & 2)
    echo \ W
  else
    echo \ R
  end
  if ($pf_err & 4)
    echo \ U (ring 3)
  else
    echo \ S (kernel)
  end
  if ($pf_err & 8)
    echo \ RSVD
  end
  echo \n
  printf "CR2 now: 0x%08x\n", $cr2
  set language auto
end
document pf
Decode the last page fault (the kernel keeps CR2, the error code and EIP in LAST_PAGE_FAULT).
end
