//! What each fuzz target checks, as plain functions: the libFuzzer targets call
//! them, and the native test `tests/fuzz_corpus.rs` replays every committed input
//! through them, so an input that once crashed stays fixed without a fuzzer.
//! Each reads its input as text (lossy UTF-8) and panics on a broken property.

// Each fuzz target uses one of these functions.
#![allow(dead_code)]

use threeds_protocol::messages::{CRes, MAX_MESSAGE_BYTES, MethodData, MethodNotification};
use threeds_protocol::{Message, codec};

/// A target's check: panics on a broken property.
pub type Check = fn(&[u8]);

/// The targets, by name: the name is also the folder of its seeds and corpus.
pub const TARGETS: [(&str, Check); 5] = [
    ("message_from_json", message_from_json),
    ("codec_decode", codec_decode),
    ("method_notification", method_notification),
    ("method_data", method_data),
    ("cres_form", cres_form),
];

/// `Message::from_json`: a message that parses serialises and re-parses to an equal message.
pub fn message_from_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(message) = Message::from_json(&text) else { return };
    let json = serde_json::to_string(&message).expect("a parsed message serialises");
    // Escaping can make the output longer than the input; past the size limit,
    // re-parse from the value so the round trip is still checked.
    let again = if json.len() <= MAX_MESSAGE_BYTES {
        Message::from_json(&json)
    } else {
        Message::from_value(serde_json::from_str(&json).expect("our output is JSON"))
    };
    let again = again.unwrap_or_else(|error| panic!("re-parsing our own output failed: {error}\n{json}"));
    assert_eq!(message, again, "parse -> serialise -> parse changed the message\n{json}");
}

/// Upper bound of `codec_decode`'s output.
const CODEC_LIMIT: usize = 4096;

/// `codec::decode`: output within its limit; re-encoding and decoding gives the same bytes.
pub fn codec_decode(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(bytes) = codec::decode(&text, CODEC_LIMIT) else { return };
    assert!(bytes.len() <= CODEC_LIMIT, "decode returned {} bytes over its limit", bytes.len());
    let encoded = codec::encode(&bytes);
    let again = codec::decode(&encoded, CODEC_LIMIT).unwrap_or_else(|error| panic!("re-decoding {encoded:?} failed: {error}"));
    assert_eq!(bytes, again, "encode -> decode changed the bytes");
}

/// `MethodNotification::decode` (the ACS's post): encode then decode gives an equal value.
pub fn method_notification(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(notification) = MethodNotification::decode(&text) else { return };
    let field = notification.encode();
    // Escaping can push the re-encoded JSON past the decode limit; that is not a failure.
    if let Ok(again) = MethodNotification::decode(&field) {
        assert_eq!(notification, again, "decode -> encode -> decode changed the notification");
    }
}

/// `MethodData::decode` (the browser's `threeDSMethodData`): encode then decode gives an equal value.
pub fn method_data(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(method_data) = MethodData::decode(&text) else { return };
    let field = method_data.encode();
    if let Ok(again) = MethodData::decode(&field) {
        assert_eq!(method_data, again, "decode -> encode -> decode changed the method data");
    }
}

/// Upper bound of a decoded `cres` form field.
const CRES_LIMIT: usize = 65536;

/// The `cres` form field decoded into a `CRes`: encode then decode gives an equal value.
pub fn cres_form(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(cres) = codec::decode_json::<CRes>(&text, CRES_LIMIT) else { return };
    let field = codec::encode_json(&cres);
    if let Ok(again) = codec::decode_json::<CRes>(&field, CRES_LIMIT) {
        assert_eq!(cres, again, "decode -> encode -> decode changed the CRes");
    }
}
