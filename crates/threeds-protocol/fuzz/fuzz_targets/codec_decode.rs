//! `codec::decode` on any text; what decodes re-encodes and decodes to the same bytes.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::codec_decode(data));
