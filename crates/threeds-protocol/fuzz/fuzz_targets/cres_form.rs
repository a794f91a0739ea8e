//! The `cres` form field: base64url JSON decoded into a `CRes`; what decodes
//! encodes and decodes to an equal value.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::cres_form(data));
