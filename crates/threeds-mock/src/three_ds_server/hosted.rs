//! Processor-hosted authentication: a processor (the Stripe or Checkout.com
//! emulations) runs 3-D Secure through this 3DS Server for a card it holds, with
//! no SDK on the merchant's page. It starts a session with the browser data its
//! own page read ([`start`]), and when the ACS asks for a challenge it sends the
//! cardholder to [`challenge_page_url`]: the processor's "bank page", which posts
//! the CReq to the ACS. When the challenge ends, the notification endpoint sends
//! the cardholder on to the processor's `return_to` URL (instead of the SDK
//! relay page); the processor reads the outcome there with [`outcome`].

use std::net::IpAddr;
use std::time::SystemTime;

use axum::extract::{Path, Query, State as Extract};
use axum::http::{HeaderMap, header};
use axum::response::Html;
use serde::Deserialize;
use threeds_protocol::messages::CReq;
use threeds_protocol::{BrowserInfo, BrowserReadings, CardNumber, CardScheme, ChallengeWindowSize, TransStatus, codec};
use uuid::Uuid;

use super::api::{authenticate_session, session};
use super::session::{Authenticate, AuthenticationObject, MerchantInfo, PurchaseInfo, RequestorInfo, Session, SessionType};
use crate::State;
use crate::cards;
use crate::support::error::{ApiError, PageError};
use crate::support::html;
use crate::support::transcript;

/// A processor's authentication, started.
#[derive(Debug, Clone)]
pub struct Started {
    /// The 3DS session behind it.
    pub session_id: Uuid,
    /// Its authentication object (the ARes's outcome, and the ACS URL on a challenge).
    pub authentication: AuthenticationObject,
}

impl Started {
    /// Whether the cardholder must see the bank's challenge page.
    pub fn needs_challenge(&self) -> bool {
        self.authentication.authentication_status_code == TransStatus::Challenge
    }
}

/// Creates a session for `card` with `browser` (the processor's page read it) and
/// authenticates it with `request`. No 3DS Method runs (compInd U). When the
/// challenge ends, the cardholder's browser is sent to `return_to`.
pub fn start(state: &State, card: CardNumber, browser: BrowserInfo, request: &Authenticate, return_to: String) -> Result<Started, ApiError> {
    let version = cards::version_for(card.expose());
    let browser = browser.for_version(version);
    if let Err(error) = browser.validate(version) {
        return Err(ApiError::invalid(format!("browser ({})", error.error_detail()), error.to_string()));
    }
    let id = Uuid::new_v4();
    let now = SystemTime::now();
    let session = Session {
        id,
        three_ds_server_trans_id: Uuid::new_v4(),
        kind: SessionType::Customer,
        scheme: CardScheme::from_pan(card.expose()),
        card,
        token_id: None,
        version,
        browser,
        sdk_origin: None,
        // The processor's pages are this server's own, at the origin it is bound at.
        api_origin: state.server_origin.clone(),
        return_to: Some(return_to),
        method_url: None,
        method_completed: false,
        created: now,
        modified: now,
        authentication: None,
    };
    let trans_id = session.three_ds_server_trans_id;
    for evicted in state.sessions.insert(id, session)? {
        state.session_by_trans_id.remove(&evicted.three_ds_server_trans_id);
    }
    state.session_by_trans_id.insert(trans_id, id)?;
    transcript::open(state, &trans_id.to_string());
    let authentication = authenticate_session(state, &id.to_string(), request)?;
    Ok(Started { session_id: id, authentication })
}

/// The processor's bank page for `session_id`, on the 3DS Server origin.
pub fn challenge_page_url(state: &State, session_id: Uuid) -> String {
    format!("{}/3ds/sessions/{session_id}/hosted-challenge", state.server_origin)
}

/// The session's authentication as it stands now (after a challenge: the RReq's outcome).
pub fn outcome(state: &State, session_id: Uuid) -> Result<AuthenticationObject, ApiError> {
    let session = session(state, &session_id.to_string())?;
    session.authentication.as_ref().map(|a| a.to_object(&session)).ok_or_else(|| ApiError::Conflict("the session is not authenticated".into()))
}

/// The query of the bank page: the challenge window size (default 05, full page).
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// `01`..`05`.
    #[serde(default)]
    size: Option<String>,
}

