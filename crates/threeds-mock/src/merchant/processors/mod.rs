//! The demo merchant's server for the processor emulations: what a merchant's
//! server does with Stripe's PaymentIntents, Stripe's legacy Sources and
//! Checkout.com, with each processor's secret key, which never reaches the page.
//!
//! It calls the processors' HTTP APIs on the mock's own 3DS Server origin, as a
//! real server calls Stripe's or Checkout.com's, so the timeline shows the very
//! requests and answers (card number masked, security code hidden, keys never).
//! The demo sends the test card number here to keep the page simple; a real page
//! tokenizes it in the browser with the processor's publishable key.
//!
//! - `POST /demo-merchant/processors/{processor}/payments` (`stripe`,
//!   `stripe-sources`, `checkout`): JSON `{pan, amount, currency, return_url,
//!   capture?}`; creates the processor's object and answers with its status and
//!   the URL of the processor's 3-D Secure page, when it asks for one.
//! - `GET /demo-merchant/processors/{processor}/payments/{id}`: retrieves the object
//!   by the ID the return URL carries (`payment_intent`, `source`, `cko-session-id`);
//!   a chargeable source is charged, once.
//! - `POST /demo-merchant/processors/stripe-sources/payments/{id}/advance`
//!   (`{seconds}`): moves Stripe Sources' test clock.
//! - `GET /demo-merchant/processors/stripe-sources/payments/{id}/webhooks`: the
//!   events received for a source so far (`{"webhooks": [...]}`).
//! - `POST /demo-merchant/stripe-sources/webhooks`: the merchant's webhook endpoint
//!   (the mock sends Stripe Sources' events here with `--demo-merchant`, unless
//!   `--stripe-sources-webhook-url` names another). Stripe signs its events; the
//!   emulation does not, so this endpoint takes any event and only records it.
//!
//! Every route but the webhook endpoint takes the demo page's publishable key, as
//! the other demo merchant routes do.

pub mod calls;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Path, State as Extract};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use self::calls::Call;
use crate::State;
use crate::support::error::ApiError;
use crate::support::extract::ApiJson;
use crate::support::store::ExpiringStore;
use crate::three_ds_server::keys::PublishableOrSecret;

/// How long the merchant keeps a payment's record.
const KEPT_FOR: Duration = Duration::from_secs(3600);
/// Events kept per source at most.
const EVENTS_PER_SOURCE: usize = 32;
/// The path of the webhook endpoint.
pub const WEBHOOK_PATH: &str = "/demo-merchant/stripe-sources/webhooks";

/// A processor the demo merchant pays with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Processor {
    /// Stripe's PaymentIntents (`/stripe/v1`).
    Stripe,
    /// Stripe's legacy Sources (`/stripe-sources/v1`).
    StripeSources,
    /// Checkout.com (`/checkout`).
    Checkout,
}

impl Processor {
    /// The name in the merchant's paths.
    pub fn parse(name: &str) -> Result<Self, ApiError> {
        match name {
            "stripe" => Ok(Self::Stripe),
            "stripe-sources" => Ok(Self::StripeSources),
            "checkout" => Ok(Self::Checkout),
            _ => Err(ApiError::invalid("processor", "must be stripe, stripe-sources or checkout")),
        }
    }
}

/// What the demo page sends when the cardholder presses Pay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    /// The test card number (a real page sends a processor's token instead).
    pub pan: String,
    /// In minor units, e.g. `"1999"`.
    pub amount: String,
    /// ISO 4217 numeric: `978`, `840` or `826`.
    pub currency: String,
    /// Where the processor's page returns: the SDK's return page, or the checkout page.
    pub return_url: String,
    /// Stripe: `manual` authorizes only (the intent ends `requires_capture`).
    #[serde(default)]
    pub capture: Option<String>,
}

impl CreatePayment {
    fn check(&self) -> Result<(u64, &'static str), ApiError> {
        if !(12..=19).contains(&self.pan.len()) || !self.pan.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid("pan", "must be 12 to 19 digits"));
        }
        let amount = self.amount.parse::<u64>().ok().filter(|a| (1..=99_999_999).contains(a));
        let amount = amount.ok_or_else(|| ApiError::invalid("amount", "must be minor units from 1 to 99999999"))?;
        let currency = calls::alpha_currency(&self.currency).ok_or_else(|| ApiError::invalid("currency", "must be 978, 840 or 826"))?;
        if !url::Url::parse(&self.return_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            return Err(ApiError::invalid("return_url", "must be an absolute http(s) URL"));
        }
        match self.capture.as_deref() {
            None | Some("automatic" | "manual") => Ok((amount, currency)),
            Some(_) => Err(ApiError::invalid("capture", "must be automatic or manual")),
        }
    }
}

