//! Stripe's legacy Sources with 3-D Secure, as Stripe documents them, under
//! `/stripe-sources`: a `card` source from card data, a `three_d_secure` source
//! for an amount whose `redirect[url]` leads the customer through the bank's page
//! (this mock's 3DS Server, Directory Server and ACS) and back to
//! `redirect[return_url]`, then a charge of the chargeable source, once.
//!
//! Form-encoded requests with Stripe's bracket keys; `Authorization: Bearer <key>`
//! or basic auth with the key as the user; Stripe's error JSON. Sources expire on
//! the emulation's clock, which `POST /stripe-sources/v1/test_helpers/advance`
//! moves forward; events go to `--stripe-sources-webhook-url`.
//!
//! | route | key |
//! | --- | --- |
//! | `POST /stripe-sources/v1/sources` | either |
//! | `GET /stripe-sources/v1/sources/{id}` | secret, or publishable with `client_secret` |
//! | `POST /stripe-sources/v1/charges`, `GET /stripe-sources/v1/charges/{id}` | secret |
//! | `POST /stripe-sources/v1/test_helpers/advance` (`seconds`) | secret |
//! | `GET /stripe-sources/v1/test_helpers/webhook_deliveries` | secret |
//! | `GET /stripe-sources/redirect/authenticate/{id}?client_secret=` | none: the customer's page |

pub mod error;
pub mod model;
pub mod webhooks;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Form;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, Query, State as Extract};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use self::error::StripeError;
use self::model::{Card, Charge, Creation, Kind, Params, RedirectStatus, Source, Status, Support};
use self::webhooks::Outbox;
use super::{new_id, unix_now};
use crate::State;
use crate::support::error::PageError;
use crate::support::layers::page_headers;
use crate::support::store::ExpiringStore;
use crate::three_ds_server::hosted::{self, BrowserForm};
use crate::three_ds_server::keys::constant_time_eq;
use crate::three_ds_server::notification::see_other;

/// How long sources and charges are kept (real time): longer than any source lives.
const KEPT_FOR: Duration = Duration::from_secs(24 * 3600);
/// The merchant's name in the AReq.
const MERCHANT: &str = "Stripe Sources test merchant";

/// The emulation's state.
pub struct Sources {
    app: State,
    sources: ExpiringStore<String, Source>,
    charges: ExpiringStore<String, Charge>,
    /// 3-D Secure sources that may still expire, oldest first (bounded by the store's capacity).
    expiring: Mutex<VecDeque<String>>,
    /// Seconds the test clock is ahead of real time.
    clock_offset: AtomicU64,
    webhooks: Arc<Outbox>,
}

type Shared = Arc<Sources>;

/// Which key a request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Publishable,
    Secret,
}

impl Sources {
    /// Now on the emulation's clock (Unix seconds).
    pub fn now(&self) -> u64 {
        unix_now() + self.clock_offset.load(Ordering::Relaxed)
    }

    fn redirect_url(&self, source: &Source) -> String {
        format!("{}/stripe-sources/redirect/authenticate/{}?client_secret={}", self.app.server_origin, source.id, source.client_secret)
    }

    fn json(&self, source: &Source) -> Value {
        source.to_json(&self.redirect_url(source))
    }

    fn emit(&self, kind: &str, object: Value) {
        self.webhooks.send(webhooks::event(kind, object, self.now()));
    }

    /// A source, canceled first when it has expired on the emulation's clock.
    fn source(&self, id: &str) -> Option<Source> {
        let now = self.now();
        let (source, canceled) = self.sources.update(&id.to_owned(), |source| {
            let canceled = source.expire(now);
            (source.clone(), canceled)
        })?;
        if canceled {
            self.emit("source.canceled", self.json(&source));
        }
        Some(source)
    }

