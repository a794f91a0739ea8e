//! The frames inside the host page: the hidden 3DS Method frame and the challenge
//! frame at its spec size. Each posts its form exactly once per transaction, however
//! often it re-renders.

use web_sys::{HtmlFormElement, HtmlIFrameElement};
use yew::prelude::*;

use super::state::{ChallengeView, MethodView};

/// What a bank's page may use: Secure Payment Confirmation and passkeys (the
/// embed delegates the same to this page). `*`: these frames are navigated by a
/// form post (or a processor's redirects) to origins other than their `src`, and
/// an allowlist without one would cover only the `src` origin.
const ALLOW: &str = "payment *; publickey-credentials-get *; publickey-credentials-create *";

/// Props of [`MethodFrame`].
#[derive(Properties, PartialEq)]
pub struct MethodFrameProps {
    /// The frame and the form to post into it.
    pub view: MethodView,
    /// The SDK's words, in the page's locale.
    pub strings: &'static crate::locale::HostStrings,
    /// Called once, after the form was posted, with the frame to expect messages from.
    pub on_posted: Callback<HtmlIFrameElement>,
}

/// Posts `threeDSMethodData` to the ACS in a hidden iframe.
#[component]
pub fn MethodFrame(props: &MethodFrameProps) -> Html {
    let frame = use_node_ref();
    let form = use_node_ref();
    let posted = use_mut_ref(|| false);
    {
        let (frame, form, on_posted) = (frame.clone(), form.clone(), props.on_posted.clone());
        use_effect_with(props.view.frame_name.clone(), move |_| {
            post_once(&posted, &form, &frame, &on_posted);
        });
    }
    let view = &props.view;
    html! {
        <div aria-hidden="true" style="position:absolute;width:0;height:0;overflow:hidden">
            <iframe ref={frame} name={view.frame_name.clone()} title={props.strings.method_title} tabindex="-1" allow={ALLOW}
                style="width:0;height:0;border:0" />
            <form ref={form} method="post" action={view.method_url.clone()} target={view.frame_name.clone()}>
                <input type="hidden" name="threeDSMethodData" value={view.method_data.clone()} />
            </form>
        </div>
    }
}

/// Props of [`ChallengeFrame`].
#[derive(Properties, PartialEq)]
pub struct ChallengeFrameProps {
    /// The frame, its size and the CReq form to post into it.
    pub view: ChallengeView,
    /// The SDK's words, in the page's locale.
    pub strings: &'static crate::locale::HostStrings,
    /// Called once, after the CReq was posted, with the frame to expect messages from.
    pub on_posted: Callback<HtmlIFrameElement>,
    /// Called on each load of the ACS page after the CReq was posted.
    pub on_loaded: Callback<()>,
}

/// The challenge: an iframe at exactly the window size (05: the whole frame), no
/// `sandbox`, the CReq posted into it (or a processor's page loaded by its URL),
/// a loading state until the page shows.
#[component]
pub fn ChallengeFrame(props: &ChallengeFrameProps) -> Html {
    let frame = use_node_ref();
    let form = use_node_ref();
    let posted = use_mut_ref(|| false);
    {
        let (frame, form, on_posted, posted) = (frame.clone(), form.clone(), props.on_posted.clone(), posted.clone());
        let by_url = props.view.post.is_none();
        use_effect_with(props.view.frame_name.clone(), move |_| {
            if by_url {
                // The frame navigates by its `src`: nothing to post.
                if let Some(frame) = frame.cast::<HtmlIFrameElement>()
                    && !std::mem::replace(&mut *posted.borrow_mut(), true)
                {
                    on_posted.emit(frame);
                }
            } else {
                post_once(&posted, &form, &frame, &on_posted);
            }
        });
    }
    let onload = {
        let (posted, on_loaded) = (posted.clone(), props.on_loaded.clone());
        // The initial about:blank load comes before the post: only later loads count.
        Callback::from(move |_: Event| {
            if *posted.borrow() {
                on_loaded.emit(());
            }
        })
    };
    let view = &props.view;
    let (width, height) = match view.size.dimensions() {
        Some((w, h)) => (format!("{w}px"), format!("{h}px")),
        None => ("100vw".to_owned(), "100vh".to_owned()),
    };
    let box_style = format!("position:relative;width:{width};height:{height}");
    let frame_style = format!("display:block;border:0;margin:0;padding:0;width:{width};height:{height}");
    html! {
        <div style={box_style} data-window-size={view.size.code()}>
            if !view.loaded {
                <div class="loading" role="status" aria-live="polite">{ props.strings.loading }</div>
            }
            if let Some(post) = &view.post {
                <iframe ref={frame} name={view.frame_name.clone()} title={props.strings.frame_title} allow={ALLOW}
                    style={frame_style} {onload} />
                <form ref={form} method="post" action={view.url.clone()} target={view.frame_name.clone()} style="display:none">
                    <input type="hidden" name="creq" value={post.creq.clone()} />
                    if let Some(data) = &post.session_data {
                        <input type="hidden" name="threeDSSessionData" value={data.clone()} />
                    }
                </form>
            } else {
                <iframe ref={frame} name={view.frame_name.clone()} title={props.strings.frame_title} allow={ALLOW}
                    src={view.url.clone()} style={frame_style} {onload} />
            }
        </div>
    }
}

/// Submits the form unless this component already did, then hands over the frame.
fn post_once(posted: &std::rc::Rc<std::cell::RefCell<bool>>, form: &NodeRef, frame: &NodeRef, on_posted: &Callback<HtmlIFrameElement>) {
    if *posted.borrow() {
        return;
    }
    if let (Some(form), Some(frame)) = (form.cast::<HtmlFormElement>(), frame.cast::<HtmlIFrameElement>()) {
        *posted.borrow_mut() = true;
        let _ = form.submit();
        on_posted.emit(frame);
    }
}
