//! The host page's DOM: the hidden 3DS Method frame and the challenge frame at its
//! spec size, made and removed as the controller's actions say (`state.rs` holds
//! what the page shows, as data). Each form is posted once, when its frame is made.

use std::rc::Weak;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlFormElement, HtmlIFrameElement};

use super::controller::Controller;
use super::state::{Action, ChallengeView, HostState, MethodView};
use crate::locale::HostStrings;
use threeds_api::FlowId;

/// What a bank's page may use: Secure Payment Confirmation and passkeys (the
/// embed delegates the same to this page). `*`: these frames are navigated by a
/// form post (or a processor's redirects) to origins other than their `src`, and
/// an allowlist without one would cover only the `src` origin.
const ALLOW: &str = "payment *; publickey-credentials-get *; publickey-credentials-create *";

/// A frame made for a flow: removed (with its listener) when the flow ends.
struct Shown {
    flow: FlowId,
    root: Element,
    loading: Option<Element>,
    _onload: Option<EventListener>,
}

impl Drop for Shown {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// A challenge frame made ahead, out of sight: inserting an iframe makes its
/// browsing context, the slowest step of showing a challenge (about 10 ms; 40 on a
/// phone's CPU), so the spare host frame pays it while it waits for a challenge.
struct Prepared {
    root: Element,
    loading: Element,
    frame: HtmlIFrameElement,
}

/// A 3DS Method frame made ahead, while the session API makes the session (the
/// same browsing-context cost as a challenge frame's, off the method's path). A
/// session without a method URL leaves it for the next one: at most one is kept.
struct PreparedMethod {
    root: Element,
    frame: HtmlIFrameElement,
}

/// The page's frames, and the state they show.
pub struct View {
    document: Document,
    strings: &'static HostStrings,
    controller: Weak<Controller>,
    state: HostState,
    method: Option<Shown>,
    challenge: Option<Shown>,
    prepared: Option<Prepared>,
    prepared_method: Option<PreparedMethod>,
}

/// A frame's root kept out of sight (and of the tab order with its frame's `tabindex`).
const HIDDEN: &str = "position:absolute;width:0;height:0;overflow:hidden";

/// Names `frame` a form's target, through its window too: Chromium reads an
/// iframe's `name` attribute only when it makes the frame, and these are made ahead.
fn name_frame(frame: &HtmlIFrameElement, name: &str) -> Result<(), JsValue> {
    frame.set_attribute("name", name)?;
    if let Some(window) = frame.content_window() {
        let _ = window.set_name(name);
    }
    Ok(())
}

fn element(document: &Document, tag: &str, attributes: &[(&str, &str)]) -> Result<Element, JsValue> {
    let element = document.create_element(tag)?;
    for (name, value) in attributes {
        element.set_attribute(name, value)?;
    }
    Ok(element)
}

/// A form that posts `fields` to `action` into the frame named `target`.
fn form(document: &Document, action: &str, target: &str, fields: &[(&str, &str)]) -> Result<HtmlFormElement, JsValue> {
    let form = element(document, "form", &[("method", "post"), ("action", action), ("target", target), ("style", "display:none")])?;
    for (name, value) in fields {
        let input = element(document, "input", &[("type", "hidden"), ("name", name), ("value", value)])?;
        form.append_child(&input)?;
    }
    Ok(form.unchecked_into())
}

impl View {
    /// The view of `document`'s body, in the page's locale; `controller` hears of the frames.
    pub fn new(document: Document, strings: &'static HostStrings, controller: Weak<Controller>) -> Self {
        Self { document, strings, controller, state: HostState::default(), method: None, challenge: None, prepared: None, prepared_method: None }
    }

    /// Makes the next challenge's frame now, hidden (the spare host frame's idle work).
    pub fn prepare_challenge(&mut self) {
        if self.prepared.is_none() {
            self.prepared = self.challenge_parts(true).ok();
        }
    }

    /// Makes the next 3DS Method's frame now, hidden, unless one is ready.
    pub fn prepare_method(&mut self) {
        if self.prepared_method.is_none() {
            self.prepared_method = self.method_parts().ok();
        }
    }

    /// A 3DS Method's hidden root and frame, in the page (not named yet).
    fn method_parts(&self) -> Result<PreparedMethod, JsValue> {
        let document = &self.document;
        let root = element(document, "div", &[("aria-hidden", "true"), ("style", HIDDEN)])?;
        let frame: HtmlIFrameElement = element(
            document,
            "iframe",
            &[("title", self.strings.method_title), ("tabindex", "-1"), ("allow", ALLOW), ("style", "width:0;height:0;border:0")],
        )?
        .unchecked_into();
        root.append_child(&frame)?;
        self.body()?.append_child(&root)?;
        Ok(PreparedMethod { root, frame })
    }

    /// A challenge's root, loading line and frame; when `hidden`, in the page at once, out of sight.
    fn challenge_parts(&self, hidden: bool) -> Result<Prepared, JsValue> {
        let document = &self.document;
        let root = element(document, "div", &[])?;
        let loading = element(document, "div", &[("class", "loading"), ("role", "status"), ("aria-live", "polite")])?;
        loading.set_text_content(Some(self.strings.loading));
        let frame: HtmlIFrameElement = element(document, "iframe", &[("title", self.strings.frame_title), ("allow", ALLOW)])?.unchecked_into();
        root.append_child(&loading)?;
        root.append_child(&frame)?;
        if hidden {
            root.set_attribute("style", HIDDEN)?;
            root.set_attribute("aria-hidden", "true")?;
            frame.set_attribute("tabindex", "-1")?;
            self.body()?.append_child(&root)?;
        }
        Ok(Prepared { root, loading, frame })
    }

