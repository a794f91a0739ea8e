//! The hosted authentication: `next_action.redirect_to_url.url` opens
//! `GET /stripe/redirect/authenticate/{id}`, a page that reads the browser's data
//! and posts it back; the POST runs the AReq through this mock's 3DS Server. A
//! frictionless outcome returns the cardholder to `return_url` at once; a
//! challenge goes through the bank's page (the ACS), whose notification sends
//! the cardholder to `GET /stripe/redirect/complete/{id}`, which settles the
//! intent and answers `303` to `return_url` with `payment_intent`,
//! `payment_intent_client_secret` and `redirect_status` (SetupIntents:
//! `setup_intent`, `setup_intent_client_secret`) in its query.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, State as Extract};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use threeds_protocol::{BrowserInfo, BrowserReadings, TransStatus};

use super::api::{self, client_secret_matches, currency, now};
use super::flow::{self, Verdict};
use super::form::Params;
use super::intent::{Intent, Kind, Status};
use crate::State;
use crate::cards;
use crate::support::error::{ApiError, PageError};
use crate::support::html;
use crate::three_ds_server::api::{challenge_result_of, page_accept_header};
use crate::three_ds_server::hosted;
use crate::three_ds_server::notification::see_other;
use crate::three_ds_server::session::{Authenticate, AuthenticationObject, MerchantInfo, PurchaseInfo, RequestorInfo};

/// The emulated Stripe account's merchant data in the AReq.
fn merchant() -> MerchantInfo {
    MerchantInfo {
        mid: "acct_threeds_mock".into(),
        acquirer_bin: "424242".into(),
        name: "Stripe emulation merchant".into(),
        category_code: "5999".into(),
        country_code: "840".into(),
        url: None,
    }
}

/// The session API request that authenticates `intent`: a payment for a
/// PaymentIntent, a non-payment `add-card` for a SetupIntent.
pub fn authenticate_request(intent: &Intent) -> Authenticate {
    let purchase = (intent.kind == Kind::Payment).then(|| {
        let (numeric, exponent) = currency(&intent.currency).unwrap_or(("978", 2));
        PurchaseInfo { amount: intent.amount.to_string(), currency: numeric.into(), exponent: Some(exponent.to_string()), ..Default::default() }
    });
    let payment = intent.kind == Kind::Payment;
    Authenticate {
        authentication_category: if payment { "payment" } else { "non-payment" }.into(),
        authentication_type: if payment { "payment-transaction" } else { "add-card" }.into(),
        challenge_preference: Some(intent.request_three_d_secure.challenge_preference().into()),
        request_decoupled_challenge: None,
        decoupled_challenge_max_time: None,
        merchant_info: Some(merchant()),
        requestor_info: Some(RequestorInfo { amex_requestor_type: Some("MER".into()), cb_siret_number: None }),
        purchase_info: purchase,
        // Stripe holds no cardholder data beyond the card here; the object is required, its fields optional.
        cardholder_info: Some(serde_json::json!({})),
        broadcast_info: None,
        message_extensions: None,
    }
}

/// The intent an ID names (`pi_...` or `seti_...`), for a page.
fn intent_for_page(state: &State, id: &str, client_secret: Option<&str>) -> Result<Intent, PageError> {
    let kind = if id.starts_with("seti_") { Kind::Setup } else { Kind::Payment };
    let intent = api::intent_of(state, kind, id).map_err(|_| PageError::not_found("unknown or expired payment"))?;
    if !client_secret.is_some_and(|secret| client_secret_matches(&intent, secret)) {
        return Err(PageError::not_found("unknown or expired payment"));
    }
    Ok(intent)
}

/// Back to the merchant: `return_url` with the intent's ID, client secret and
/// `redirect_status`; without a `return_url` (Stripe.js), a page that says it is done.
pub fn return_to_merchant(intent: &Intent) -> Response {
    let Some(return_url) = intent.return_url.as_deref().and_then(|u| url::Url::parse(u).ok()) else {
        return Html(html::page("3D Secure", None, "<p>Authentication complete. You can close this window.</p>")).into_response();
    };
    let mut url = return_url;
    let status = match intent.status {
        Status::Succeeded | Status::RequiresCapture | Status::Processing => "succeeded",
        _ => "failed",
    };
    let object = intent.kind.object();
    url.query_pairs_mut()
        .append_pair(object, &intent.id)
        .append_pair(&format!("{object}_client_secret"), &intent.client_secret)
        .append_pair("redirect_status", status);
    see_other(url.as_str())
}

/// The query of the authentication page.
fn page_params(query: Option<String>) -> Params {
    Params::parse(query.unwrap_or_default().as_bytes())
}

