//! Constant-time checking under valgrind memcheck (feature `ct-check`).
//!
//! The method BoringSSL uses to validate its constant-time code: a test
//! program marks its secrets (`a`, `b`, the password) *undefined* with
//! valgrind's client requests and runs a whole login under
//! `valgrind --tool=memcheck`. Memcheck then reports every conditional jump
//! and every memory address computed from a secret ("Conditional jump or move
//! depends on uninitialised value(s)", "Use of uninitialised value"). Values
//! the protocol makes public are marked *defined* again where they become
//! public, with [`declassify`]: `A = g^a`, `B`, the length of `pad(S)`, the
//! signature, the outcome of the server's signature check. See
//! `ct-check/src/main.rs` (its own small crate) and `scripts/ct-memcheck.sh`.
//!
//! Outside valgrind a client request is a handful of no-op instructions (the
//! "magic sequence" rotates `rdi` by 128 bits and swaps `rbx` with itself).
//! Without the `ct-check` feature, or off x86-64, [`declassify`] compiles to
//! nothing at all.
//!
//! Valgrind does not emulate AVX-512, so the IFMA backend cannot be checked
//! this way; it is covered by review and the differential tests. The example
//! pins the portable backend.

/// Marks `bytes` as holding a secret: memcheck treats them as undefined, so
/// any branch or address that depends on them is reported.
#[cfg(feature = "ct-check")]
pub fn classify(bytes: &mut [u8]) {
    client_request::memory(client_request::MAKE_MEM_UNDEFINED, bytes);
}

/// Marks `bytes` as public: the protocol reveals them, so branching on them
/// (encoding, comparing, sending) is not a leak.
#[cfg(feature = "ct-check")]
pub fn declassify(bytes: &mut [u8]) {
    client_request::memory(client_request::MAKE_MEM_DEFINED, bytes);
}

/// Without `ct-check` there is nothing to tell valgrind.
#[cfg(not(feature = "ct-check"))]
#[inline(always)]
pub(crate) fn declassify(_bytes: &mut [u8]) {}

/// [`declassify`] for a plain value (an integer, `bool` or array of them):
/// returns it, re-read from the memory valgrind was told about. The buffers
/// are `&mut` so the compiler reloads them after the request instead of
/// reusing a register copy whose definedness valgrind still tracks.
pub(crate) fn declassify_value<T: Copy + NoPadding>(value: T) -> T {
    let mut value = value;
    declassify(value_bytes(&mut value));
    value
}

/// Plain values without padding bytes, whose every byte is initialised.
pub(crate) trait NoPadding {}
impl NoPadding for bool {}
impl NoPadding for u8 {}
impl NoPadding for usize {}
impl NoPadding for u64 {}

/// The bytes of a plain value, for the client requests.
#[cfg_attr(not(feature = "ct-check"), allow(dead_code))]
fn value_bytes<T: Copy + NoPadding>(value: &mut T) -> &mut [u8] {
    let len = core::mem::size_of::<T>();
    let ptr = (value as *mut T).cast::<u8>();
    // SAFETY: `value` is a live, exclusive reference to `len` bytes; the
    // `NoPadding` types have no padding, so every byte is initialised; the
    // slice reborrows `value` and cannot outlive it. Only the valgrind request
    // sees the slice, and it writes no byte of it (only valgrind's shadow
    // state), so a `bool` stays a valid `bool`.
    #[allow(unsafe_code)]
    unsafe {
        core::slice::from_raw_parts_mut(ptr, len)
    }
}

#[cfg(feature = "ct-check")]
mod client_request {
    //! Valgrind's client-request mechanism: a magic no-op instruction sequence
    //! that valgrind's JIT recognises, with the request in memory at `rax` and
    //! the result in `rdx` (valgrind.h, `VALGRIND_DO_CLIENT_REQUEST_EXPR`).

    /// `VG_USERREQ_TOOL_BASE('M','C')`: memcheck's requests.
    const MEMCHECK_BASE: u64 = (b'M' as u64) << 24 | (b'C' as u64) << 16;
    /// `VALGRIND_MAKE_MEM_UNDEFINED`.
    pub(super) const MAKE_MEM_UNDEFINED: u64 = MEMCHECK_BASE + 1;
    /// `VALGRIND_MAKE_MEM_DEFINED`.
    pub(super) const MAKE_MEM_DEFINED: u64 = MEMCHECK_BASE + 2;

    /// Sends `request` for the memory of `bytes`.
    pub(super) fn memory(request: u64, bytes: &mut [u8]) {
        if bytes.is_empty() {
            return;
        }
        let args: [u64; 6] = [
            request,
            bytes.as_mut_ptr() as u64,
            bytes.len() as u64,
            0,
            0,
            0,
        ];
        send(&args);
    }

    #[cfg(target_arch = "x86_64")]
    fn send(args: &[u64; 6]) {
        let mut result: u64 = 0;
        // SAFETY: the four rotations of `rdi` add up to 128 bits (a no-op) and
        // `xchg rbx, rbx` changes nothing, so natively the block only clobbers
        // the flags; under valgrind the sequence is replaced by the request,
        // which reads the six words at `rax` (a live array) and writes `rdx`.
        // `rdi` is declared clobbered for safety, `rdx` as in/out.
        #[allow(unsafe_code)]
        unsafe {
            core::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                in("rax") args.as_ptr(),
                inout("rdx") result,
                inout("rdi") 0u64 => _,
                options(nostack),
            );
        }
        let _ = result;
    }

    /// Other architectures: no client requests (the check runs on x86-64).
    #[cfg(not(target_arch = "x86_64"))]
    fn send(_args: &[u64; 6]) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_harmless_outside_valgrind() {
        let mut secret = [7u8; 32];
        #[cfg(feature = "ct-check")]
        classify(&mut secret);
        declassify(&mut secret);
        assert_eq!(secret, [7u8; 32]);
        assert!(declassify_value(true));
        assert_eq!(declassify_value(42usize), 42);
        assert_eq!(value_bytes(&mut 0x0102u64).len(), 8);
    }
}
