//! `MethodNotification::decode` on any form value (the ACS's post to the
//! method notification URL); what decodes encodes and decodes to an equal value.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::method_notification(data));
