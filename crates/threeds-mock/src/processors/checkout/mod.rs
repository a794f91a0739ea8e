//! Checkout.com's payments with 3-D Secure, as Checkout.com documents them, under
//! `/checkout`: a card token from the public key, a payment with
//! `"3ds": {"enabled": true}` that answers `202 Pending` with
//! `_links.redirect.href` (a page that leads the customer through the bank's
//! page: this mock's 3DS Server, Directory Server and ACS), then `303` to
//! `success_url` or `failure_url` with `cko-session-id`, and the payment read by
//! its ID or that session ID.
//!
//! JSON bodies; `Authorization: <key>` or `Bearer <key>`; an unknown key is `401`
//! with no body, as Checkout.com answers; a request that breaks rules is `422`
//! `{"request_id","error_type":"request_invalid","error_codes":[...]}`.
//!
//! | route | key |
//! | --- | --- |
//! | `POST /checkout/tokens` | public (`pk_sbox_...`) |
//! | `POST /checkout/payments` | secret (`sk_sbox_...`) |
//! | `GET /checkout/payments/{id}` (`pay_...` or `sid_...`) | secret |
//! | `GET /checkout/payments/{id}/actions` | secret |
//! | `GET /checkout/3ds/{sid}` | none: the customer's page |

pub mod model;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Form;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use threeds_protocol::TransStatus;

use self::model::{Authentication, Payment, PaymentRequest, Start, Status, ThreeDs, TokenCard};
use super::new_id;
use crate::State;
use crate::support::error::PageError;
use crate::support::layers::page_headers;
use crate::support::store::ExpiringStore;
use crate::three_ds_server::hosted::{self, BrowserForm};
use crate::three_ds_server::keys::constant_time_eq;

/// How long payments are kept (real time).
const KEPT_FOR: Duration = Duration::from_secs(24 * 3600);
/// The merchant's name in the AReq.
const MERCHANT: &str = "Checkout.com test merchant";

/// The emulation's state.
pub struct Checkout {
    app: State,
    tokens: ExpiringStore<String, TokenCard>,
    payments: ExpiringStore<String, Payment>,
    /// `sid_...` -> `pay_...`.
    by_session: ExpiringStore<String, String>,
}

type Shared = Arc<Checkout>;

/// An answer Checkout.com gives instead of the object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutError {
    /// `401`, no body: no key, or not the one this operation takes.
    Unauthorized,
    /// `404`, no body.
    NotFound,
    /// `422 request_invalid` with these error codes.
    Invalid(Vec<&'static str>),
    /// `422` with another error type (`token_used`...): (type, codes).
    Processing(&'static str, Vec<&'static str>),
    /// A store is full.
    Busy,
}

impl IntoResponse for CheckoutError {
    fn into_response(self) -> Response {
        let body = |error_type: &str, codes: Vec<&'static str>| {
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "request_id": new_id("req_"), "error_type": error_type, "error_codes": codes })))
                .into_response()
        };
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED.into_response(),
            Self::NotFound => StatusCode::NOT_FOUND.into_response(),
            Self::Invalid(codes) => body("request_invalid", codes),
            Self::Processing(error_type, codes) => body(error_type, codes),
            Self::Busy => StatusCode::TOO_MANY_REQUESTS.into_response(),
        }
    }
}

impl Checkout {
    fn base(&self) -> String {
        format!("{}/checkout", self.app.server_origin)
    }

    fn redirect(&self, payment: &Payment) -> String {
        format!("{}/3ds/{}", self.base(), payment.session_id)
    }

    fn json(&self, payment: &Payment) -> Value {
        payment.to_json(&self.base(), &self.redirect(payment))
    }

    /// Whether the request carries `key` (`Authorization: <key>` or `Bearer <key>`), compared in constant time.
    fn has_key(headers: &HeaderMap, key: &str) -> Result<(), CheckoutError> {
        let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default().trim();
        let presented = value.strip_prefix("Bearer ").unwrap_or(value).trim();
        if !presented.is_empty() && constant_time_eq(presented.as_bytes(), key.as_bytes()) { Ok(()) } else { Err(CheckoutError::Unauthorized) }
    }

    fn secret(&self, headers: &HeaderMap) -> Result<(), CheckoutError> {
        Self::has_key(headers, &self.app.config.checkout_secret_key)
    }

