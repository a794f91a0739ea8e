//! The host frame `preload` (plain JS, `preload.js`) started before the wasm ran,
//! or the one the page declared in its HTML (which `preload.js` asked to say ready
//! again): `ThreeDS.load` takes it as the background frame when it is for the
//! same host page and locale, with the messages it sent meanwhile (its `ready`),
//! which the client then checks as if they had just come. Otherwise the frame
//! goes, as it does when `ThreeDS.load` rejects its options.

use wasm_bindgen::prelude::*;
use web_sys::HtmlIFrameElement;

#[wasm_bindgen(module = "/src/embed/preload.js")]
extern "C" {
    /// `takePreloaded()`'s answer: the started frame, its page and locale, and the
    /// `message` events its window sent before any client listened.
    type Started;
    #[wasm_bindgen(js_name = takePreloaded)]
    fn take_preloaded() -> Option<Started>;
    #[wasm_bindgen(method, getter)]
    fn frame(this: &Started) -> HtmlIFrameElement;
    #[wasm_bindgen(method, getter, js_name = hostUrl)]
    fn host_url(this: &Started) -> String;
    #[wasm_bindgen(method, getter)]
    fn locale(this: &Started) -> String;
    #[wasm_bindgen(method, getter)]
    fn fed(this: &Started) -> bool;
    #[wasm_bindgen(method, getter)]
    fn messages(this: &Started) -> js_sys::Array;
    /// Starts fetching the host app's wasm beside `host_url`, for a host frame
    /// being made (`app=parent`): it will ask for it.
    #[wasm_bindgen(js_name = fetchApp)]
    pub fn fetch_app(host_url: &str);
    /// Answers `event` if it is a host frame's `app-wanted` (of the host's origin:
    /// the caller checked): posts the window that asked the host app's wasm once
    /// fetched, to the host's origin. Whether it was one.
    #[wasm_bindgen(js_name = answerAppWanted)]
    pub fn answer_app_wanted(event: &web_sys::MessageEvent, host_url: &str) -> bool;
    /// `preload(options)`, for the browser tests (pages import it from threeds-web.js).
    #[doc(hidden)]
    #[wasm_bindgen(catch)]
    pub fn preload(options: &JsValue) -> Result<JsValue, JsValue>;
}

/// A started frame this client takes, and the messages to check as just come.
pub struct Preloaded {
    /// The host frame, hidden in the page.
    pub frame: HtmlIFrameElement,
    /// Its `?locale=` as `preload` or the page's HTML wrote it: the client's later
    /// frames say the same, so their page is this one's, from the cache.
    pub locale: String,
    /// The `message` events its window sent before the client listened.
    pub messages: js_sys::Array,
    /// Whether it asks this page for its app (`app=parent`): the client's later
    /// frames do as it does, so their page is its URL, and none fetches the app
    /// a second time (a declared frame without it fetches its own).
    pub fed: bool,
}

/// Whether a frame started for `started_url` in `started_locale` can serve a client
/// for `host_url` that speaks `tag`: the same page, and the same locale once picked.
pub fn serves(started_url: &str, started_locale: &str, host_url: &str, tag: &str) -> bool {
    started_url == host_url && crate::locale::pick([started_locale]).tag == tag
}

/// Takes the started frame, if any: handed over when it serves this client
/// ([`serves`]), else removed.
pub fn take(host_url: &str, tag: &str) -> Option<Preloaded> {
    let started = take_preloaded()?;
    let (frame, locale) = (started.frame(), started.locale());
    if !serves(&started.host_url(), &locale, host_url, tag) {
        frame.remove();
        return None;
    }
    Some(Preloaded { frame, locale, messages: started.messages(), fed: started.fed() })
}

/// Removes the started frame, if any (`ThreeDS.load` rejected its options).
pub fn discard() {
    if let Some(started) = take_preloaded() {
        started.frame().remove();
    }
}

#[cfg(test)]
mod tests {
    use super::serves;

    #[test]
    fn a_started_frame_serves_the_same_page_in_the_same_picked_locale() {
        let page = "https://sdk.example/host.html";
        assert!(serves(page, "fr-CA", page, "fr"), "the language the host page picks");
        assert!(serves(page, "ja", page, "en"), "an unspoken language is English on both sides");
        assert!(!serves(page, "de", page, "fr"), "another locale: the host page would speak German");
        assert!(!serves("https://sdk.example/other/host.html", "fr", page, "fr"), "another page");
        assert!(!serves("https://sdk.example/host.html?v=2", "fr", page, "fr"), "another query");
        assert!(serves(page, "", page, "en"), "a declared frame without a locale speaks English");
    }

    #[test]
    fn preload_js_says_hello_in_the_contracts_envelope() {
        let source = include_str!("preload.js");
        assert!(source.contains(&format!("const PROTOCOL = \"{}\";", threeds_api::PROTOCOL)), "PROTOCOL");
        assert!(source.contains(&format!("const VERSION = {};", threeds_api::VERSION)), "VERSION");
    }
}
