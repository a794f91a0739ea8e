//! The SDK host app in the iframe the embed creates, on our origin: the method and
//! challenge iframes live here, so a checkout page frames only us. Plain DOM
//! (`view.rs`): two frames and a form need no UI framework's weight.

mod backend;
pub(crate) mod codec;
mod controller;
mod flow;
pub mod state;
mod view;

#[cfg(all(test, target_arch = "wasm32"))]
mod round_trip;

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

use controller::Controller;

/// The SDK's own words in the locale the embed asked for (`?locale=`).
fn strings(window: &web_sys::Window) -> &'static crate::locale::HostStrings {
    let locale = window.location().search().ok().and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok()?.get("locale"));
    let (tag, strings) = crate::locale::pick_host(locale.as_deref());
    // Assistive tech reads the loading line in its language.
    if let Some(root) = window.document().and_then(|document| document.document_element()) {
        let _ = root.set_attribute("lang", tag);
    }
    strings
}

/// The checkout page's origin, from `?parent=`: the only origin commands are
/// accepted from and reports are posted to.
fn parent_origin(window: &web_sys::Window) -> Option<String> {
    let search = window.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let parent = params.get("parent")?;
    (threeds_api::origin_of(&parent).as_deref() == Some(parent.as_str())).then_some(parent)
}

/// Whether this browser has `Element.prototype.moveBefore`.
fn can_move_frames() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"Element".into())
        .and_then(|element| js_sys::Reflect::get(&element, &"prototype".into()))
        .and_then(|prototype| js_sys::Reflect::has(&prototype, &"moveBefore".into()))
        .unwrap_or(false)
}

/// What the page keeps for as long as it lives: the controller and its two listeners.
struct Running {
    _controller: Rc<Controller>,
    _messages: EventListener,
    _escape: EventListener,
}

thread_local! {
    static RUNNING: std::cell::RefCell<Option<Running>> = const { std::cell::RefCell::new(None) };
}

/// Starts the host page: listens for the embed's commands (and Escape), then says ready.
pub fn run() {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let strings = strings(&window);
    let Some(parent) = parent_origin(&window) else {
        if let (Ok(fatal), Some(body)) = (document.create_element("p"), document.body()) {
            let _ = fatal.set_attribute("class", "fatal");
            fatal.set_text_content(Some("This page runs inside a checkout page's 3-D Secure frame (no ?parent= origin given)."));
            let _ = body.append_child(&fatal);
        }
        return;
    };
    // The embed's spare frame (`#spare`), kept for the next challenge; the embed can
    // hand it over only where it can move it without a reload (`moveBefore`).
    let spare = window.location().hash().is_ok_and(|hash| hash == "#spare") && can_move_frames();
    let controller = Controller::new(window, parent, strings);
    let escape = {
        let controller = controller.clone();
        EventListener::new(&document, "keydown", move |event| {
            if event.dyn_ref::<KeyboardEvent>().is_some_and(|key| key.key() == "Escape") {
                controller.escape();
            }
        })
    };
    let messages = controller.listen();
    if spare {
        controller.prepare_challenge();
    }
    RUNNING.with(|running| *running.borrow_mut() = Some(Running { _controller: controller, _messages: messages, _escape: escape }));
}
