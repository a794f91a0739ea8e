//! Reads the browser's raw device readings through web-sys.
//!
//! Normalisation to the EMV fields is protocol logic and lives in threeds-protocol;
//! this module only reads what the browser reports.

use wasm_bindgen::JsValue;

/// What the browser reports, before any EMV normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReadings {
    pub java_enabled: bool,
    pub language: String,
    pub color_depth: i32,
    pub screen_width: i32,
    pub screen_height: i32,
    /// `Date.getTimezoneOffset()`: minutes, positive when local time is behind UTC.
    pub timezone_offset_minutes: i32,
    pub user_agent: String,
}

/// Reads every raw value the EMV browser fields need from `window`.
pub fn read() -> Result<RawReadings, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let navigator = window.navigator();
    let screen = window.screen()?;
    Ok(RawReadings {
        // `navigator.javaEnabled()` is gone from modern browsers; absent means false.
        java_enabled: false,
        language: navigator.language().unwrap_or_default(),
        color_depth: screen.color_depth()?,
        screen_width: screen.width()?,
        screen_height: screen.height()?,
        timezone_offset_minutes: js_sys::Date::new_0().get_timezone_offset() as i32,
        user_agent: navigator.user_agent()?,
    })
}
