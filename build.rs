//! Generates, into `OUT_DIR`, the Montgomery constants for the RFC 3526 3072-bit
//! group and the fixed-base comb tables for g = 2 used by `pow_g`:
//!
//! * `mont_consts.rs`: `N_LIMBS`, `R_MOD_N`, `R2_MOD_N` (little-endian u64 limbs).
//! * `comb_params.rs`: the Lim–Lee parameters of each table.
//! * `comb_256.bin`, `comb_1024.bin`: the tables, little-endian limbs, Montgomery form.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use num_bigint::BigUint;

/// RFC 5054 / RFC 3526 3072-bit MODP prime.
const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

const LIMBS: usize = 48;

/// A Lim–Lee comb: `teeth` (h) bits per table index, `tables` (v) sub-tables,
/// `spacing` (b) comb steps; covers `teeth * tables * spacing` exponent bits.
struct Comb {
    name: &'static str,
    teeth: usize,
    tables: usize,
    spacing: usize,
}

const COMBS: [Comb; 2] = [
    Comb {
        name: "256",
        teeth: 6,
        tables: 4,
        spacing: 11,
    },
    Comb {
        name: "1024",
        teeth: 6,
        tables: 16,
        spacing: 11,
    },
];

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
    for comb in &COMBS {
        let block = comb.tables * comb.spacing; // bits per tooth block (a)
        let span = comb.teeth * block;
        // g^(2^k) mod N for every k the comb uses.
        let mut powers = vec![BigUint::default(); span];
        let mut cur = BigUint::from(2u8);
        for p in powers.iter_mut() {
            *p = cur.clone();
            cur = (&cur * &cur) % &n;
        }
        let mut bytes = Vec::with_capacity(comb.tables << comb.teeth << 3 << 6);
        for s in 0..comb.tables {
            let mut plain = vec![BigUint::from(1u8); 1 << comb.teeth];
            for mask in 1usize..(1 << comb.teeth) {
                let low = mask.trailing_zeros() as usize;
                let g = &powers[low * block + s * comb.spacing];
                plain[mask] = (&plain[mask & (mask - 1)] * g) % &n;
            }
            for v in &plain {
                let mont = (v << 3072u32) % &n;
                for l in limbs(&mont) {
                    bytes.extend_from_slice(&l.to_le_bytes());
                }
            }
        }
        let file = format!("comb_{}.bin", comb.name);
        fs::write(out.join(&file), &bytes)?;
        let upper = comb.name.to_uppercase();
        // The IFMA backend multiplies these R-domain entries in the R' = 2^3120
        // domain: every use carries a factor 2^-48, squared with the
        // accumulator. Entries of comb step p are squared p more times, so the
        // total is 2^(-48 * tables * (2^spacing - 1)).
        let uses = BigUint::from(48 * comb.tables) * ((BigUint::from(1u8) << comb.spacing) - 1u8);
        let fix = BigUint::from(2u8).modpow(&uses, &n);
        let _ = writeln!(
            params,
            "#[cfg_attr(not(target_arch = \"x86_64\"), allow(dead_code))]"
        );
        write_limbs(
            &mut params,
            &format!("COMB_{upper}_IFMA_FIX"),
            &format!(
                "2^(48·v·(2^b − 1)) mod N for the {}-bit comb (IFMA backend).",
                comb.name
            ),
            &fix,
        );
        let _ = writeln!(
            params,
            "/// Teeth (h) of the {n}-bit comb.\nconst COMB_{u}_TEETH: usize = {t};\n\
             /// Sub-tables (v) of the {n}-bit comb.\nconst COMB_{u}_TABLES: usize = {v};\n\
             /// Comb steps (b) of the {n}-bit comb.\nconst COMB_{u}_SPACING: usize = {b};\n\
             /// The {n}-bit comb table (Montgomery form, little-endian limbs).\n\
             static COMB_{u}_BYTES: &[u8; {len}] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));",
            n = comb.name,
            u = upper,
            t = comb.teeth,
            v = comb.tables,
            b = comb.spacing,
            len = bytes.len(),
        );
    }
    fs::write(out.join("comb_params.rs"), params)?;
    Ok(())
}