    /// Cancels every expired source (each once, with its `source.canceled` event).
    pub fn expire_all(&self) {
        let ids: Vec<String> = self.lock_expiring().iter().cloned().collect();
        let live: Vec<String> =
            ids.into_iter().filter(|id| self.source(id).is_some_and(|s| matches!(s.status, Status::Pending | Status::Chargeable))).collect();
        *self.lock_expiring() = live.into();
    }

    fn lock_expiring(&self) -> std::sync::MutexGuard<'_, VecDeque<String>> {
        self.expiring.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn watch_expiry(&self, id: &str) {
        let mut expiring = self.lock_expiring();
        if expiring.len() >= self.app.config.max_sessions {
            expiring.pop_front();
        }
        expiring.push_back(id.to_owned());
    }

    fn store_source(&self, source: Source) -> Result<(), StripeError> {
        self.sources.insert(source.id.clone(), source).map(drop).map_err(|full| StripeError::api(StatusCode::SERVICE_UNAVAILABLE, full.to_string()))
    }

    fn key(&self, headers: &HeaderMap) -> Result<Key, StripeError> {
        let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let presented = if let Some(bearer) = value.strip_prefix("Bearer ") {
            bearer.trim().to_owned()
        } else if let Some(basic) = value.strip_prefix("Basic ") {
            let decoded = base64::engine::general_purpose::STANDARD.decode(basic.trim()).unwrap_or_default();
            String::from_utf8_lossy(&decoded).split(':').next().unwrap_or_default().to_owned()
        } else {
            String::new()
        };
        if presented.is_empty() {
            return Err(StripeError::unauthorized(
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            ));
        }
        let config = &self.app.config;
        // Both comparisons always run, so the timing does not tell which key matched.
        let secret = constant_time_eq(presented.as_bytes(), config.stripe_sources_secret_key.as_bytes());
        let publishable = constant_time_eq(presented.as_bytes(), config.stripe_sources_publishable_key.as_bytes());
        match (secret, publishable) {
            (true, _) => Ok(Key::Secret),
            (false, true) => Ok(Key::Publishable),
            (false, false) => Err(StripeError::unauthorized(format!("Invalid API Key provided: {}", mask_key(&presented)))),
        }
    }

    fn secret(&self, headers: &HeaderMap) -> Result<(), StripeError> {
        match self.key(headers)? {
            Key::Secret => Ok(()),
            Key::Publishable => Err(StripeError::secret_key_required()),
        }
    }
}

/// A key as Stripe echoes a wrong one: its prefix and last four characters.
fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 12 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 12))
}

/// The routes; the delivery and expiry task is pushed to `tasks`.
pub fn router(state: &State, stop: &watch::Receiver<bool>, tasks: &mut Vec<JoinHandle<()>>) -> Router<State> {
    let (outbox, receiver) = Outbox::new();
    let outbox = Arc::new(outbox);
    let capacity = state.config.max_sessions;
    let shared: Shared = Arc::new(Sources {
        app: state.clone(),
        // A source that can no longer change may make room before it expires.
        sources: ExpiringStore::with_finished(KEPT_FOR, capacity, |s: &Source| {
            matches!(s.status, Status::Consumed | Status::Canceled | Status::Failed)
        }),
        charges: ExpiringStore::with_finished(KEPT_FOR, capacity, |_| true),
        expiring: Mutex::new(VecDeque::new()),
        clock_offset: AtomicU64::new(0),
        webhooks: outbox.clone(),
    });
    let config = &state.config;
    let policy = webhooks::Policy {
        url: config.stripe_sources_webhook_url.clone(),
        attempts: config.stripe_sources_webhook_attempts,
        first_retry: Duration::from_millis(config.stripe_sources_webhook_retry_ms),
    };
    let sweeper = shared.clone();
    tasks.push(tokio::spawn(webhooks::run(outbox, receiver, policy, stop.clone(), Duration::from_secs(30), move || sweeper.expire_all())));
    let api = Router::new()
        .route("/stripe-sources/v1/sources", post(create_source))
        .route("/stripe-sources/v1/sources/{id}", get(retrieve_source))
        .route("/stripe-sources/v1/charges", post(create_charge))
        .route("/stripe-sources/v1/charges/{id}", get(retrieve_charge))
        .route("/stripe-sources/v1/test_helpers/advance", post(advance))
        .route("/stripe-sources/v1/test_helpers/webhook_deliveries", get(deliveries));
    let pages = Router::new()
        .route("/stripe-sources/redirect/authenticate/{id}", get(redirect_page).post(redirect_authenticate))
        .route("/stripe-sources/redirect/complete/{id}", get(redirect_complete))
        .layer(page_headers(state));
    api.merge(pages).with_state(shared)
}

