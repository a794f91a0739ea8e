//! `MethodData::decode` on any form value (the browser's `threeDSMethodData`);
//! what decodes encodes and decodes to an equal value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_protocol::messages::MethodData;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(method_data) = MethodData::decode(&text) else { return };
    let field = method_data.encode();
    // Escaping can push the re-encoded JSON past the decode limit; that is not a failure.
    if let Ok(again) = MethodData::decode(&field) {
        assert_eq!(method_data, again, "decode -> encode -> decode changed the method data");
    }
});
