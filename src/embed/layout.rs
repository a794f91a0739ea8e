//! Where and how big the challenge is: the window size choice, and the inline or
//! modal frame with its Cancel button, Escape key, focus and inert page. Dropping
//! a [`ChallengeUi`] puts the page back exactly as it was.

use threeds_protocol::ChallengeWindowSize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlIFrameElement, KeyboardEvent, Window};

/// Height of the bar with the Cancel button, CSS pixels.
pub const BAR_HEIGHT: u32 = 40;
/// Space kept around the modal dialog, CSS pixels.
const MODAL_MARGIN: u32 = 16;

/// How the challenge is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// In a container the checkout page gives.
    Inline,
    /// Above everything, the page behind inert.
    Modal,
}

/// An element, or the element a selector names.
pub fn resolve_container(document: &Document, value: &JsValue) -> Option<Element> {
    if let Some(element) = value.dyn_ref::<Element>() {
        return Some(element.clone());
    }
    document.query_selector(&value.as_string()?).ok().flatten()
}

/// The window size for a request: a fixed code as given, or for `auto` the largest
/// spec size that fits the room (the container inline, the viewport in a modal),
/// leaving room for the Cancel bar; `None` for an unknown code.
pub fn choose_size(window: &Window, requested: &str, mode: Mode, container: Option<&Element>) -> Option<ChallengeWindowSize> {
    if requested != "auto" {
        return ChallengeWindowSize::from_code(requested);
    }
    let (viewport_width, viewport_height) = viewport(window);
    let (width, height) = match (mode, container) {
        (Mode::Inline, Some(container)) => {
            let width = container.client_width().max(0) as u32;
            let height = match container.client_height() {
                h if h > 0 => h as u32,
                // A container without its own height grows with content: the viewport bounds it.
                _ => viewport_height,
            };
            (width, height.saturating_sub(BAR_HEIGHT))
        }
        _ => (viewport_width.saturating_sub(2 * MODAL_MARGIN), viewport_height.saturating_sub(2 * MODAL_MARGIN + BAR_HEIGHT)),
    };
    Some(ChallengeWindowSize::largest_fitting(width, height))
}

fn viewport(window: &Window) -> (u32, u32) {
    let read = |value: Result<JsValue, JsValue>| value.ok().and_then(|v| v.as_f64()).unwrap_or(0.0).max(0.0) as u32;
    (read(window.inner_width()), read(window.inner_height()))
}

/// The challenge's place on the page while it runs.
pub struct ChallengeUi {
    root: HtmlElement,
    slot: HtmlElement,
    size: ChallengeWindowSize,
    inerted: Vec<Element>,
    previous_focus: Option<HtmlElement>,
    _escape: super::js::Listener,
    _cancel: super::js::Listener,
}

fn element(document: &Document, tag: &str, style: &str) -> Result<HtmlElement, JsValue> {
    // `create_element` of an HTML tag is an HTMLElement: no runtime check needed.
    let element: HtmlElement = document.create_element(tag)?.unchecked_into();
    set_style(&element, style);
    Ok(element)
}

/// Styles an element through the CSSOM (`element.style.cssText`), which a page's
/// Content-Security-Policy does not restrict; a `style` attribute would need
/// `'unsafe-inline'` (or hashes) in the page's `style-src`.
pub fn set_style(element: &HtmlElement, style: &str) {
    element.style().set_css_text(style);
}