/// What the demo page sends to pay with a 3DS session's result through Stripe's
/// "import 3DS results": the session the sessions API authenticated, and the amount.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSession {
    /// The session whose result is handed off.
    pub session_id: String,
    /// In minor units, e.g. `"1999"`.
    pub amount: String,
    /// ISO 4217 numeric: `978`, `840` or `826`.
    pub currency: String,
}

/// `{seconds}` for the test clock.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    /// How far to move the clock.
    pub seconds: u64,
}

/// What the merchant keeps of one payment.
#[derive(Debug, Clone)]
struct Run {
    processor: Processor,
    amount: u64,
    currency: &'static str,
    calls: Vec<Call>,
    /// Stripe Sources: the charge made of the chargeable source (or the error).
    charge: Option<Value>,
}

/// The merchant's answer: the processor object and everything the merchant did.
#[derive(Debug, Serialize)]
pub struct PaymentView {
    /// The processor.
    pub processor: Processor,
    /// The object's ID (`pi_...`, `src_...`, `pay_...`); absent when it was refused.
    pub id: Option<String>,
    /// The object's status as the processor names it.
    pub status: Option<String>,
    /// The processor's 3-D Secure page, while it waits for the cardholder.
    pub redirect_url: Option<String>,
    /// The processor's object as last read.
    pub object: Value,
    /// The processor's error answer, when the last call was refused.
    pub error: Option<Value>,
    /// Stripe Sources: the charge of the source (or the charge's error).
    pub charge: Option<Value>,
    /// The merchant's calls to the processor, oldest first.
    pub calls: Vec<Call>,
    /// Stripe Sources: the events the webhook endpoint received for the source.
    pub webhooks: Vec<Value>,
}

/// The merchant's state: an HTTP client, its records, the events it received.
pub struct Merchant {
    http: reqwest::Client,
    runs: ExpiringStore<String, Run>,
    events: ExpiringStore<String, Vec<Value>>,
}

type Shared = Arc<Merchant>;

/// A request body.
enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(Value),
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

impl Merchant {
    /// Calls the processor at `path` on the mock's origin with `key`; records the call.
    async fn call(&self, state: &State, calls: &mut Vec<Call>, post: bool, path: &str, key: &str, body: Body) -> Result<(u16, Value), ApiError> {
        let url = format!("{}{path}", state.server_origin);
        let (request, shown) = match (post, body) {
            (false, _) => (self.http.get(url), Value::Null),
            (true, Body::None) => (self.http.post(url), Value::Null),
            (true, Body::Form(pairs)) => (self.http.post(url).form(&pairs), calls::shown_form(&pairs)),
            (true, Body::Json(json)) => (self.http.post(url).json(&json), calls::shown_json(&json)),
        };
        let at_ms = now_ms();
        let result = request.bearer_auth(key).send().await;
        let (status, response) = match result {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.unwrap_or(Value::Null))
            }
            Err(error) => {
                tracing::warn!(%error, path, "the processor could not be reached");
                (0, Value::Null)
            }
        };
        calls.push(Call {
            at_ms,
            method: if post { "POST" } else { "GET" },
            path: path.to_owned(),
            request: shown,
            status,
            response: response.clone(),
        });
        if status == 0 {
            return Err(ApiError::Internal(format!("the processor could not be reached at {path}")));
        }
        Ok((status, response))
    }

    fn view(&self, processor: Processor, id: Option<String>, object: Value, error: Option<Value>, run: Option<&Run>) -> PaymentView {
        let status = object["status"].as_str().map(str::to_owned);
        let redirect_url = match processor {
            Processor::Stripe => object["next_action"]["redirect_to_url"]["url"].as_str(),
            Processor::StripeSources => object["redirect"]["url"].as_str().filter(|_| status.as_deref() == Some("pending")),
            Processor::Checkout => object["_links"]["redirect"]["href"].as_str(),
        }
        .map(str::to_owned);
        let webhooks = match (processor, &id) {
            (Processor::StripeSources, Some(id)) => self.events.get(id).unwrap_or_default(),
            _ => Vec::new(),
        };
        PaymentView {
            processor,
            id,
            status,
            redirect_url,
            object,
            error,
            charge: run.and_then(|r| r.charge.clone()),
            calls: run.map(|r| r.calls.clone()).unwrap_or_default(),
            webhooks,
        }
    }
}

