//! `Message::from_json` on any text; a message that parses serialises and
//! re-parses to an equal message.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_protocol::Message;
use threeds_protocol::messages::MAX_MESSAGE_BYTES;

fuzz_target!(|data: &[u8]| {
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
});
