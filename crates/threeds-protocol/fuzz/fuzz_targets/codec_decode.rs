//! `codec::decode` on any text; what decodes re-encodes and decodes to the same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_protocol::codec;

const LIMIT: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(bytes) = codec::decode(&text, LIMIT) else { return };
    assert!(bytes.len() <= LIMIT, "decode returned {} bytes over its limit", bytes.len());
    let encoded = codec::encode(&bytes);
    let again = codec::decode(&encoded, LIMIT).unwrap_or_else(|error| panic!("re-decoding {encoded:?} failed: {error}"));
    assert_eq!(bytes, again, "encode -> decode changed the bytes");
});