impl ChallengeUi {
    /// Builds the frame's surroundings and wires Cancel and Escape to `on_cancel`.
    /// Escape counts only from inside the challenge UI, never from elsewhere on the page.
    pub fn show(
        document: &Document,
        mode: Mode,
        container: Option<&Element>,
        size: ChallengeWindowSize,
        strings: &crate::locale::Strings,
        on_cancel: impl Fn() + Clone + 'static,
    ) -> Result<Self, JsValue> {
        let body = document.body().ok_or_else(|| JsValue::from_str("the page has no <body>"))?;
        let full = size == ChallengeWindowSize::FullScreen;
        // Whatever had focus (HTML or SVG) has a `focus()` method to give it back.
        let previous_focus = document.active_element().map(|e| e.unchecked_into::<HtmlElement>());
        // A modal sits above everything; inline goes into the container, and full
        // screen (05) fills that: the container inline, the viewport in a modal.
        let overlay = mode == Mode::Modal;
        let root = if overlay {
            element(
                document,
                "div",
                "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;\
                 background:rgba(15,20,30,.55);margin:0;padding:0",
            )?
        } else if full {
            element(document, "div", "position:relative;width:100%;height:100%")?
        } else {
            element(document, "div", "display:inline-flex;flex-direction:column;align-items:stretch;max-width:100%")?
        };
        root.set_attribute("data-threeds-challenge", size.code())?;
        root.set_attribute("lang", strings.tag)?;
        let dialog = if overlay {
            let style = if full {
                "position:relative;width:100vw;height:100vh;background:#fff"
            } else {
                "position:relative;display:flex;flex-direction:column;background:#fff;border-radius:8px;overflow:hidden;\
                 box-shadow:0 10px 40px rgba(0,0,0,.35)"
            };
            let dialog = element(document, "div", style)?;
            dialog.set_attribute("role", "dialog")?;
            dialog.set_attribute("aria-modal", "true")?;
            dialog.set_attribute("aria-label", strings.dialog_label)?;
            root.append_child(&dialog)?;
            dialog
        } else {
            root.set_attribute("role", "region")?;
            root.set_attribute("aria-label", strings.dialog_label)?;
            root.clone()
        };
        let bar_style = if full {
            // Over the full-screen frame's top end corner (right, or left in a
            // right-to-left page): the frame keeps every pixel.
            "position:absolute;top:8px;inset-inline-end:8px;z-index:1"
        } else {
            "display:flex;align-items:center;justify-content:space-between;height:40px;padding:0 8px;\
             box-sizing:border-box;font:14px system-ui,sans-serif;color:#334;background:#f4f5f8"
        };
        let bar = element(document, "div", bar_style)?;
        if !full {
            let label = element(document, "span", "")?;
            label.set_text_content(Some(strings.dialog_label));
            bar.append_child(&label)?;
        }
        let cancel = element(
            document,
            "button",
            "font:14px system-ui,sans-serif;padding:6px 12px;border:1px solid #99a;border-radius:6px;background:#fff;cursor:pointer",
        )?;
        cancel.set_attribute("type", "button")?;
        cancel.set_attribute("data-threeds-cancel", "")?;
        cancel.set_text_content(Some(strings.cancel));
        bar.append_child(&cancel)?;
        let slot = element(document, "div", if full { "display:block;line-height:0;width:100%;height:100%" } else { "display:block;line-height:0" })?;
        if full || !overlay {
            dialog.append_child(&slot)?;
            dialog.append_child(&bar)?;
        } else {
            dialog.append_child(&bar)?;
            dialog.append_child(&slot)?;
        }
        match (overlay, container) {
            (false, Some(container)) => container.append_child(&root)?,
            _ => body.append_child(&root)?,
        };
        // A modal makes the page behind inert: no focus, no clicks, hidden from assistive tech.
        let mut inerted = Vec::new();
        if overlay {
            let children = body.children();
            for i in 0..children.length() {
                if let Some(child) = children.item(i)
                    && !child.is_same_node(Some(root.as_ref()))
                    && !child.has_attribute("inert")
                {
                    child.set_attribute("inert", "")?;
                    inerted.push(child);
                }
            }
        }
        let cancel_click = {
            let on_cancel = on_cancel.clone();
            super::js::Listener::new(&cancel, "click", move |_| on_cancel())
        };
        // On the challenge's own root: a key pressed elsewhere on the page never reaches it.
        let escape = super::js::Listener::new(&root, "keydown", move |event| {
            // A `keydown` listener only ever gets KeyboardEvents.
            if event.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                on_cancel();
            }
        });
        Ok(Self { root, slot, size, inerted, previous_focus, _escape: escape, _cancel: cancel_click })
    }

    /// Where the host frame goes.
    pub fn frame_parent(&self) -> &Element {
        &self.slot
    }

    /// The frame's CSS pixels: the spec size, or for 05 what it fills (the
    /// container inline, the viewport in a modal).
    pub fn frame_size(&self) -> (u32, u32) {
        self.size.dimensions().unwrap_or((self.slot.client_width().max(0) as u32, self.slot.client_height().max(0) as u32))
    }

    /// Sizes the host frame exactly (no border, so the box is the size) and focuses
    /// it: a spec size through the frame's `width` and `height` attributes (the
    /// browser writes the numbers), 05 by filling its room.
    pub fn size_frame(&self, frame: &HtmlIFrameElement) {
        match self.size.dimensions() {
            Some((width, height)) => {
                set_style(frame, "display:block;border:0;margin:0;padding:0");
                let _ = js_sys::Reflect::set(frame, &"width".into(), &width.into());
                let _ = js_sys::Reflect::set(frame, &"height".into(), &height.into());
            }
            None => set_style(frame, "display:block;border:0;margin:0;padding:0;width:100%;height:100%"),
        }
        let _ = frame.focus();
    }
}

impl Drop for ChallengeUi {
    fn drop(&mut self) {
        self.root.remove();
        for element in &self.inerted {
            let _ = element.remove_attribute("inert");
        }
        if let Some(previous) = &self.previous_focus {
            let _ = previous.focus();
        }
    }
}
