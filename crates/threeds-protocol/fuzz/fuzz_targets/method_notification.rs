//! `MethodNotification::decode` on any form value (the ACS's post to the
//! method notification URL); what decodes encodes and decodes to an equal value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_protocol::messages::MethodNotification;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(notification) = MethodNotification::decode(&text) else { return };
    let field = notification.encode();
    // Escaping can push the re-encoded JSON past the decode limit; that is not a failure.
    if let Ok(again) = MethodNotification::decode(&field) {
        assert_eq!(notification, again, "decode -> encode -> decode changed the notification");
    }
});
