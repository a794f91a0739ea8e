//! `MethodData::decode` on any form value (the browser's `threeDSMethodData`);
//! what decodes encodes and decodes to an equal value.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::method_data(data));
