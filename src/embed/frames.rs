//! The host frames the embed creates (the hidden background frame, and one per
//! challenge), and posting commands into them.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlIFrameElement, Window};

use super::js;
use threeds_api::Command;

/// What a bank's page inside the host frame may use: Secure Payment Confirmation
/// and passkeys. Delegated at each level (page -> host frame -> ACS frame).
pub const ALLOW: &str = "payment; publickey-credentials-get; publickey-credentials-create";

/// A host frame in `parent`, not sandboxed, told who its parent is (`?parent=`)
/// and which locale to speak (`?locale=`).
pub fn host_frame(window: &Window, document: &Document, host_url: &str, locale: &str, parent: &Element) -> Result<HtmlIFrameElement, JsValue> {
    let frame: HtmlIFrameElement = document.create_element("iframe")?.unchecked_into();
    let origin = window.location().origin()?;
    let url = web_sys::Url::new(host_url)?;
    url.search_params().set("parent", &origin);
    url.search_params().set("locale", locale);
    frame.set_attribute("allow", ALLOW)?;
    frame.set_src(&url.href());
    frame.set_title("3-D Secure");
    parent.append_child(&frame)?;
    Ok(frame)
}

/// Hides the background frame: out of sight, of the tab order and of assistive tech.
pub fn hide(frame: &HtmlIFrameElement) {
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("tabindex", "-1");
    super::layout::set_style(frame, "position:absolute;width:0;height:0;border:0;visibility:hidden");
}

/// Whether `source` (a message's `event.source`) is this frame's window.
pub fn is_source(frame: &HtmlIFrameElement, source: Option<&JsValue>) -> bool {
    frame.content_window().is_some_and(|window| source.is_some_and(|source| JsValue::from(window) == *source))
}

/// Posts a command to a host frame, with the host's exact origin as the target.
pub fn post(frame: &HtmlIFrameElement, command: &Command, host_origin: &str) {
    if let Some(target) = frame.content_window() {
        let _ = target.post_message(&js::command(command), host_origin);
    }
}
