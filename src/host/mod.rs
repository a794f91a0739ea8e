//! The SDK host app: a Yew app in the iframe the embed creates, on our origin. The
//! method and challenge iframes live here, so a checkout page frames only us.

mod backend;
pub(crate) mod codec;
mod controller;
mod flow;
mod frames;
pub mod state;

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{HtmlIFrameElement, KeyboardEvent};
use yew::prelude::*;

use controller::Controller;
use frames::{ChallengeFrame, MethodFrame};
use state::HostState;

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

/// The host page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(HostState::default);
    let controller: Rc<Option<Rc<Controller>>> = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            let window = web_sys::window()?;
            let parent = parent_origin(&window)?;
            Some(Controller::new(window, parent, dispatcher))
        })
    };
    {
        let controller = controller.clone();
        use_effect_with((), move |_| {
            // Owned by this effect: removed when the app unmounts.
            let listeners = controller.as_ref().as_ref().and_then(|controller| {
                let document = web_sys::window()?.document()?;
                let escape = {
                    let controller = controller.clone();
                    EventListener::new(&document, "keydown", move |event| {
                        if event.dyn_ref::<KeyboardEvent>().is_some_and(|key| key.key() == "Escape") {
                            controller.escape();
                        }
                    })
                };
                Some((controller.listen(), escape))
            });
            move || drop(listeners)
        });
    }
    let Some(controller) = controller.as_ref().clone() else {
        return html! { <p class="fatal">{ "This page runs inside a checkout page's 3-D Secure frame (no ?parent= origin given)." }</p> };
    };
    let strings = *use_memo((), |_| web_sys::window().map(|window| strings(&window)).unwrap_or_else(|| crate::locale::pick_host(None).1));
    let method = state.method.clone().map(|view| {
        let (flow, key) = (view.flow, view.frame_name.clone());
        let controller = controller.clone();
        let on_posted = Callback::from(move |frame: HtmlIFrameElement| controller.method_posted(flow, frame));
        html! { <MethodFrame {key} {view} {strings} {on_posted} /> }
    });
    let challenge = state.challenge.clone().map(|view| {
        let (flow, key) = (view.flow, view.frame_name.clone());
        let posted = controller.clone();
        let loaded = controller.clone();
        let on_posted = Callback::from(move |frame: HtmlIFrameElement| {
            let _ = frame.focus();
            posted.challenge_posted(flow, frame)
        });
        let on_loaded = Callback::from(move |()| loaded.challenge_loaded(flow));
        html! { <ChallengeFrame {key} {view} {strings} {on_posted} {on_loaded} /> }
    });
    html! {
        <>
            { for method }
            { for challenge }
            if let Some(fatal) = &state.fatal {
                <p class="fatal" role="alert">{ fatal }</p>
            }
        </>
    }
}

/// Mounts the host app on the page's body.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