/// `POST /stripe-sources/v1/sources`: `type=card` or `type=three_d_secure`.
async fn create_source(Extract(shared): Extract<Shared>, headers: HeaderMap, body: Bytes) -> Result<Response, StripeError> {
    shared.key(&headers)?;
    let params = Params::parse(&body);
    let source = match params.required("type")? {
        "card" => card_source(&shared, &params)?,
        "three_d_secure" => three_d_secure_source(&shared, &params)?,
        other => return Err(StripeError::invalid("type", format!("Invalid type: {other} (this emulation has card and three_d_secure)"))),
    };
    Ok(Json(shared.json(&source)).into_response())
}

fn card_source(shared: &Sources, params: &Params) -> Result<Source, StripeError> {
    params.only(&["type", "card[number]", "card[exp_month]", "card[exp_year]", "card[cvc]", "usage"])?;
    let current_year =
        humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + Duration::from_secs(shared.now())).to_string()[..4].parse().unwrap_or(2026);
    let card = Card::from_params(params, current_year)?;
    let support = Support::for_card(card.number.expose());
    let source = Source {
        id: new_id("src_"),
        client_secret: new_id("src_client_secret_"),
        created: shared.now(),
        chargeable_at: Some(shared.now()),
        status: Status::Chargeable,
        card,
        support,
        kind: Kind::Card,
        metadata: params.metadata(),
    };
    shared.store_source(source.clone())?;
    Ok(source)
}

fn three_d_secure_source(shared: &Sources, params: &Params) -> Result<Source, StripeError> {
    params.only(&["type", "amount", "currency", "redirect[return_url]", "three_d_secure[card]", "three_d_secure[customer]", "usage"])?;
    let amount = params.positive("amount")?;
    let currency = params.required("currency")?.to_ascii_lowercase();
    if hosted::numeric_currency(&currency).is_none() {
        return Err(StripeError::invalid("currency", format!("Invalid currency: {currency}.")));
    }
    let return_url = params.required("redirect[return_url]")?;
    // Any absolute URL (an app's scheme too, as Stripe allows), but none that runs script.
    if url::Url::parse(return_url).map_or(true, |url| matches!(url.scheme(), "javascript" | "data" | "vbscript")) {
        return Err(StripeError::invalid("redirect[return_url]", "Invalid URL: the return URL must be an absolute URL."));
    }
    let card_id = params.required("three_d_secure[card]")?;
    let card_source = shared
        .source(card_id)
        .filter(|s| matches!(s.kind, Kind::Card))
        .ok_or_else(|| StripeError::no_such("source", card_id, "three_d_secure[card]", false))?;
    let now = shared.now();
    let (status, redirect_status) = match Creation::for_card(card_source.card.number.expose()) {
        Creation::Redirect => (Status::Pending, RedirectStatus::Pending),
        Creation::NotEnrolled => (Status::Chargeable, RedirectStatus::NotRequired),
        Creation::Failed => (Status::Failed, RedirectStatus::Failed),
    };
    let source = Source {
        id: new_id("src_"),
        client_secret: new_id("src_client_secret_"),
        created: now,
        chargeable_at: (status == Status::Chargeable).then_some(now),
        status,
        card: card_source.card.clone(),
        support: card_source.support,
        kind: Kind::ThreeDSecure {
            card_source: card_source.id.clone(),
            amount,
            currency,
            return_url: return_url.to_owned(),
            redirect_status,
            authenticated: false,
            session: None,
        },
        metadata: params.metadata(),
    };
    shared.store_source(source.clone())?;
    match status {
        Status::Chargeable => {
            shared.watch_expiry(&source.id);
            shared.emit("source.chargeable", shared.json(&source));
        }
        Status::Failed => shared.emit("source.failed", shared.json(&source)),
        _ => shared.watch_expiry(&source.id),
    }
    Ok(source)
}

