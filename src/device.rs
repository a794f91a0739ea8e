//! The browser's device data: read through web-sys (glue), then normalised by
//! threeds-protocol's rules into the session API's `device_info` (pure).

use threeds_api::session::DeviceInfo;
use threeds_protocol::{BrowserInfo, BrowserReadings, MessageVersion};
use wasm_bindgen::JsValue;

/// Reads every raw value the EMV browser fields need from `window`.
pub fn read() -> Result<BrowserReadings, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let navigator = window.navigator();
    let screen = window.screen()?;
    let languages = navigator.languages().iter().filter_map(|tag| tag.as_string()).collect();
    Ok(BrowserReadings {
        // `navigator.javaEnabled()` is gone from modern browsers: false.
        java_enabled: false,
        // This code runs, so JavaScript is on.
        javascript_enabled: true,
        language: navigator.language().unwrap_or_default(),
        languages,
        color_depth: i64::from(screen.color_depth()?),
        screen_height: i64::from(screen.height()?),
        screen_width: i64::from(screen.width()?),
        timezone_offset_minutes: js_sys::Date::new_0().get_timezone_offset() as i64,
        user_agent: navigator.user_agent()?,
    })
}

/// The session API's `device_info`: the fields normalised to fit every version the
/// card range may speak (language of at most 8 characters, as 2.1.0 and 2.2.0
/// require), plus `browser_accept_language` for 2.3.1. Accept header and IP are
/// left to the server, which reads them from the request.
pub fn to_device_info(readings: &BrowserReadings) -> DeviceInfo {
    let mut info = BrowserInfo::from_readings(readings, MessageVersion::V2_2_0);
    info.accept_language = BrowserInfo::from_readings(readings, MessageVersion::V2_3_1).accept_language;
    DeviceInfo::from_browser(&info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_info_fits_every_version() {
        let readings = BrowserReadings {
            java_enabled: false,
            javascript_enabled: true,
            language: "en-GB-oxendict".into(),
            languages: vec!["en-GB-oxendict".into(), "fr".into()],
            color_depth: 30,
            screen_height: 900,
            screen_width: 1440,
            timezone_offset_minutes: -330,
            user_agent: "UA".into(),
        };
        let info = to_device_info(&readings);
        assert_eq!(info.browser_language.as_deref(), Some("en-GB"));
        assert_eq!(info.browser_color_depth.as_deref(), Some("24"));
        assert_eq!(info.browser_tz.as_deref(), Some("-330"));
        assert_eq!(info.browser_accept_language, Some(vec!["en-GB-oxendict".to_owned(), "fr".to_owned()]));
        assert_eq!(info.browser_javascript_enabled, Some(true));
        assert_eq!((info.browser_accept_header, info.browser_ip), (None, None), "the server reads those from the request");
    }
}