/// The routes; merged into the demo merchant's router (its CORS layer applies).
pub fn router(state: &State) -> Router<State> {
    let capacity = state.config.max_sessions;
    let merchant: Shared = Arc::new(Merchant {
        http: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap_or_default(),
        runs: ExpiringStore::with_finished(KEPT_FOR, capacity, |_| true),
        events: ExpiringStore::with_finished(KEPT_FOR, capacity, |_| true),
    });
    Router::new()
        .route("/demo-merchant/processors/{processor}/payments", post(create))
        .route("/demo-merchant/processors/{processor}/payments/{id}", get(retrieve))
        .route("/demo-merchant/processors/stripe-sources/payments/{id}/advance", post(advance))
        .route("/demo-merchant/processors/stripe-sources/payments/{id}/webhooks", get(received))
        .route("/demo-merchant/processors/stripe/imports", post(import_session))
        .route(WEBHOOK_PATH, post(webhook))
        .layer(Extension(merchant))
}

fn form(pairs: &[(&str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect())
}

async fn create(
    Extract(state): Extract<State>,
    Extension(merchant): Extension<Shared>,
    _: PublishableOrSecret,
    Path(processor): Path<String>,
    ApiJson(request): ApiJson<CreatePayment>,
) -> Result<Json<PaymentView>, ApiError> {
    let processor = Processor::parse(&processor)?;
    let (amount, currency) = request.check()?;
    let mut run = Run { processor, amount, currency, calls: Vec::new(), charge: None };
    let config = &state.config;
    let year = calls::expiry_year(now_ms() / 1000).to_string();
    let amount_text = amount.to_string();
    let (id, object, error) = match processor {
        Processor::Stripe => {
            let body = form(&[
                ("amount", &amount_text),
                ("currency", currency),
                ("confirm", "true"),
                ("capture_method", request.capture.as_deref().unwrap_or("automatic")),
                ("payment_method_data[type]", "card"),
                ("payment_method_data[card][number]", &request.pan),
                ("payment_method_data[card][exp_month]", "12"),
                ("payment_method_data[card][exp_year]", &year),
                ("payment_method_data[card][cvc]", "123"),
                ("payment_method_options[card][request_three_d_secure]", "any"),
                ("return_url", &request.return_url),
            ]);
            let (status, answer) = merchant.call(&state, &mut run.calls, true, "/stripe/v1/payment_intents", &config.stripe_secret_key, body).await?;
            if status == 200 {
                (answer["id"].as_str().map(str::to_owned), answer, None)
            } else {
                // A decline still created the intent: the error carries it.
                let intent = answer["error"]["payment_intent"].clone();
                (intent["id"].as_str().map(str::to_owned), intent, Some(answer))
            }
        }
        Processor::StripeSources => {
            let key = &config.stripe_sources_secret_key;
            let body =
                form(&[("type", "card"), ("card[number]", &request.pan), ("card[exp_month]", "12"), ("card[exp_year]", &year), ("card[cvc]", "123")]);
            let (status, card) = merchant.call(&state, &mut run.calls, true, "/stripe-sources/v1/sources", key, body).await?;
            if status != 200 {
                (None, Value::Null, Some(card))
            } else {
                let card_id = card["id"].as_str().unwrap_or_default();
                let body = form(&[
                    ("type", "three_d_secure"),
                    ("amount", &amount_text),
                    ("currency", currency),
                    ("redirect[return_url]", &request.return_url),
                    ("three_d_secure[card]", card_id),
                ]);
                let (status, source) = merchant.call(&state, &mut run.calls, true, "/stripe-sources/v1/sources", key, body).await?;
                if status == 200 { (source["id"].as_str().map(str::to_owned), source, None) } else { (None, Value::Null, Some(source)) }
            }
        }
        Processor::Checkout => {
            let token = json!({
                "type": "card",
                "number": request.pan,
                "expiry_month": 12,
                "expiry_year": year.parse::<u64>().unwrap_or(2030),
                "cvv": "100",
            });
            let (status, token) =
                merchant.call(&state, &mut run.calls, true, "/checkout/tokens", &config.checkout_public_key, Body::Json(token)).await?;
            if status != 201 {
                (None, Value::Null, Some(token))
            } else {
                let success_url = calls::with_query(&request.return_url, "outcome", "success");
                let failure_url = calls::with_query(&request.return_url, "outcome", "failure");
                let payment = json!({
                    "source": { "type": "token", "token": token["token"] },
                    "amount": amount,
                    "currency": currency.to_ascii_uppercase(),
                    "reference": "threeds-web demo",
                    "3ds": { "enabled": true },
                    "success_url": success_url,
                    "failure_url": failure_url,
                });
                let (status, payment) =
                    merchant.call(&state, &mut run.calls, true, "/checkout/payments", &config.checkout_secret_key, Body::Json(payment)).await?;
                if matches!(status, 201 | 202) {
                    (payment["id"].as_str().map(str::to_owned), payment, None)
                } else {
                    (None, Value::Null, Some(payment))
                }
            }
        }
    };
    if let Some(id) = &id {
        merchant.runs.insert(id.clone(), run.clone())?;
    }
    Ok(Json(merchant.view(processor, id, object, error, Some(&run))))
}

/// IDs as the processors write them: letters, digits and `_`, so they fit in a path.
fn check_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(ApiError::invalid("id", "must be a processor's object ID"));
    }
    Ok(())
}