/// `GET /3ds/sessions/{id}/hosted-challenge`: posts the CReq to the ACS at once.
pub async fn challenge_page(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    let session = session(&state, &id).map_err(|_| PageError::not_found("unknown or expired session"))?;
    if session.return_to.is_none() {
        return Err(PageError::conflict("this session is not a processor's: its challenge runs through the SDK"));
    }
    let size = match query.size.as_deref() {
        None => ChallengeWindowSize::FullScreen,
        Some(code) => ChallengeWindowSize::from_code(code).ok_or_else(|| PageError::bad_request("size: one of 01, 02, 03, 04, 05"))?,
    };
    let Some(authentication) = &session.authentication else {
        return Err(PageError::conflict("this session has no challenge"));
    };
    let ares = &authentication.ares;
    let (Some(acs_url), true) = (&ares.acs_url, ares.trans_status == TransStatus::Challenge && authentication.rreq.is_none()) else {
        return Err(PageError::conflict("this session has no challenge to show (frictionless, or already ended)"));
    };
    let creq = CReq::new(session.version, session.three_ds_server_trans_id.to_string(), ares.acs_trans_id.clone(), size);
    let encoded = codec::encode_json(&creq);
    let fields = [("creq", encoded.as_str()), ("threeDSSessionData", id.as_str())];
    Ok(Html(html::auto_post("3-D Secure", acs_url, &fields, "Connecting to your bank…")))
}

/// What a processor's page reads of the browser (by script) before it starts the
/// authentication: posted as form fields, each optional (a browser without
/// JavaScript posts the defaults of the page's hidden fields).
#[derive(Debug, Default, Deserialize)]
pub struct BrowserForm {
    /// `navigator.javaEnabled()`: `true` or `false`.
    #[serde(default)]
    pub java_enabled: Option<String>,
    /// `true` when the page's script ran.
    #[serde(default)]
    pub javascript_enabled: Option<String>,
    /// `navigator.language`.
    #[serde(default)]
    pub language: Option<String>,
    /// `screen.colorDepth`.
    #[serde(default)]
    pub color_depth: Option<String>,
    /// `screen.height`.
    #[serde(default)]
    pub screen_height: Option<String>,
    /// `screen.width`.
    #[serde(default)]
    pub screen_width: Option<String>,
    /// `new Date().getTimezoneOffset()`.
    #[serde(default)]
    pub timezone_offset: Option<String>,
}

impl BrowserForm {
    /// The AReq's browser fields for `card`'s range: the readings posted, the
    /// `Accept`, `Accept-Language` and `User-Agent` headers and the IP of the request.
    pub fn browser_info(&self, card: &CardNumber, headers: &HeaderMap, ip: IpAddr) -> BrowserInfo {
        let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let number = |value: &Option<String>, default: i64| value.as_deref().and_then(|v| v.trim().parse().ok()).unwrap_or(default);
        let accept_language = header(header::ACCEPT_LANGUAGE);
        let languages: Vec<String> =
            accept_language.split(',').map(|tag| tag.split(';').next().unwrap_or_default().trim().to_owned()).filter(|t| !t.is_empty()).collect();
        let language = self.language.clone().filter(|l| !l.trim().is_empty()).or_else(|| languages.first().cloned()).unwrap_or_else(|| "en".into());
        let readings = BrowserReadings {
            java_enabled: self.java_enabled.as_deref() == Some("true"),
            javascript_enabled: self.javascript_enabled.as_deref() == Some("true"),
            language,
            languages,
            color_depth: number(&self.color_depth, 24),
            screen_height: number(&self.screen_height, 0),
            screen_width: number(&self.screen_width, 0),
            timezone_offset_minutes: number(&self.timezone_offset, 0),
            user_agent: header(header::USER_AGENT),
        };
        let mut browser = BrowserInfo::from_readings(&readings, cards::version_for(card.expose()));
        let accept = header(header::ACCEPT);
        browser.accept_header = Some(if accept.is_empty() { "*/*".to_owned() } else { accept });
        browser.ip = Some(ip.to_string());
        browser
    }
}

