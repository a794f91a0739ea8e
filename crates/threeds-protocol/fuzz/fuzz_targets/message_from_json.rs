//! `Message::from_json` on any text; a message that parses serialises and
//! re-parses to an equal message.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::message_from_json(data));
