//! The secret exponent `a + u·x` of the premaster secret, computed in constant time.

use zeroize::{Zeroize, Zeroizing};

/// Little-endian u64 limbs of big-endian `bytes`, `limbs` long (zero-extended).
fn to_limbs(bytes: &[u8], limbs: usize) -> Zeroizing<Vec<u64>> {
    let mut out = Zeroizing::new(vec![0u64; limbs]);
    for (i, byte) in bytes.iter().rev().enumerate() {
        out[i / 8] |= u64::from(*byte) << (8 * (i % 8));
    }
    out
}

/// `a + u·x` as big-endian bytes.
///
/// Schoolbook over u64 limbs with fixed loop bounds: the running time and the
/// memory accessed depend only on the byte lengths of `a`, `u` and `x` (which
/// are public), never on their values. The result is `max(|a|, |u| + |x|) + 1`
/// bytes long, leading zeros kept.
pub(crate) fn a_plus_u_times_x(a: &[u8], u: &[u8], x: &[u8]) -> Zeroizing<Vec<u8>> {
    let (u_len, x_len) = (u.len(), x.len());
    let (lu, lx) = (u_len.div_ceil(8), x_len.div_ceil(8));
    let width = a.len().div_ceil(8).max(lu + lx) + 1;
    let u = to_limbs(u, lu);
    let x = to_limbs(x, lx);
    let mut sum = to_limbs(a, width);
    for (i, &ui) in u.iter().enumerate() {
        // Add ui·x at limb offset i, carrying through every remaining limb.
        let mut carry: u128 = 0;
        for j in 0..width - i {
            let product = if j < lx {
                u128::from(ui) * u128::from(x[j])
            } else {
                0
            };
            let total = u128::from(sum[i + j]) + product + carry;
            sum[i + j] = total as u64;
            carry = total >> 64;
        }
    }
    // a + u·x < 2^(8·max(|a|, |u|+|x|) + 1): one byte more than the longer term.
    let out_len = a.len().max(u_len + x_len) + 1;
    let mut bytes = Zeroizing::new(Vec::with_capacity(width * 8));
    for limb in sum.iter().rev() {
        bytes.extend_from_slice(&limb.to_be_bytes());
    }
    let excess = bytes.len() - out_len;
    bytes.drain(..excess);
    let mut sum = sum;
    sum.zeroize();
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matches_num_bigint(
            a in prop::collection::vec(any::<u8>(), 0..200),
            u in prop::collection::vec(any::<u8>(), 0..40),
            x in prop::collection::vec(any::<u8>(), 0..40),
        ) {
            let want = BigUint::from_bytes_be(&a) + BigUint::from_bytes_be(&u) * BigUint::from_bytes_be(&x);
            prop_assert_eq!(BigUint::from_bytes_be(&a_plus_u_times_x(&a, &u, &x)), want);
        }
    }

    #[test]
    fn all_ones_carry_through() {
        let ones = [0xffu8; 32];
        let a = [0xffu8; 128];
        let want = BigUint::from_bytes_be(&a)
            + BigUint::from_bytes_be(&ones) * BigUint::from_bytes_be(&ones);
        assert_eq!(
            BigUint::from_bytes_be(&a_plus_u_times_x(&a, &ones, &ones)),
            want
        );
    }
}