async fn retrieve(
    Extract(state): Extract<State>,
    Extension(merchant): Extension<Shared>,
    _: PublishableOrSecret,
    Path((processor, id)): Path<(String, String)>,
) -> Result<Json<PaymentView>, ApiError> {
    let processor = Processor::parse(&processor)?;
    check_id(&id)?;
    let config = &state.config;
    let mut calls = Vec::new();
    let (path, key) = match processor {
        Processor::Stripe => (format!("/stripe/v1/payment_intents/{id}?expand[]=latest_charge"), &config.stripe_secret_key),
        Processor::StripeSources => (format!("/stripe-sources/v1/sources/{id}"), &config.stripe_sources_secret_key),
        Processor::Checkout => (format!("/checkout/payments/{id}"), &config.checkout_secret_key),
    };
    let (status, object) = merchant.call(&state, &mut calls, false, &path, key, Body::None).await?;
    if status != 200 {
        return Ok(Json(merchant.view(processor, None, Value::Null, Some(object), None)));
    }
    // Checkout.com's payment may be read by its session ID: the record is by payment ID.
    let id = object["id"].as_str().unwrap_or(&id).to_owned();
    let mut run = merchant.runs.get(&id).filter(|r| r.processor == processor);
    if let Some(run) = &mut run {
        run.calls.append(&mut calls);
        if processor == Processor::StripeSources && object["status"] == "chargeable" && run.charge.is_none() {
            let body = form(&[("amount", &run.amount.to_string()), ("currency", run.currency), ("source", &id)]);
            let (_, charge) = merchant.call(&state, &mut run.calls, true, "/stripe-sources/v1/charges", key, body).await?;
            run.charge = Some(charge);
        }
        let (calls, charge) = (run.calls.clone(), run.charge.clone());
        merchant.runs.update(&id, |kept| {
            kept.calls = calls;
            kept.charge = charge;
        });
    }
    let view_run = run.unwrap_or(Run { processor, amount: 0, currency: "", calls, charge: None });
    Ok(Json(merchant.view(processor, Some(id), object, None, Some(&view_run))))
}

async fn advance(
    Extract(state): Extract<State>,
    Extension(merchant): Extension<Shared>,
    _: PublishableOrSecret,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<Advance>,
) -> Result<Json<PaymentView>, ApiError> {
    check_id(&id)?;
    let Some(mut run) = merchant.runs.get(&id).filter(|r| r.processor == Processor::StripeSources) else {
        return Err(ApiError::invalid("id", "not a source this merchant created"));
    };
    if !(1..=31 * 24 * 3600).contains(&request.seconds) {
        return Err(ApiError::invalid("seconds", "must be from 1 to 2678400 (31 days)"));
    }
    let key = &state.config.stripe_sources_secret_key;
    let seconds = request.seconds.to_string();
    merchant.call(&state, &mut run.calls, true, "/stripe-sources/v1/test_helpers/advance", key, form(&[("seconds", &seconds)])).await?;
    let (_, object) = merchant.call(&state, &mut run.calls, false, &format!("/stripe-sources/v1/sources/{id}"), key, Body::None).await?;
    let calls = run.calls.clone();
    merchant.runs.update(&id, |kept| kept.calls = calls);
    Ok(Json(merchant.view(Processor::StripeSources, Some(id), object, None, Some(&run))))
}

