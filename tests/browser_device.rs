//! Device readings in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reads_the_real_browser() {
    let readings = threeds_web::device::read().expect("readings");
    assert!(readings.screen_width > 0 && readings.screen_height > 0, "{readings:?}");
    assert!(readings.color_depth > 0, "{readings:?}");
    assert!(readings.user_agent.contains("Chrome"), "{readings:?}");
    assert!(!readings.language.is_empty(), "{readings:?}");
}
