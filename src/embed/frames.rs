//! The host frames the embed creates (the hidden background frame, the hidden
//! spare one kept booted for the next challenge, and one per challenge when the
//! spare cannot serve), and posting commands into them.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlIFrameElement, Window};

use super::js;
use threeds_api::Command;

/// What a bank's page inside the host frame may use: Secure Payment Confirmation
/// and passkeys. Delegated at each level (page -> host frame -> ACS frame).
/// `preload.js` makes its frame with the same attributes (plain JS, before the wasm).
pub const ALLOW: &str = "payment; publickey-credentials-get; publickey-credentials-create";

/// A host frame in `parent`, not sandboxed, told who its parent is (`?parent=`),
/// which locale to speak (`?locale=`) and, when `fed`, to ask this page for its
/// app (`?app=parent`: the client answers with `preload::answer_app_wanted`, the fetch
/// started here); the spare one is told so (`#spare`: in
/// the fragment, so its page is the background frame's, from the cache), and
/// makes its challenge frame ahead. (Never inlined: one copy for its callers in
/// the budgeted embed.)
#[inline(never)]
pub fn host_frame(
    window: &Window,
    document: &Document,
    host_url: &str,
    locale: &str,
    parent: &Element,
    spare: bool,
    fed: bool,
) -> Result<HtmlIFrameElement, JsValue> {
    let frame: HtmlIFrameElement = document.create_element("iframe")?.unchecked_into();
    let origin = window.location().origin()?;
    let url = web_sys::Url::new(host_url)?;
    url.search_params().set("parent", &origin);
    url.search_params().set("locale", locale);
    if fed {
        url.search_params().set("app", "parent");
        super::preload::fetch_app(host_url);
    }
    if spare {
        url.set_hash("spare");
    }
    frame.set_attribute("allow", ALLOW)?;
    frame.set_src(&url.href());
    frame.set_title("3-D Secure");
    parent.append_child(&frame)?;
    Ok(frame)
}

/// Hides a frame (the background frame, the spare one): out of sight, of the tab
/// order and of assistive tech.
pub fn hide(frame: &HtmlIFrameElement) {
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("tabindex", "-1");
    super::layout::set_style(frame, "position:absolute;width:0;height:0;border:0;visibility:hidden");
}

#[wasm_bindgen]
extern "C" {
    /// An element, for the one method web-sys does not bind.
    type Parent;
    /// `Element.prototype.moveBefore` (Chromium 133+): moves a node without
    /// reloading the iframes in it. Throws where the browser has none (`catch`:
    /// calling a missing method is the presence check) or refuses the move.
    #[wasm_bindgen(method, catch, js_name = moveBefore)]
    fn move_before(this: &Parent, node: &Element, child: &JsValue) -> Result<(), JsValue>;
}

/// Moves the booted, hidden spare frame to the end of `parent` without reloading
/// it and gives it back to the tab order and assistive tech (the challenge then
/// sizes it, which replaces the hiding style). A modal has just made it `inert`
/// with the rest of `<body>`: that goes too. False if the browser cannot move it.
pub fn adopt(parent: &Element, frame: &HtmlIFrameElement) -> bool {
    if parent.unchecked_ref::<Parent>().move_before(frame, &JsValue::NULL).is_err() {
        return false;
    }
    let _ = frame.remove_attribute("aria-hidden");
    let _ = frame.remove_attribute("tabindex");
    let _ = frame.remove_attribute("inert");
    true
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