/// The query of a publishable key's read.
#[derive(Debug, Deserialize)]
struct ClientSecret {
    #[serde(default)]
    client_secret: Option<String>,
}

/// `GET /stripe-sources/v1/sources/{id}`: the secret key, or the publishable key
/// with the source's `client_secret` (else, as for an unknown ID, `404`).
async fn retrieve_source(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<ClientSecret>,
) -> Result<Json<Value>, StripeError> {
    let key = shared.key(&headers)?;
    let source = shared.source(&id).ok_or_else(|| StripeError::no_such("source", &id, "id", true))?;
    if key == Key::Publishable {
        let given = query.client_secret.unwrap_or_default();
        if !constant_time_eq(given.as_bytes(), source.client_secret.as_bytes()) {
            return Err(StripeError::no_such("source", &id, "id", true));
        }
    }
    Ok(Json(shared.json(&source)))
}

/// `POST /stripe-sources/v1/charges`: `amount`, `currency`, `source`. A chargeable
/// source is charged once and becomes `consumed`; a card source whose issuer
/// requires 3-D Secure is declined (`card_declined`, `authentication_required`).
async fn create_charge(Extract(shared): Extract<Shared>, headers: HeaderMap, body: Bytes) -> Result<Json<Value>, StripeError> {
    shared.secret(&headers)?;
    let params = Params::parse(&body);
    params.only(&["amount", "currency", "source", "description", "capture"])?;
    let amount = params.positive("amount")?;
    let currency = params.required("currency")?.to_ascii_lowercase();
    let source_id = params.required("source")?;
    let source = shared.source(source_id).ok_or_else(|| StripeError::no_such("source", source_id, "source", false))?;
    if let Kind::ThreeDSecure { amount: expected, currency: expected_currency, .. } = &source.kind {
        if amount != *expected {
            return Err(StripeError::invalid("amount", format!("The amount must match the source's amount ({expected}).")));
        }
        if currency != *expected_currency {
            return Err(StripeError::invalid("currency", format!("The currency must match the source's currency ({expected_currency}).")));
        }
    }
    let now = shared.now();
    // Claim the source: only one charge may take a chargeable source.
    let claimed = shared.sources.update(&source.id, |s| match s.status {
        Status::Chargeable => {
            let declined = matches!(s.kind, Kind::Card) && s.support == Support::Required;
            if !declined {
                s.status = Status::Consumed;
            }
            Ok((s.clone(), declined))
        }
        Status::Consumed => Err(StripeError::invalid(
            "source",
            "The provided source has already been used to make another payment. You cannot reuse a single-use source.",
        )),
        _ => Err(StripeError::invalid("source", format!("The source you provided is not in a chargeable state (status: {}).", s.status.name()))),
    });
    let (charged, declined) = claimed.ok_or_else(|| StripeError::no_such("source", source_id, "source", false))??;
    let three_d_secure = match &charged.kind {
        Kind::ThreeDSecure { authenticated, redirect_status, .. } => Some((*authenticated, *redirect_status != RedirectStatus::Failed)),
        Kind::Card => None,
    };
    let charge = Charge {
        id: new_id("ch_"),
        amount,
        currency,
        created: now,
        succeeded: !declined,
        source: shared.json(&charged),
        three_d_secure,
        metadata: params.metadata(),
    };
    shared.charges.insert(charge.id.clone(), charge.clone()).map_err(|full| StripeError::api(StatusCode::SERVICE_UNAVAILABLE, full.to_string()))?;
    let json = charge.to_json();
    if declined {
        shared.emit("charge.failed", json);
        let mut error = StripeError::card("card_declined", None, "Your card was declined. This transaction requires authentication.");
        error.decline_code = Some(model::AUTHENTICATION_REQUIRED);
        error.charge = Some(charge.id.into());
        return Err(error);
    }
    shared.emit("charge.succeeded", json.clone());
    Ok(Json(json))
}