    /// Applies a controller's action to the state and the page.
    pub fn apply(&mut self, action: Action) {
        let before = self.state.clone();
        self.state.reduce(action.clone());
        if self.state == before {
            return;
        }
        let shown = match action {
            Action::ShowMethod(view) => self.show_method(&view).map(|shown| self.method = Some(shown)),
            Action::ShowChallenge(view) => self.show_challenge(&view).map(|shown| self.challenge = Some(shown)),
            Action::ChallengeLoaded(flow) => {
                if let Some(loading) = self.challenge.as_mut().filter(|c| c.flow == flow).and_then(|c| c.loading.take()) {
                    loading.remove();
                }
                Ok(())
            }
            Action::End(flow) => {
                self.method.take_if(|m| m.flow == flow);
                self.challenge.take_if(|c| c.flow == flow);
                Ok(())
            }
            Action::Fatal(message) => self.show_fatal(&message),
        };
        if shown.is_err() {
            let _ = self.show_fatal("this page could not make its frames");
        }
    }

    fn body(&self) -> Result<HtmlElement, JsValue> {
        self.document.body().ok_or_else(|| JsValue::from_str("no body"))
    }

    /// Posts `threeDSMethodData` to the ACS in a hidden iframe (the one made ahead, if any).
    fn show_method(&mut self, view: &MethodView) -> Result<Shown, JsValue> {
        let PreparedMethod { root, frame } = match self.prepared_method.take() {
            Some(prepared) => prepared,
            None => self.method_parts()?,
        };
        let posted = (|| {
            name_frame(&frame, &view.frame_name)?;
            let form = form(&self.document, &view.method_url, &view.frame_name, &[("threeDSMethodData", &view.method_data)])?;
            root.append_child(&form)?;
            form.submit()
        })();
        // Nothing of a method that could not be posted stays in the page.
        if let Err(e) = posted {
            root.remove();
            return Err(e);
        }
        if let Some(controller) = self.controller.upgrade() {
            controller.method_posted(view.flow, frame);
        }
        Ok(Shown { flow: view.flow, root, loading: None, _onload: None })
    }

    /// The challenge: an iframe at exactly the window size (05: the whole frame), no
    /// `sandbox`, the CReq posted into it (or a processor's page loaded by its URL),
    /// a loading line until the page shows.
    fn show_challenge(&mut self, view: &ChallengeView) -> Result<Shown, JsValue> {
        let (width, height) = match view.size.dimensions() {
            Some((w, h)) => (format!("{w}px"), format!("{h}px")),
            None => ("100vw".to_owned(), "100vh".to_owned()),
        };
        let parts = match self.prepared.take() {
            Some(prepared) => prepared,
            None => self.challenge_parts(false)?,
        };
        let root = parts.root.clone();
        // Nothing of a challenge that could not be shown stays in the page.
        self.show_parts(view, parts, &width, &height).inspect_err(|_| root.remove())
    }

    fn show_parts(&self, view: &ChallengeView, parts: Prepared, width: &str, height: &str) -> Result<Shown, JsValue> {
        let Prepared { root, loading, frame } = parts;
        root.set_attribute("style", &format!("position:relative;width:{width};height:{height}"))?;
        root.set_attribute("data-window-size", view.size.code())?;
        let _ = root.remove_attribute("aria-hidden");
        let _ = frame.remove_attribute("tabindex");
        name_frame(&frame, &view.frame_name)?;
        frame.set_attribute("style", &format!("display:block;border:0;margin:0;padding:0;width:{width};height:{height}"))?;
        let form = match &view.post {
            Some(post) => {
                let mut fields = vec![("creq", post.creq.as_str())];
                if let Some(data) = &post.session_data {
                    fields.push(("threeDSSessionData", data));
                }
                let form = form(&self.document, &view.url, &view.frame_name, &fields)?;
                root.append_child(&form)?;
                Some(form)
            }
            None => {
                frame.set_src(&view.url);
                None
            }
        };
        // A prepared root is in the page already.
        if !root.is_connected() {
            self.body()?.append_child(&root)?;
        }
        if let Some(form) = form {
            form.submit()?;
        }
        // Listened for only now: the frame's own about:blank load (when it was
        // inserted) is not the bank's page. Every later load (the ACS's page, then
        // the relay page) tells the controller, which reports challenge-shown once.
        // Focus goes to the bank's first page when it is there (focusing now would lay
        // the page out before the browser sends the form), once: a later page of the
        // bank's must not pull the cardholder back from wherever they went.
        let onload = {
            let (controller, flow, target) = (self.controller.clone(), view.flow, frame.clone());
            let focused = std::cell::Cell::new(false);
            EventListener::new(&frame, "load", move |_| {
                if !focused.replace(true) {
                    let _ = target.focus();
                }
                if let Some(controller) = controller.upgrade() {
                    controller.challenge_loaded(flow);
                }
            })
        };
        if let Some(controller) = self.controller.upgrade() {
            controller.challenge_posted(view.flow, frame);
        }
        Ok(Shown { flow: view.flow, root, loading: Some(loading), _onload: Some(onload) })
    }

    fn show_fatal(&self, message: &str) -> Result<(), JsValue> {
        let fatal = element(&self.document, "p", &[("class", "fatal"), ("role", "alert")])?;
        fatal.set_text_content(Some(message));
        self.body()?.append_child(&fatal)?;
        Ok(())
    }
}
