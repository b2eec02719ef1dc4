//! Whether a big-endian integer lies strictly between 1 and N, in constant
//! time: the check of a verifier `v` a client sends (`ConfirmDevice`), which
//! is a secret (it allows an offline guess of the device password).

use super::ct::N;
use super::u3072::{LIMBS, U3072, sub_limbs};

/// `1 < v < N` for `v` the unsigned big-endian `bytes` (leading zero bytes
/// allowed). The comparison does not branch on the value; the time depends
/// only on the length of `bytes`.
pub(crate) fn is_between_one_and_n(bytes: &[u8]) -> bool {
    let Some(v) = U3072::from_be_bytes(bytes) else {
        return false;
    };
    let mut one = [0u64; LIMBS];
    one[0] = 1;
    // v - N borrows exactly when v < N; 1 - v borrows exactly when v > 1.
    let (_, below_n) = sub_limbs(&v.limbs, &N);
    let (_, above_one) = sub_limbs(&one, &v.limbs);
    (below_n & above_one) == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::N_HEX;

    #[test]
    fn only_values_strictly_between_one_and_n_pass() {
        let n = hex::decode(N_HEX).unwrap();
        let mut n_minus_one = n.clone();
        *n_minus_one.last_mut().unwrap() -= 1;
        // N ends in …ff, so N + 1 carries.
        let mut n_plus_one = n.clone();
        let mut carry = true;
        for byte in n_plus_one.iter_mut().rev() {
            if !carry {
                break;
            }
            let (sum, overflow) = byte.overflowing_add(1);
            *byte = sum;
            carry = overflow;
        }
        let mut padded_n = vec![0u8];
        padded_n.extend_from_slice(&n);
        for (bytes, expected, what) in [
            (vec![], false, "empty (0)"),
            (vec![0], false, "0"),
            (vec![1], false, "1"),
            (vec![0, 0, 1], false, "1 with leading zeros"),
            (vec![2], true, "2"),
            (n_minus_one, true, "N - 1"),
            (n.clone(), false, "N"),
            (padded_n, false, "pad(N)"),
            (n_plus_one, false, "N + 1"),
            (vec![0xff; 384], false, "2^3072 - 1"),
            ([&[1u8][..], &[0u8; 384][..]].concat(), false, "2^3072"),
        ] {
            assert_eq!(is_between_one_and_n(&bytes), expected, "{what}");
        }
    }
}
