//! FUTEX_WAKE_OP's operation word: an operation on the second word and a
//! test of its old value (linux/futex.h FUTEX_OP). Pure.

/// The operation word of FUTEX_WAKE_OP (linux/futex.h FUTEX_OP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WakeOp {
    op: u32,
    cmp: u32,
    oparg: u32,
    cmparg: u32,
}

impl WakeOp {
    /// `None` for an unknown operation (ENOSYS before anything changes).
    pub fn decode(word: u32) -> Option<WakeOp> {
        let op = (word >> 28) & 7;
        let shift = word & (1 << 31) != 0;
        // 12-bit signed fields.
        let sext = |v: u32| ((v << 20) as i32 >> 20) as u32;
        let mut oparg = sext((word >> 12) & 0xFFF);
        if shift {
            oparg = 1u32.wrapping_shl(oparg & 31);
        }
        (op <= 4).then_some(WakeOp { op, cmp: (word >> 24) & 15, oparg, cmparg: sext(word & 0xFFF) })
    }

    /// SET, ADD, OR, ANDN, XOR.
    pub fn apply(self, old: u32) -> u32 {
        match self.op {
            0 => self.oparg,
            1 => old.wrapping_add(self.oparg),
            2 => old | self.oparg,
            3 => old & !self.oparg,
            _ => old ^ self.oparg,
        }
    }

    /// EQ, NE, LT, LE, GT, GE on signed values; `None` for an unknown test
    /// (ENOSYS, after the word was changed, as on Linux).
    pub fn test(self, old: u32) -> Option<bool> {
        let (a, b) = (old as i32, self.cmparg as i32);
        Some(match self.cmp {
            0 => a == b,
            1 => a != b,
            2 => a < b,
            3 => a <= b,
            4 => a > b,
            5 => a >= b,
            _ => return None,
        })
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    /// FUTEX_OP(op, oparg, cmp, cmparg).
    fn word(op: u32, oparg: u32, cmp: u32, cmparg: u32) -> u32 {
        (op & 0xf) << 28 | (cmp & 0xf) << 24 | (oparg & 0xfff) << 12 | (cmparg & 0xfff)
    }

    #[test]
    fn operations_as_linux_applies_them() {
        assert_eq!(WakeOp::decode(word(0, 5, 0, 1)).unwrap().apply(1), 5);
        // oparg is a signed 12-bit field: 0xfff is -1.
        assert_eq!(WakeOp::decode(word(1, 0xfff, 0, 0)).unwrap().apply(5), 4);
        assert_eq!(WakeOp::decode(word(2, 0x0f, 0, 0)).unwrap().apply(0xf0), 0xff);
        assert_eq!(WakeOp::decode(word(3, 3, 0, 0)).unwrap().apply(0xff), 0xfc);
        assert_eq!(WakeOp::decode(word(4, 0xff, 0, 0)).unwrap().apply(0xf0), 0x0f);
        // FUTEX_OP_OPARG_SHIFT: oparg is a bit number.
        assert_eq!(WakeOp::decode(word(8, 4, 0, 0)).unwrap().apply(0), 0x10);
        assert_eq!(WakeOp::decode(word(9, 31, 0, 0)).unwrap().apply(1), 0x8000_0001);
        assert_eq!(WakeOp::decode(word(5, 0, 0, 0)), None);
    }

    #[test]
    fn tests_compare_signed() {
        let t = |cmp, cmparg, old| WakeOp::decode(word(0, 0, cmp, cmparg)).unwrap().test(old);
        assert_eq!(t(0, 1, 1), Some(true));
        assert_eq!(t(1, 1, 1), Some(false));
        assert_eq!(t(2, 0, u32::MAX), Some(true), "-1 < 0");
        assert_eq!(t(4, 0, 0), Some(false));
        assert_eq!(t(5, 0xfff, 0), Some(true), "0 >= -1");
        assert_eq!(t(6, 0, 0), None);
    }
}