/// `GET /stripe/redirect/authenticate/{id}?client_secret=...[&size=01..05]`: reads
/// the browser's data with script (defaults without) and posts it back.
pub async fn authenticate_page(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let mut query = page_params(query);
    let secret = query.take("client_secret");
    let intent = intent_for_page(&state, &id, secret.as_deref())?;
    if intent.status != Status::RequiresAction {
        return Ok(return_to_merchant(&intent));
    }
    let size = query.take("size").unwrap_or_default();
    let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let language = language_tag(header(header::ACCEPT_LANGUAGE).split([',', ';']).next().unwrap_or_default());
    let fields = [
        ("client_secret", intent.client_secret.clone()),
        ("size", size),
        ("javascript_enabled", "false".into()),
        ("java_enabled", "false".into()),
        ("language", language),
        ("languages", String::new()),
        ("color_depth", "24".into()),
        ("screen_height", "1080".into()),
        ("screen_width", "1920".into()),
        ("timezone_offset", "0".into()),
        ("user_agent", header(header::USER_AGENT)),
    ];
    let inputs: String =
        fields.iter().map(|(name, value)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", html::attr(name), html::attr(value))).collect();
    let action = format!("{}/stripe/redirect/authenticate/{}", state.server_origin, intent.id);
    let body = format!(
        "<p>Connecting to your bank…</p>\
         <form id=\"auto-post\" method=\"post\" action=\"{action}\">{inputs}\
         <noscript><button type=\"submit\">Continue</button></noscript></form>\
         <script>(function(){{var f=document.getElementById('auto-post');\
         function set(n,v){{f.elements[n].value=String(v);}}\
         set('javascript_enabled',true);set('java_enabled',navigator.javaEnabled?navigator.javaEnabled():false);\
         set('language',navigator.language||'');set('languages',(navigator.languages||[]).join(','));\
         set('color_depth',screen.colorDepth);set('screen_height',screen.height);set('screen_width',screen.width);\
         set('timezone_offset',new Date().getTimezoneOffset());set('user_agent',navigator.userAgent);f.submit();}})();</script>",
        action = html::attr(&action),
    );
    Ok(Html(html::page("3D Secure", None, &body)).into_response())
}

/// A language tag as browsers write one (`en-GB`), else `en`: a page without
/// script takes it from `Accept-Language`, which may carry anything.
fn language_tag(tag: &str) -> String {
    let tag = tag.trim();
    let plausible = !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if plausible { tag.to_owned() } else { "en".to_owned() }
}

/// The browser's readings from the page's form (defaults where a value is missing).
fn readings(form: &mut Params) -> BrowserReadings {
    let mut number = |name: &str, default: i64| form.take(name).and_then(|v| v.trim().parse().ok()).unwrap_or(default);
    let color_depth = number("color_depth", 24);
    let screen_height = number("screen_height", 1080);
    let screen_width = number("screen_width", 1920);
    let timezone_offset_minutes = number("timezone_offset", 0);
    BrowserReadings {
        java_enabled: form.take("java_enabled").as_deref() == Some("true"),
        javascript_enabled: form.take("javascript_enabled").as_deref() == Some("true"),
        language: language_tag(&form.take("language").unwrap_or_default()),
        languages: form.take("languages").unwrap_or_default().split(',').map(str::to_owned).collect(),
        color_depth,
        screen_height,
        screen_width,
        timezone_offset_minutes,
        user_agent: form.take("user_agent").filter(|ua| !ua.is_empty()).unwrap_or_else(|| "Mozilla/5.0".into()).chars().take(2048).collect(),
    }
}

/// `POST /stripe/redirect/authenticate/{id}`: runs the AReq with the browser's
/// data; frictionless settles the intent and returns to the merchant, a
/// challenge sends the cardholder to the bank's page.
pub async fn authenticate(
    Extract(state): Extract<State>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let mut form = Params::parse(&body);
    let secret = form.take("client_secret");
    let mut intent = intent_for_page(&state, &id, secret.as_deref())?;
    let size = form.take("size").filter(|s| !s.is_empty());
    if intent.status != Status::RequiresAction {
        return Ok(return_to_merchant(&intent));
    }
    let challenge_url = |session_id| match &size {
        Some(size) => format!(
            "{}?size={}",
            hosted::challenge_page_url(&state, session_id),
            url::form_urlencoded::byte_serialize(size.as_bytes()).collect::<String>()
        ),
        None => hosted::challenge_page_url(&state, session_id),
    };
    // A second post (a reload) goes on with the authentication already started.
    if let Some(session_id) = intent.session_id {
        return Ok(see_other(&challenge_url(session_id)));
    }
    let Some(pm) = intent.payment_method.clone() else { return Err(PageError::conflict("the payment has no payment method")) };
    let version = cards::version_for(pm.card.expose());
    let mut browser = BrowserInfo::from_readings(&readings(&mut form), version);
    browser.accept_header = Some(page_accept_header(&headers));
    browser.ip = Some(peer.ip().to_string());
    let return_to = format!("{}/stripe/redirect/complete/{}?client_secret={}", state.server_origin, intent.id, intent.client_secret);
    match hosted::start(&state, pm.card.clone(), browser, &authenticate_request(&intent), return_to) {
        Ok(started) => {
            intent.session_id = Some(started.session_id);
            if started.needs_challenge() {
                save(&state, &intent)?;
                return Ok(see_other(&challenge_url(started.session_id)));
            }
            settle(&state, &mut intent, &started.authentication)
        }
        Err(ApiError::DirectoryServer(_) | ApiError::Internal(_) | ApiError::Acs(_)) => {
            let details = api::three_d_secure_details(flow::protocol_error(), None, None, None, None);
            finish(&state, &mut intent, flow::protocol_error(), details)
        }
        Err(ApiError::Invalid { field, message }) => Err(PageError::bad_request(format!("{field}: {message}"))),
        Err(error) => Err(PageError { status: StatusCode::SERVICE_UNAVAILABLE, message: error.to_string() }),
    }
}

fn save(state: &State, intent: &Intent) -> Result<(), PageError> {
    state
        .stripe
        .intents
        .insert(intent.id.clone(), intent.clone())
        .map(|_| ())
        .map_err(|error| PageError { status: StatusCode::SERVICE_UNAVAILABLE, message: error.to_string() })
}

/// Settles the intent with a final authentication.
fn settle(state: &State, intent: &mut Intent, authentication: &AuthenticationObject) -> Result<Response, PageError> {
    let verdict = flow::verdict(authentication.authentication_status_code, authentication.challenge_cancel_reason_code.is_some());
    let flow_name = if authentication.directory_status_code == TransStatus::Challenge { "challenge" } else { "frictionless" };
    let version = authentication.threeds_version.to_string();
    let details =
        api::three_d_secure_details(verdict, Some(flow_name), authentication.eci.as_deref(), Some(&authentication.ds_transaction_id), Some(&version));
    finish(state, intent, verdict, details)
}

/// Authorizes after a verdict that proceeds, or fails the authentication; then back to the merchant.
fn finish(state: &State, intent: &mut Intent, verdict: Verdict, details: serde_json::Value) -> Result<Response, PageError> {
    if verdict.proceed {
        // A decline is recorded on the intent (`last_payment_error`); the merchant reads it there.
        let _declined = intent.authorize(Some(details), now());
    } else {
        intent.fail_authentication(details, now());
    }
    save(state, intent)?;
    Ok(return_to_merchant(intent))
}

/// `GET /stripe/redirect/complete/{id}?client_secret=...`: where the 3DS Server
/// sends the cardholder after the challenge; settles the intent once.
pub async fn complete(Extract(state): Extract<State>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let mut query = page_params(query);
    let secret = query.take("client_secret");
    let mut intent = intent_for_page(&state, &id, secret.as_deref())?;
    if intent.status != Status::RequiresAction {
        return Ok(return_to_merchant(&intent));
    }
    let Some(session_id) = intent.session_id else { return Err(PageError::conflict("the authentication has not started")) };
    match challenge_result_of(&state, &session_id.to_string()) {
        Ok(Some(authentication)) => settle(&state, &mut intent, &authentication),
        Ok(None) => Err(PageError::conflict("the authentication is not finished yet")),
        Err(ApiError::Acs(_)) => {
            let details = api::three_d_secure_details(flow::protocol_error(), Some("challenge"), None, None, None);
            finish(&state, &mut intent, flow::protocol_error(), details)
        }
        Err(error) => Err(PageError::conflict(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payments_and_setups_authenticate_as_the_session_api_requires() {
        let mut intent = Intent::new(Kind::Payment, 0);
        intent.amount = 2000;
        intent.currency = "eur".into();
        let payment = authenticate_request(&intent);
        payment.check(None, crate::three_ds_server::session::SessionType::Customer).unwrap();
        assert_eq!(payment.purchase_info.as_ref().map(|p| (p.amount.as_str(), p.currency.as_str())), Some(("2000", "978")));
        let setup = authenticate_request(&Intent::new(Kind::Setup, 0));
        assert!(setup.check(Some(threeds_protocol::CardScheme::Amex), crate::three_ds_server::session::SessionType::Customer).is_ok());
        assert_eq!((setup.authentication_category.as_str(), setup.purchase_info), ("non-payment", None));
    }

    #[test]
    fn language_tags_are_checked() {
        assert_eq!(language_tag("en-GB"), "en-GB");
        assert_eq!(language_tag(" de "), "de");
        assert_eq!(language_tag("<b>en</b>"), "en");
        assert_eq!(language_tag(""), "en");
        assert_eq!(language_tag("en-toolongsubtag"), "en");
    }

    #[test]
    fn the_return_carries_the_intent_and_its_status() {
        let mut intent = Intent::new(Kind::Setup, 0);
        intent.return_url = Some("https://shop.example/return?order=42".into());
        intent.status = Status::Succeeded;
        let response = return_to_merchant(&intent);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let url = url::Url::parse(&location).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("order".into(), "42".into()));
        assert_eq!(pairs[1], ("setup_intent".into(), intent.id.clone()));
        assert_eq!(pairs[2], ("setup_intent_client_secret".into(), intent.client_secret.clone()));
        assert_eq!(pairs[3], ("redirect_status".into(), "succeeded".into()));
    }
}
