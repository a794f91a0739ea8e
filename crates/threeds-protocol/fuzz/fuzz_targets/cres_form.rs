//! The `cres` form field: base64url JSON decoded into a `CRes`; what decodes
//! encodes and decodes to an equal value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_protocol::codec;
use threeds_protocol::messages::CRes;

const LIMIT: usize = 65536;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(cres) = codec::decode_json::<CRes>(&text, LIMIT) else { return };
    let field = codec::encode_json(&cres);
    // Escaping can push the re-encoded JSON past the decode limit; that is not a failure.
    if let Ok(again) = codec::decode_json::<CRes>(&field, LIMIT) {
        assert_eq!(cres, again, "decode -> encode -> decode changed the CRes");
    }
});