    /// A payment by `pay_...` or `sid_...`.
    fn payment(&self, id: &str) -> Option<Payment> {
        let id = if id.starts_with("sid_") { self.by_session.get(&id.to_owned())? } else { id.to_owned() };
        self.payments.get(&id)
    }
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn current_year() -> u32 {
    now_rfc3339()[..4].parse().unwrap_or(2026)
}

/// The routes.
pub fn router(state: &State) -> Router<State> {
    let capacity = state.config.max_sessions;
    let shared: Shared = Arc::new(Checkout {
        app: state.clone(),
        tokens: ExpiringStore::new(Duration::from_secs(model::TOKEN_LIFETIME_SECS), capacity),
        // A payment that is no longer pending may make room before it expires.
        payments: ExpiringStore::with_finished(KEPT_FOR, capacity, |p: &Payment| p.status != Status::Pending),
        by_session: ExpiringStore::with_finished(KEPT_FOR, capacity, |_| true),
    });
    let api = Router::new()
        .route("/checkout/tokens", post(create_token))
        .route("/checkout/payments", post(create_payment))
        .route("/checkout/payments/{id}", get(get_payment))
        .route("/checkout/payments/{id}/actions", get(get_actions));
    let pages = Router::new()
        .route("/checkout/3ds/{sid}", get(redirect_page).post(redirect_authenticate))
        .route("/checkout/3ds/{sid}/complete", get(redirect_complete))
        .layer(page_headers(state));
    api.merge(pages).with_state(shared)
}

/// A JSON body, or `422` when it is not a JSON object.
fn json_body(body: &[u8]) -> Result<Value, CheckoutError> {
    serde_json::from_slice::<Value>(body).ok().filter(Value::is_object).ok_or(CheckoutError::Invalid(vec!["request_body_invalid"]))
}

/// `POST /checkout/tokens` (public key): card data -> `tok_...`.
async fn create_token(Extract(shared): Extract<Shared>, headers: HeaderMap, body: Bytes) -> Result<Response, CheckoutError> {
    Checkout::has_key(&headers, &shared.app.config.checkout_public_key)?;
    let body = json_body(&body)?;
    let card = TokenCard::from_request(&body, current_year()).map_err(CheckoutError::Invalid)?;
    let token = new_id("tok_");
    let expires_on = humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(model::TOKEN_LIFETIME_SECS)).to_string();
    let answer = json!({
        "type": "card",
        "token": token,
        "expires_on": expires_on,
        "expiry_month": card.expiry_month,
        "expiry_year": card.expiry_year,
        "scheme": card.scheme(),
        "last4": card.number.last4(),
        "bin": card.bin(),
        "card_type": "CREDIT",
        "card_category": "CONSUMER",
        "issuer_country": "US",
    });
    shared.tokens.insert(token, card).map_err(|_| CheckoutError::Busy)?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `POST /checkout/payments` (secret key) with a token source.
async fn create_payment(Extract(shared): Extract<Shared>, headers: HeaderMap, body: Bytes) -> Result<Response, CheckoutError> {
    shared.secret(&headers)?;
    let body = json_body(&body)?;
    let request = PaymentRequest::from_body(&body, |c| hosted::numeric_currency(c).is_some()).map_err(CheckoutError::Invalid)?;
    // A token is used once.
    let card = shared.tokens.remove(&request.token).ok_or(CheckoutError::Invalid(vec!["token_invalid"]))?;
    let mut payment = Payment {
        id: new_id("pay_"),
        session_id: new_id("sid_"),
        source_id: new_id("src_"),
        card,
        requested_on: now_rfc3339(),
        status: Status::Pending,
        three_ds: None,
        eci: None,
        actions: Vec::new(),
        hosted_session: None,
        request,
    };
    let status = match model::start(payment.card.number.expose(), &payment.request) {
        Start::Redirect => {
            payment.three_ds = Some(ThreeDs { downgraded: false, enrolled: "Y", authentication: None });
            StatusCode::ACCEPTED
        }
        Start::Now(decision, three_ds) => {
            if three_ds.as_ref().is_some_and(|t| t.downgraded) || three_ds.is_none() {
                // Processed without 3-D Secure: no liability shift.
                payment.eci = Some(eci_of(&payment, TransStatus::NotAuthenticated));
            }
            payment.three_ds = three_ds;
            payment.decide(&decision, new_id("act_"), now_rfc3339());
            StatusCode::CREATED
        }
    };
    shared.by_session.insert(payment.session_id.clone(), payment.id.clone()).map_err(|_| CheckoutError::Busy)?;
    shared.payments.insert(payment.id.clone(), payment.clone()).map_err(|_| CheckoutError::Busy)?;
    let answer = payment.created_json(&shared.base(), &shared.redirect(&payment));
    Ok((status, Json(answer)).into_response())
}

/// The ECI of a card's scheme for an outcome (`07`/`00` for none).
fn eci_of(payment: &Payment, status: TransStatus) -> String {
    let scheme = threeds_protocol::CardScheme::from_pan(payment.card.number.expose());
    crate::acs::issuer::eci(scheme, status).unwrap_or_else(|| "07".into())
}

/// `GET /checkout/payments/{id}` (secret key): by `pay_...` or `sid_...` (the `cko-session-id`).
async fn get_payment(Extract(shared): Extract<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, CheckoutError> {
    shared.secret(&headers)?;
    shared.payment(&id).map(|p| Json(shared.json(&p))).ok_or(CheckoutError::NotFound)
}

/// `GET /checkout/payments/{id}/actions` (secret key).
async fn get_actions(Extract(shared): Extract<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, CheckoutError> {
    shared.secret(&headers)?;
    shared.payment(&id).map(|p| Json(p.actions_json())).ok_or(CheckoutError::NotFound)
}

/// A pending payment's redirect session.
fn pending(shared: &Checkout, sid: &str) -> Result<Payment, PageError> {
    shared.payment(sid).filter(|p| p.session_id == sid).ok_or_else(|| PageError::not_found("unknown or expired 3-D Secure session"))
}

/// `GET /checkout/3ds/{sid}`: `_links.redirect.href`. It reads the browser, then posts to itself.
async fn redirect_page(Extract(shared): Extract<Shared>, Path(sid): Path<String>) -> Result<Response, PageError> {
    let payment = pending(&shared, &sid)?;
    if payment.status != Status::Pending {
        return finish_redirect(&payment);
    }
    let action = shared.redirect(&payment);
    Ok(Html(hosted::browser_page("3D Secure", &action, &[])).into_response())
}

/// `POST /checkout/3ds/{sid}`: starts 3-D Secure; a challenge goes to the bank's
/// page, a frictionless outcome straight to `success_url` or `failure_url`.
async fn redirect_authenticate(
    Extract(shared): Extract<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(sid): Path<String>,
    form: Result<Form<BrowserForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(browser) = form.map_err(|_| PageError::bad_request("the form could not be read"))?;
    let payment = pending(&shared, &sid)?;
    if payment.status != Status::Pending || payment.hosted_session.is_some() {
        return finish_redirect(&payment);
    }
    let browser = browser.browser_info(&payment.card.number, &headers, peer.ip());
    let request =
        hosted::payment_request(payment.request.amount, &payment.request.currency, MERCHANT).map_err(|e| PageError::bad_request(e.to_string()))?;
    let return_to = format!("{}/complete", shared.redirect(&payment));
    let started = match hosted::start(&shared.app, payment.card.number.clone(), browser, &request, return_to) {
        Ok(started) => started,
        Err(error) => {
            tracing::info!(payment = %payment.id, %error, "3-D Secure could not start");
            let settled = settle(&shared, &payment.id, None);
            return finish_redirect(&settled.unwrap_or(payment));
        }
    };
    shared.payments.update(&payment.id, |p| p.hosted_session = Some(started.session_id));
    if started.needs_challenge() {
        return Ok(see_other(&hosted::challenge_page_url(&shared.app, started.session_id)));
    }
    let settled = settle(&shared, &payment.id, Some(started.session_id));
    finish_redirect(&settled.unwrap_or(payment))
}

/// `GET /checkout/3ds/{sid}/complete`: where the 3DS Server sends the customer
/// after the bank's page; the outcome decides the payment.
async fn redirect_complete(Extract(shared): Extract<Shared>, Path(sid): Path<String>) -> Result<Response, PageError> {
    let payment = pending(&shared, &sid)?;
    let payment = match (payment.status, payment.hosted_session) {
        (Status::Pending, Some(session)) => settle(&shared, &payment.id, Some(session)).unwrap_or(payment),
        _ => payment,
    };
    finish_redirect(&payment)
}

/// Decides a pending payment from its 3DS session's outcome (none: 3-D Secure
/// could not run); returns the payment as it is now.
fn settle(shared: &Checkout, id: &str, session: Option<uuid::Uuid>) -> Option<Payment> {
    let outcome = session.and_then(|s| hosted::outcome(&shared.app, s).ok()).filter(|o| o.authentication_status_code.is_final());
    let status = outcome.as_ref().map_or(TransStatus::Unavailable, |o| o.authentication_status_code);
    let decision = model::after_authentication(status);
    let action_id = new_id("act_");
    shared.payments.update(&id.to_owned(), |payment| {
        if payment.status != Status::Pending {
            return payment.clone();
        }
        if let (Some(three_ds), Some(outcome)) = (&mut payment.three_ds, &outcome) {
            three_ds.authentication = Some(Authentication {
                response: outcome.authentication_status_code.code().to_owned(),
                cryptogram: outcome.authentication_value.clone(),
                xid: model::xid(&outcome.ds_transaction_id),
            });
        }
        payment.eci = outcome.as_ref().and_then(|o| o.eci.clone()).or_else(|| Some(eci_of(payment, TransStatus::NotAuthenticated)));
        payment.decide(&decision, action_id, now_rfc3339());
        payment.clone()
    })
}

/// `303` to `success_url` (approved) or `failure_url` with `cko-session-id`; a
/// page saying how it ended when the request named no such URL.
fn finish_redirect(payment: &Payment) -> Result<Response, PageError> {
    let target = if payment.approved() { &payment.request.success_url } else { &payment.request.failure_url };
    let Some(target) = target else {
        let body = format!("<h1>Payment {}</h1><p>{}</p>", html_text(payment.status.name()), html_text(&payment.id));
        return Ok(Html(crate::support::html::page("3D Secure", None, &body)).into_response());
    };
    let mut url = url::Url::parse(target).map_err(|_| PageError::bad_request("the payment's redirect URL cannot be used"))?;
    url.query_pairs_mut().append_pair("cko-session-id", &payment.session_id);
    Ok(see_other(url.as_str()))
}

fn html_text(value: &str) -> String {
    crate::support::html::text(value)
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => PageError::bad_request("the redirect URL cannot be used").into_response(),
    }
}