/// A processor's page that reads the browser ([`BrowserForm`]'s fields) and posts
/// them, with `hidden` fields, to `action` at once.
pub fn browser_page(title: &str, action: &str, hidden: &[(&str, &str)]) -> String {
    let inputs: String =
        hidden.iter().map(|(name, value)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", html::attr(name), html::attr(value))).collect();
    let readings = ["java_enabled", "javascript_enabled", "language", "color_depth", "screen_height", "screen_width", "timezone_offset"]
        .iter()
        .map(|name| format!("<input type=\"hidden\" name=\"{name}\" id=\"{name}\">"))
        .collect::<String>();
    let body = format!(
        "<p>Connecting to your bank…</p>\
         <form id=\"browser\" method=\"post\" action=\"{action}\">{inputs}{readings}\
         <noscript><button type=\"submit\">Continue</button></noscript></form>\
         <script>(function(){{var f=function(n,v){{document.getElementById(n).value=String(v);}};\
         f('java_enabled',navigator.javaEnabled?navigator.javaEnabled():false);f('javascript_enabled',true);\
         f('language',navigator.language||'');f('color_depth',screen.colorDepth);f('screen_height',screen.height);\
         f('screen_width',screen.width);f('timezone_offset',new Date().getTimezoneOffset());\
         document.getElementById('browser').submit();}})();</script>",
        action = html::attr(action),
    );
    html::page(title, None, &body)
}

/// ISO 4217 numeric code and minor-unit exponent of an alphabetic currency code
/// (any case), for the currencies the processors emulated here take.
pub fn numeric_currency(alpha: &str) -> Option<(&'static str, u8)> {
    const TABLE: [(&str, &str, u8); 16] = [
        ("aud", "036", 2),
        ("cad", "124", 2),
        ("chf", "756", 2),
        ("czk", "203", 2),
        ("dkk", "208", 2),
        ("eur", "978", 2),
        ("gbp", "826", 2),
        ("hkd", "344", 2),
        ("huf", "348", 2),
        ("jpy", "392", 0),
        ("nok", "578", 2),
        ("nzd", "554", 2),
        ("pln", "985", 2),
        ("sek", "752", 2),
        ("sgd", "702", 2),
        ("usd", "840", 2),
    ];
    let alpha = alpha.to_ascii_lowercase();
    TABLE.iter().find(|(code, _, _)| *code == alpha).map(|(_, numeric, exponent)| (*numeric, *exponent))
}

/// The authentication a processor asks for: a payment of `amount` minor units of
/// `currency` (alphabetic) to the processor's merchant `merchant_name`.
pub fn payment_request(amount: u64, currency: &str, merchant_name: &str) -> Result<Authenticate, ApiError> {
    let (numeric, exponent) = numeric_currency(currency).ok_or_else(|| ApiError::invalid("currency", "not a currency this processor takes"))?;
    let date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    let date: String = date.chars().filter(char::is_ascii_digit).take(14).collect();
    Ok(Authenticate {
        authentication_category: "payment".into(),
        authentication_type: "payment-transaction".into(),
        challenge_preference: None,
        request_decoupled_challenge: Some(false),
        decoupled_challenge_max_time: None,
        merchant_info: Some(MerchantInfo {
            mid: "9876543210001".into(),
            acquirer_bin: "000000999".into(),
            name: merchant_name.chars().take(40).collect(),
            category_code: "5399".into(),
            country_code: "826".into(),
            url: None,
        }),
        requestor_info: Some(RequestorInfo { amex_requestor_type: Some("MER".into()), cb_siret_number: None }),
        purchase_info: Some(PurchaseInfo {
            amount: amount.to_string(),
            currency: numeric.into(),
            exponent: Some(exponent.to_string()),
            date: Some(date),
            ..Default::default()
        }),
        // The processor's page asked nothing of the cardholder.
        cardholder_info: Some(serde_json::json!({})),
        broadcast_info: None,
        message_extensions: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use threeds_protocol::MessageVersion;

    #[test]
    fn a_processor_payment_request_passes_the_session_api_rules() {
        let request = payment_request(1099, "EUR", "A merchant").unwrap();
        let purchase = request.purchase_info.as_ref().unwrap();
        assert_eq!((purchase.amount.as_str(), purchase.currency.as_str(), purchase.exponent.as_deref()), ("1099", "978", Some("2")));
        assert_eq!(purchase.date.as_ref().map(String::len), Some(14));
        for scheme in [CardScheme::Visa, CardScheme::Mastercard, CardScheme::Amex, CardScheme::Discover] {
            request.check(Some(scheme), SessionType::Customer).unwrap();
        }
        assert_eq!(numeric_currency("jpy"), Some(("392", 0)));
        assert!(payment_request(1, "xyz", "m").is_err());
    }

    #[test]
    fn the_browser_form_and_the_request_make_valid_browser_data_for_every_version() {
        let form = BrowserForm {
            java_enabled: Some("false".into()),
            javascript_enabled: Some("true".into()),
            language: Some("en-GB".into()),
            color_depth: Some("24".into()),
            screen_height: Some("1080".into()),
            screen_width: Some("1920".into()),
            timezone_offset: Some("-60".into()),
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, "text/html".parse().unwrap());
        headers.insert(header::USER_AGENT, "Mozilla/5.0".parse().unwrap());
        headers.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8".parse().unwrap());
        for pan in ["4000020000000000", "5204247750001471", "4200000000000004"] {
            let card = CardNumber::new(pan);
            let version = cards::version_for(pan);
            let browser = form.browser_info(&card, &headers, "127.0.0.1".parse().unwrap()).for_version(version);
            browser.validate(version).unwrap_or_else(|e| panic!("{pan}: {e}"));
            assert_eq!((browser.accept_header.as_deref(), browser.ip.as_deref()), (Some("text/html"), Some("127.0.0.1")));
        }
        assert_eq!(cards::version_for("4200000000000004"), MessageVersion::V2_3_1);
    }
}