/// `GET /stripe-sources/v1/charges/{id}`.
async fn retrieve_charge(Extract(shared): Extract<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, StripeError> {
    shared.secret(&headers)?;
    shared.charges.get(&id).map(|c| Json(c.to_json())).ok_or_else(|| StripeError::no_such("charge", &id, "id", true))
}

/// `POST /stripe-sources/v1/test_helpers/advance` with `seconds`: moves the
/// emulation's clock forward, then cancels the sources that expired.
async fn advance(Extract(shared): Extract<Shared>, headers: HeaderMap, body: Bytes) -> Result<Json<Value>, StripeError> {
    shared.secret(&headers)?;
    let params = Params::parse(&body);
    params.only(&["seconds"])?;
    let seconds = params.positive("seconds")?;
    shared.clock_offset.fetch_add(seconds, Ordering::Relaxed);
    shared.expire_all();
    Ok(Json(json!({ "object": "test_clock", "frozen_time": shared.now(), "advanced_by": seconds })))
}

/// `GET /stripe-sources/v1/test_helpers/webhook_deliveries`: every delivery attempt, oldest first.
async fn deliveries(Extract(shared): Extract<Shared>, headers: HeaderMap) -> Result<Json<Value>, StripeError> {
    shared.secret(&headers)?;
    Ok(Json(json!({ "object": "list", "data": shared.webhooks.attempts() })))
}

/// `GET /stripe-sources/redirect/authenticate/{id}?client_secret=`: the page
/// `redirect[url]` names. It reads the browser, then posts to itself.
async fn redirect_page(
    Extract(shared): Extract<Shared>,
    Path(id): Path<String>,
    Query(query): Query<ClientSecret>,
) -> Result<Html<String>, PageError> {
    let source = redirect_source(&shared, &id, query.client_secret.as_deref())?;
    let action = format!("{}/stripe-sources/redirect/authenticate/{}", shared.app.server_origin, source.id);
    Ok(Html(hosted::browser_page("3D Secure", &action, &[("client_secret", &source.client_secret)])))
}

/// The source of a redirect, when `client_secret` is its own.
fn redirect_source(shared: &Sources, id: &str, client_secret: Option<&str>) -> Result<Source, PageError> {
    let source = shared.source(id).filter(|s| s.is_three_d_secure()).ok_or_else(|| PageError::not_found("unknown source"))?;
    if !constant_time_eq(client_secret.unwrap_or_default().as_bytes(), source.client_secret.as_bytes()) {
        return Err(PageError::not_found("unknown source"));
    }
    Ok(source)
}

/// The page's post: the browser's readings, and the client secret.
#[derive(Debug, Deserialize)]
struct RedirectForm {
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(flatten)]
    browser: BrowserForm,
}

