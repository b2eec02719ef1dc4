//! Generates, into `OUT_DIR`, the Montgomery constants for the RFC 3526 3072-bit
//! group and the fixed-base comb tables for g = 2 used by `pow_g`:
//!
//! * `mont_consts.rs`: `N_LIMBS`, `R_MOD_N`, `R2_MOD_N` (little-endian u64 limbs).
//! * `comb_params.rs`: the Lim–Lee parameters of the table, and the IFMA
//!   backend's correction factor for each comb.
//! * `comb.bin`: the table, little-endian limbs, Montgomery form (the 256-bit
//!   comb is its first segment, the 1024-bit comb all of it).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use num_bigint::BigUint;

/// RFC 5054 / RFC 3526 3072-bit MODP prime.
const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

const LIMBS: usize = 48;

/// The Lim–Lee comb: `TEETH` (h) bits per table index, `TABLES` (v) rows per
/// segment, `SPACING` (b) comb steps, so one segment covers h·v·b = 264
/// exponent bits. `SEGMENTS` segments are stacked (row j·v + s covers bits
/// from 264·j on), so the 256-bit comb is the first segment's rows and the
/// 1024-bit comb all of them: one table serves both.
const TEETH: usize = 6;
const TABLES: usize = 4;
const SPACING: usize = 11;
const SEGMENTS: usize = 4;

/// The combs `pow_g` uses: name and segments (a prefix of the table).
const COMBS: [(&str, usize); 2] = [("256", 1), ("1024", SEGMENTS)];

fn limbs(x: &BigUint) -> [u64; LIMBS] {
    let mut out = [0u64; LIMBS];
    for (o, d) in out.iter_mut().zip(x.iter_u64_digits()) {
        *o = d;
    }
    out
}

fn write_limbs(src: &mut String, name: &str, doc: &str, x: &BigUint) {
    let _ = writeln!(src, "/// {doc}");
    let _ = write!(src, "const {name}: [u64; {LIMBS}] = [");
    for l in limbs(x) {
        let _ = write!(src, "0x{l:016x}, ");
    }
    let _ = writeln!(src, "];");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = env::var_os("OUT_DIR").unwrap_or_default();
    let out = Path::new(&out_dir);

    let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).ok_or("bad modulus hex")?;
    if n.bits() != 3072 {
        return Err("modulus is not 3072 bits".into());
    }
    let r = BigUint::from(1u8) << 3072;
    let r_mod_n = &r % &n;
    let r2_mod_n = (&r_mod_n * &r_mod_n) % &n;

    let mut src = String::new();
    write_limbs(&mut src, "N_LIMBS", "The modulus N.", &n);
    write_limbs(
        &mut src,
        "R_MOD_N",
        "R mod N (R = 2^3072): 1 in Montgomery form.",
        &r_mod_n,
    );
    write_limbs(
        &mut src,
        "R2_MOD_N",
        "R^2 mod N: converts into Montgomery form.",
        &r2_mod_n,
    );
    fs::write(out.join("mont_consts.rs"), src)?;

    // Constants of the AVX-512 IFMA backend (52-bit digits, R' = 2^3120).
    let r_ifma = BigUint::from(1u8) << 3120;
    let mut ifma = String::new();
    write_limbs(
        &mut ifma,
        "IFMA_ONE",
        "R' mod N (R' = 2^3120).",
        &(&r_ifma % &n),
    );
    write_limbs(
        &mut ifma,
        "IFMA_RR",
        "R'^2 mod N: converts into the R' domain.",
        &((&r_ifma * &r_ifma) % &n),
    );
    fs::write(out.join("ifma_consts.rs"), ifma)?;

    let mut params = String::new();
    let block = TABLES * SPACING; // bits per tooth block (a = v·b)
    let span = TEETH * block; // bits per segment (h·v·b)
    // g^(2^k) mod N for every k the comb uses.
    let mut powers = vec![BigUint::default(); SEGMENTS * span];
    let mut cur = BigUint::from(2u8);
    for p in powers.iter_mut() {
        *p = cur.clone();
        cur = (&cur * &cur) % &n;
    }
    let mut bytes = Vec::with_capacity(((SEGMENTS * TABLES) << TEETH) * LIMBS * 8);
    for row in 0..SEGMENTS * TABLES {
        let (j, s) = (row / TABLES, row % TABLES);
        // Entry `mask` = Π over the teeth r in mask of g^(2^(span·j + block·r + b·s)).
        let mut plain = vec![BigUint::from(1u8); 1 << TEETH];
        for mask in 1usize..(1 << TEETH) {
            let low = mask.trailing_zeros() as usize;
            let g = &powers[span * j + block * low + SPACING * s];
            plain[mask] = (&plain[mask & (mask - 1)] * g) % &n;
        }
        for v in &plain {
            let mont = (v << 3072u32) % &n;
            for l in limbs(&mont) {
                bytes.extend_from_slice(&l.to_le_bytes());
            }
        }
    }
    fs::write(out.join("comb.bin"), &bytes)?;
    let _ = writeln!(
        params,
        "/// Teeth (h) of the comb.\nconst COMB_TEETH: usize = {TEETH};\n\
         /// Rows per segment (v) of the comb.\nconst COMB_TABLES: usize = {TABLES};\n\
         /// Comb steps (b).\nconst COMB_SPACING: usize = {SPACING};\n\
         /// Segments of h·v·b bits in the table.\nconst COMB_SEGMENTS: usize = {SEGMENTS};\n\
         /// The comb table (Montgomery form, little-endian limbs), on 64-byte\n\
         /// boundaries (see `CombBytes`).\n\
         static COMB_BYTES: CombBytes<{len}> = CombBytes(*include_bytes!(concat!(env!(\"OUT_DIR\"), \"/comb.bin\")));",
        len = bytes.len(),
    );
    for (name, segments) in COMBS {
        // The IFMA backend multiplies these R-domain entries in the R' = 2^3120
        // domain: every use carries a factor 2^-48, squared with the
        // accumulator. Entries of comb step p are squared p more times, so the
        // total over `rows` rows is 2^(-48 * rows * (2^spacing - 1)).
        let rows = segments * TABLES;
        let uses = BigUint::from(48 * rows) * ((BigUint::from(1u8) << SPACING) - 1u8);
        let fix = BigUint::from(2u8).modpow(&uses, &n);
        let _ = writeln!(
            params,
            "#[cfg_attr(not(target_arch = \"x86_64\"), allow(dead_code))]"
        );
        write_limbs(
            &mut params,
            &format!("COMB_{name}_IFMA_FIX"),
            &format!("2^(48·rows·(2^b − 1)) mod N for the {name}-bit comb (IFMA backend)."),
            &fix,
        );
    }
    fs::write(out.join("comb_params.rs"), params)?;
    Ok(())
}
