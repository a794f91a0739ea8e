//! threeds-web: the browser side of EMV 3-D Secure 2.
//!
//! The embed (the JS API a checkout page loads) and the SDK host app share this
//! crate; protocol rules live in `threeds-protocol`, DOM glue lives here.

pub mod device;

use wasm_bindgen::prelude::*;

/// Fills the demo page's `#device-info` with the raw readings, when the page has one.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(target) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("device-info"))
    else {
        return;
    };
    let text = match device::read() {
        Ok(readings) => format!("{readings:#?}"),
        Err(error) => format!("could not read the device: {error:?}"),
    };
    target.set_text_content(Some(&text));
}