/// `POST /stripe-sources/redirect/authenticate/{id}`: starts 3-D Secure for a
/// pending source; a challenge goes to the bank's page, a frictionless outcome
/// straight back to `return_url`. A source that is no longer pending goes back at once.
async fn redirect_authenticate(
    Extract(shared): Extract<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<RedirectForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form.map_err(|_| PageError::bad_request("the form could not be read"))?;
    let source = redirect_source(&shared, &id, form.client_secret.as_deref())?;
    let Kind::ThreeDSecure { amount, currency, session, .. } = &source.kind else { return Err(PageError::not_found("unknown source")) };
    if source.status != Status::Pending || session.is_some() {
        return finish_redirect(&shared, &source.id);
    }
    let browser = form.browser.browser_info(&source.card.number, &headers, peer.ip());
    let request = hosted::payment_request(*amount, currency, MERCHANT).map_err(|e| PageError::bad_request(e.to_string()))?;
    let return_to = format!("{}/stripe-sources/redirect/complete/{}?client_secret={}", shared.app.server_origin, source.id, source.client_secret);
    let started = hosted::start(&shared.app, source.card.number.clone(), browser, &request, return_to);
    let now = shared.now();
    let started = match started {
        Ok(started) => started,
        Err(error) => {
            // The issuer's 3-D Secure service failed: the source fails.
            tracing::info!(source = %source.id, %error, "3-D Secure could not start");
            settle(&shared, &source.id, threeds_protocol::TransStatus::Unavailable, now);
            return finish_redirect(&shared, &source.id);
        }
    };
    shared.sources.update(&source.id, |s| {
        if let Kind::ThreeDSecure { session, .. } = &mut s.kind {
            *session = Some(started.session_id);
        }
    });
    if started.needs_challenge() {
        return Ok(see_other(&hosted::challenge_page_url(&shared.app, started.session_id)));
    }
    settle(&shared, &source.id, started.authentication.authentication_status_code, now);
    finish_redirect(&shared, &source.id)
}

/// `GET /stripe-sources/redirect/complete/{id}?client_secret=`: where the 3DS
/// Server sends the customer after the bank's page; the outcome settles the
/// source, and the customer goes on to `return_url`.
async fn redirect_complete(
    Extract(shared): Extract<Shared>,
    Path(id): Path<String>,
    Query(query): Query<ClientSecret>,
) -> Result<Response, PageError> {
    let source = redirect_source(&shared, &id, query.client_secret.as_deref())?;
    if let Kind::ThreeDSecure { session: Some(session), .. } = &source.kind
        && source.status == Status::Pending
    {
        // Anything but a final outcome (the ACS ended with an Erro) fails the source.
        let status = hosted::outcome(&shared.app, *session)
            .ok()
            .map(|o| o.authentication_status_code)
            .filter(|s| s.is_final())
            .unwrap_or(threeds_protocol::TransStatus::Unavailable);
        settle(&shared, &source.id, status, shared.now());
    }
    finish_redirect(&shared, &source.id)
}

/// Records an outcome on a pending source and sends its event.
fn settle(shared: &Sources, id: &str, status: threeds_protocol::TransStatus, now: u64) {
    let Some(Some((next, source))) = shared.sources.update(&id.to_owned(), |s| s.authenticated(status, now).map(|next| (next, s.clone()))) else {
        return;
    };
    match next {
        Status::Chargeable => shared.emit("source.chargeable", shared.json(&source)),
        _ => shared.emit("source.failed", shared.json(&source)),
    }
}

/// `303` to the source's `return_url` with `source`, `livemode` and `client_secret`.
fn finish_redirect(shared: &Sources, id: &str) -> Result<Response, PageError> {
    let source = shared.source(id).ok_or_else(|| PageError::not_found("unknown source"))?;
    let Kind::ThreeDSecure { return_url, .. } = &source.kind else { return Err(PageError::not_found("unknown source")) };
    let location = model::return_location(return_url, &source.id, &source.client_secret)
        .ok_or_else(|| PageError::bad_request("the source's return URL cannot be used"))?;
    Ok(see_other(&location))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_keys_are_masked() {
        assert_eq!(mask_key("sk_test_abcdefgh1234"), "sk_test_********1234");
        assert_eq!(mask_key("short"), "*****");
    }
}
