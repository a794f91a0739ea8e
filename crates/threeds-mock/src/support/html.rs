//! HTML for the ACS and notification pages. Every value that reaches a page goes
//! through [`text`] or [`attr`]; nothing is interpolated raw.

use threeds_protocol::ChallengeWindowSize;

/// Escapes text content.
pub fn text(value: &str) -> String {
    html_escape::encode_text(value).into_owned()
}

/// Escapes a double-quoted attribute value.
pub fn attr(value: &str) -> String {
    html_escape::encode_double_quoted_attribute(value).into_owned()
}

/// The one script of [`relay`]: it posts the form's fields, as the SDK's own
/// `relay.js` does, to its parent (the SDK host frame) at the origin the form names.
pub const RELAY_SCRIPT: &str = const_format::concatcp!(
    "var f=document.getElementById(\"relay\");if(parent!==window)parent.postMessage({type:\"",
    threeds_api::RELAY_TYPE,
    "\",version:",
    threeds_api::RELAY_VERSION,
    ",fields:Object.fromEntries(new FormData(f))},f.dataset.target)"
);

/// [`RELAY_SCRIPT`]'s SHA-256, for the relay page's own policy.
pub const RELAY_SCRIPT_HASH: &str = "sha256-oxLjEhsKMdW0pGmRlH9bnEUlDBk3AYrFGwk2xTU8QZk=";

/// The relay message as a page of this server's own: `fields` as hidden inputs of a
/// form that names the SDK host frame's origin (`target`), and a constant script
/// that posts them there, the only one the page's policy lets run. The host frame
/// takes it from the session API's origin for the API's flows: a round trip less
/// than sending the frame on to `relay.html`.
pub fn relay(target: &str, fields: &[(&str, &str)]) -> String {
    let inputs: String =
        fields.iter().map(|(name, value)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", attr(name), attr(value))).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '{RELAY_SCRIPT_HASH}'; form-action 'none'\">\
         <title>3-D Secure</title></head>\
         <body><form id=\"relay\" data-target=\"{target}\">{inputs}</form><script>{RELAY_SCRIPT}</script></body></html>",
        target = attr(target),
    )
}

/// The CSS box of a challenge page for a window size: the page is laid out to fill
/// exactly the iframe the SDK renders at that size (05: the whole viewport).
fn window_css(size: Option<ChallengeWindowSize>) -> String {
    match size.and_then(ChallengeWindowSize::dimensions) {
        Some((width, height)) => format!("width:{width}px;height:{height}px;"),
        None => "width:100vw;height:100vh;".to_owned(),
    }
}

const STYLE: &str = "\
*{box-sizing:border-box}html,body{margin:0;padding:0}\
body{font:15px/1.4 system-ui,sans-serif;color:#1d2433;background:#fff;overflow:hidden}\
.acs{display:flex;flex-direction:column;padding:16px;gap:10px;overflow:auto}\
.acs header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #dde1ea;padding-bottom:8px}\
.bank{font-weight:700;color:#123c7a}.brand{font-size:12px;color:#667}\
h1{font-size:18px;margin:0}p{margin:0}.error{color:#b00020}\
input[type=text]{font-size:18px;padding:8px;width:100%;letter-spacing:4px}\
button,.button{font-size:15px;padding:9px 14px;border-radius:6px;border:1px solid #123c7a;background:#123c7a;color:#fff;cursor:pointer;text-decoration:none;text-align:center}\
.link{background:none;color:#123c7a;border:none;padding:4px;text-decoration:underline}\
.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center}.hint{font-size:12px;color:#667}";

/// A whole page. `body` is trusted HTML built from escaped parts by this module's callers.
pub fn page(title: &str, size: Option<ChallengeWindowSize>, body: &str) -> String {
    let code = size.map_or("none", ChallengeWindowSize::code);
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head>\
         <body data-window-size=\"{code}\"><main class=\"acs\" style=\"{css}\">{body}</main></body></html>",
        title = text(title),
        css = window_css(size),
    )
}

/// A form that posts `fields` to `action` as soon as the page loads, with a
/// `<noscript>` button for browsers without JavaScript.
pub fn auto_post(title: &str, action: &str, fields: &[(&str, &str)], message: &str) -> String {
    let inputs: String =
        fields.iter().map(|(name, value)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", attr(name), attr(value))).collect();
    page(
        title,
        None,
        &format!(
            "<p>{message}</p>\
             <form id=\"auto-post\" method=\"post\" action=\"{action}\">{inputs}\
             <noscript><button type=\"submit\">Continue</button></noscript></form>\
             <script>document.getElementById('auto-post').submit();</script>",
            message = text(message),
            action = attr(action),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let html = auto_post("t", "https://x/\"><script>", &[("cres", "a\"b<c>")], "<b>hi</b>");
        assert!(!html.contains("\"><script>"), "{html}");
        assert!(html.contains("value=\"a&quot;b&lt;c&gt;\""), "{html}");
        assert!(html.contains("&lt;b&gt;hi&lt;/b&gt;"), "{html}");
        assert!(html.contains("<noscript><button type=\"submit\">Continue</button></noscript>"));
    }

    #[test]
    fn pages_take_the_window_size() {
        assert!(page("t", Some(ChallengeWindowSize::W390xH400), "").contains("width:390px;height:400px;"));
        assert!(page("t", Some(ChallengeWindowSize::FullScreen), "").contains("width:100vw;height:100vh;"));
    }
}