/// The events received for a source, oldest first.
async fn received(Extension(merchant): Extension<Shared>, _: PublishableOrSecret, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    check_id(&id)?;
    Ok(Json(json!({ "webhooks": merchant.events.get(&id).unwrap_or_default() })))
}

/// The webhook endpoint: records each event under its source; `2xx` so it is not retried.
async fn webhook(Extension(merchant): Extension<Shared>, body: axum::body::Bytes) -> StatusCode {
    let Ok(event) = serde_json::from_slice::<Value>(&body) else { return StatusCode::BAD_REQUEST };
    let Some(source) = calls::event_source(&event).map(str::to_owned) else { return StatusCode::OK };
    let summary = calls::event_summary(&event, now_ms());
    let added = merchant.events.update(&source, |events| {
        if events.len() < EVENTS_PER_SOURCE {
            events.push(summary.clone());
        }
    });
    if added.is_none() && merchant.events.insert(source, vec![summary]).is_err() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    StatusCode::OK
}

/// `POST /demo-merchant/processors/stripe/imports`: the whole chain, 3DS session to
/// processor. The merchant's server takes the session's result as the session API
/// hands it off (`processor.stripe.form`, secret-key view) and creates a confirmed
/// PaymentIntent with it (`payment_method_options[card][three_d_secure]`): Stripe
/// checks the imported result by its rules and charges without its own 3-D Secure.
async fn import_session(
    Extract(state): Extract<State>,
    Extension(merchant): Extension<Shared>,
    _: PublishableOrSecret,
    ApiJson(request): ApiJson<ImportSession>,
) -> Result<Json<PaymentView>, ApiError> {
    let amount = request.amount.parse::<u64>().ok().filter(|a| (1..=99_999_999).contains(a));
    let amount = amount.ok_or_else(|| ApiError::invalid("amount", "must be minor units from 1 to 99999999"))?;
    let currency = calls::alpha_currency(&request.currency).ok_or_else(|| ApiError::invalid("currency", "must be 978, 840 or 826"))?;
    let session = crate::three_ds_server::api::session(&state, &request.session_id)?;
    let authentication = session.authentication.as_ref().map(|a| a.to_object(&session));
    let Some(handoff) = authentication.and_then(|a| a.processor).map(|p| p.stripe.form) else {
        return Err(ApiError::Conflict("this session has no result to hand off (not authenticated, or no authentication value)".into()));
    };
    let mut run = Run { processor: Processor::Stripe, amount, currency, calls: Vec::new(), charge: None };
    let year = calls::expiry_year(now_ms() / 1000).to_string();
    let mut pairs: Vec<(String, String)> = [
        ("amount", amount.to_string().as_str()),
        ("currency", currency),
        ("confirm", "true"),
        ("error_on_requires_action", "true"),
        ("expand[]", "latest_charge"),
        ("payment_method_data[type]", "card"),
        // The merchant's server holds the card it authenticated (a real one holds a processor token).
        ("payment_method_data[card][number]", session.card.expose()),
        ("payment_method_data[card][exp_month]", "12"),
        ("payment_method_data[card][exp_year]", &year),
        ("payment_method_data[card][cvc]", "123"),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
    .collect();
    pairs.extend(handoff);
    let key = &state.config.stripe_secret_key;
    let (status, answer) = merchant.call(&state, &mut run.calls, true, "/stripe/v1/payment_intents", key, Body::Form(pairs)).await?;
    let (id, object, error) = if status == 200 {
        (answer["id"].as_str().map(str::to_owned), answer, None)
    } else {
        (None, answer["error"]["payment_intent"].clone(), Some(answer))
    };
    if let Some(id) = &id {
        let _ = merchant.runs.insert(id.clone(), run.clone());
    }
    Ok(Json(merchant.view(Processor::Stripe, id, object, error, Some(&run))))
}
