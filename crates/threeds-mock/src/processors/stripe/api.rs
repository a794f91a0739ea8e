//! The `/stripe/v1/...` handlers: PaymentMethods, PaymentIntents and
//! SetupIntents (create, confirm, retrieve, capture, cancel), form-encoded as
//! Stripe takes them, answered with Stripe's objects and errors.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as Extract};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use threeds_protocol::CardNumber;
use threeds_protocol::scheme::luhn_valid;

use super::cards;
use super::error::StripeError;
use super::flow::{self, Next, RequestThreeDS};
use super::form::Params;
use super::import;
use super::intent::{Intent, Kind, PaymentMethod, Status, new_id};
use super::keys::{SecretKey, StripeKey};
use crate::State;
use crate::support::cards::TEST_CARDS;
use crate::three_ds_server::keys::constant_time_eq;

/// Unix seconds now.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The current year (UTC), for expiry checks.
fn current_year() -> u16 {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string().get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026)
}

/// ISO 4217: the currencies the emulation takes, with their numeric codes and exponents.
const CURRENCIES: [(&str, &str, u8); 16] = [
    ("eur", "978", 2),
    ("usd", "840", 2),
    ("gbp", "826", 2),
    ("chf", "756", 2),
    ("cad", "124", 2),
    ("aud", "036", 2),
    ("nzd", "554", 2),
    ("sgd", "702", 2),
    ("hkd", "344", 2),
    ("mxn", "484", 2),
    ("sek", "752", 2),
    ("nok", "578", 2),
    ("dkk", "208", 2),
    ("pln", "985", 2),
    ("jpy", "392", 0),
    ("krw", "410", 0),
];

/// The numeric code and exponent of a currency the emulation takes.
pub fn currency(code: &str) -> Option<(&'static str, u8)> {
    CURRENCIES.iter().find(|(alpha, ..)| *alpha == code).map(|(_, numeric, exponent)| (*numeric, *exponent))
}

/// The intent `id` of `kind`, or Stripe's `resource_missing` (param `intent`).
pub fn intent_of(state: &State, kind: Kind, id: &str) -> Result<Intent, StripeError> {
    state.stripe.intents.get(&id.to_owned()).filter(|intent| intent.kind == kind).ok_or_else(|| StripeError::no_such(kind.object(), id, "intent"))
}

/// Stores a changed intent.
fn save(state: &State, intent: &Intent) -> Result<(), StripeError> {
    state.stripe.intents.insert(intent.id.clone(), intent.clone())?;
    Ok(())
}

/// An intent's JSON, with `expand`.
fn answer(intent: &Intent, expand: &[String]) -> Response {
    Json(intent.to_json(expand)).into_response()
}

/// A card from `{prefix}[number]`, `[exp_month]`, `[exp_year]`, `[cvc]`, with
/// Stripe's card errors.
fn read_card(params: &mut Params, prefix: &str) -> Result<PaymentMethod, StripeError> {
    let key = |name: &str| format!("{prefix}[{name}]");
    let number: String = params.require(&key("number"))?.chars().filter(|c| *c != ' ').collect();
    let card = CardNumber::parse(&number).map_err(|_| StripeError::card("invalid_number", &key("number"), "Your card number is invalid."))?;
    // Stripe's test numbers pass the Luhn check; the test-card table's Luhn-invalid ranges are known too.
    if !luhn_valid(card.expose()) && !TEST_CARDS.iter().any(|c| c.pan == card.expose()) {
        return Err(StripeError::card("incorrect_number", &key("number"), "Your card number is incorrect."));
    }
    let exp_month = params.require(&key("exp_month"))?;
    let exp_month: u8 = exp_month
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| StripeError::card("invalid_expiry_month", &key("exp_month"), "Your card's expiration month is invalid."))?;
    let exp_year = params.require(&key("exp_year"))?;
    let bad_year = || StripeError::card("invalid_expiry_year", &key("exp_year"), "Your card's expiration year is invalid.");
    let exp_year: u16 = match exp_year.parse::<u16>().map_err(|_| bad_year())? {
        year @ 0..=99 => 2000 + year,
        year => year,
    };
    if exp_year < current_year() || exp_year > current_year() + 50 {
        return Err(bad_year());
    }
    if let Some(cvc) = params.take(&key("cvc"))
        && !((3..=4).contains(&cvc.len()) && cvc.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(StripeError::card("invalid_cvc", &key("cvc"), "Your card's security code is invalid."));
    }
    Ok(PaymentMethod { id: new_id("pm"), card, exp_month, exp_year, created: now() })
}

/// `payment_method` (a test PaymentMethod or one created here) or `payment_method_data`.
fn read_payment_method(state: &State, params: &mut Params) -> Result<Option<PaymentMethod>, StripeError> {
    let id = params.take("payment_method");
    let has_data = params.has_prefix("payment_method_data");
    match (id, has_data) {
        (Some(_), true) => Err(StripeError::invalid("payment_method_data", "You cannot provide both payment_method and payment_method_data.")),
        (Some(id), false) => {
            if let Some(card) = cards::by_payment_method(&id) {
                return Ok(Some(PaymentMethod { id, card: CardNumber::new(card.pan), exp_month: 12, exp_year: current_year() + 3, created: now() }));
            }
            state.stripe.payment_methods.get(&id).map(Some).ok_or_else(|| StripeError::no_such("PaymentMethod", &id, "payment_method"))
        }
        (None, true) => {
            if params.require("payment_method_data[type]")? != "card" {
                return Err(StripeError::invalid("payment_method_data[type]", "The emulation takes card payment methods only: type must be card."));
            }
            params.take_all("payment_method_data[billing_details]");
            let pm = read_card(params, "payment_method_data[card]")?;
            state.stripe.payment_methods.insert(pm.id.clone(), pm.clone())?;
            Ok(Some(pm))
        }
        (None, false) => Ok(None),
    }
}

/// The parameters create and confirm share.
#[derive(Debug, Default)]
struct Confirmation {
    payment_method: Option<PaymentMethod>,
    request_three_d_secure: Option<RequestThreeDS>,
    network: Option<String>,
    imported: Option<import::Imported>,
    return_url: Option<String>,
    error_on_requires_action: Option<bool>,
    expand: Vec<String>,
}

/// Reads the shared parameters; `card` is the intent's card when the request
/// names none (the import and network are checked against it).
fn read_confirmation(state: &State, params: &mut Params, card: Option<&PaymentMethod>) -> Result<Confirmation, StripeError> {
    let mut read = Confirmation { payment_method: read_payment_method(state, params)?, ..Default::default() };
    for kind in params.take_list("payment_method_types") {
        if kind != "card" {
            return Err(StripeError::invalid("payment_method_types", format!("The payment method type `{kind}` is not available here: only card.")));
        }
    }
    read.request_three_d_secure = params
        .take_enum("payment_method_options[card][request_three_d_secure]", &RequestThreeDS::VALUES)?
        .and_then(|value| RequestThreeDS::parse(&value));
    let pan = read.payment_method.as_ref().or(card).map(|pm| pm.card.expose().to_owned());
    read.network = import::read_network(params, pan.as_deref())?;
    if import::present(params) {
        let Some(pan) = pan.as_deref() else { return Err(StripeError::missing("payment_method")) };
        read.imported = Some(import::read(params, pan, read.network.as_deref())?);
    }
    read.return_url = params.take("return_url");
    if let Some(url) = &read.return_url
        && !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
    {
        return Err(StripeError::invalid("return_url", "Not a valid URL"));
    }
    read.error_on_requires_action = params.take_bool("error_on_requires_action")?;
    // Stripe.js sends it; the emulation always answers with a redirect or `use_stripe_sdk`.
    params.take_bool("use_stripe_sdk")?;
    read.expand = params.take_list("expand");
    Ok(read)
}

impl Confirmation {
    fn apply(self, intent: &mut Intent) -> Vec<String> {
        if let Some(pm) = self.payment_method {
            intent.payment_method = Some(pm);
            if intent.status == Status::RequiresPaymentMethod {
                intent.status = Status::RequiresConfirmation;
            }
        }
        if let Some(request) = self.request_three_d_secure {
            intent.request_three_d_secure = request;
        }
        if self.network.is_some() {
            intent.network = self.network;
        }
        if self.imported.is_some() {
            intent.imported = self.imported;
        }
        if self.return_url.is_some() {
            intent.return_url = self.return_url;
        }
        if let Some(flag) = self.error_on_requires_action {
            intent.error_on_requires_action = flag;
        }
        self.expand
    }
}

/// Confirms: authorizes at once, or asks for authentication (`requires_action`
/// with the hosted page as `next_action`), as [`flow::next`] decides. The
/// intent is saved either way; an error carries it (`payment_intent` /
/// `setup_intent`).
fn confirm(state: &State, intent: &mut Intent) -> Result<(), StripeError> {
    if !intent.status.confirmable() {
        let object = intent.kind.display();
        return Err(StripeError::unexpected_state(
            &format!("{}_unexpected_state", intent.kind.object()),
            format!(
                "You cannot confirm this {object} because it has a status of {}. Only a {object} with one of the following statuses may be \
                 confirmed: requires_payment_method, requires_confirmation, requires_action.",
                intent.status.as_str()
            ),
        ));
    }
    let Some(pm) = intent.payment_method.clone() else { return Err(intent.missing_payment_method()) };
    intent.session_id = None;
    let imported = intent.imported.take();
    let outcome = match flow::next(pm.card.expose(), intent.request_three_d_secure, imported.is_some(), intent.error_on_requires_action) {
        Next::ProceedWithImport => intent.authorize(imported.map(|i| i.to_charge_details()), now()),
        Next::Proceed => intent.authorize(None, now()),
        Next::Authenticate => {
            intent.status = Status::RequiresAction;
            intent.last_error = None;
            intent.authenticate_url =
                Some(format!("{}/stripe/redirect/authenticate/{}?client_secret={}", state.server_origin, intent.id, intent.client_secret));
            Ok(())
        }
        Next::AuthenticationRequired => {
            let error = StripeError::authentication_required().with("payment_method", pm.to_json());
            intent.status = Status::RequiresPaymentMethod;
            intent.last_error = Some(error.to_value());
            Err(error)
        }
    };
    save(state, intent)?;
    outcome.map_err(|error| error.with(intent.kind.object(), intent.to_json(&[])))
}

/// `POST /stripe/v1/payment_methods`: a card PaymentMethod.
pub async fn create_payment_method(Extract(state): Extract<State>, _: SecretKey, body: Bytes) -> Result<Response, StripeError> {
    let mut params = Params::parse(&body);
    if params.require("type")? != "card" {
        return Err(StripeError::invalid("type", "The emulation takes card payment methods only: type must be card."));
    }
    params.take_all("billing_details");
    params.take_map("metadata");
    let pm = read_card(&mut params, "card")?;
    params.finish()?;
    state.stripe.payment_methods.insert(pm.id.clone(), pm.clone())?;
    Ok(Json(pm.to_json()).into_response())
}

/// Creates an intent of `kind` from `params`.
fn create(state: &State, kind: Kind, mut params: Params) -> Result<Response, StripeError> {
    let mut intent = Intent::new(kind, now());
    if kind == Kind::Payment {
        let amount = params.take_integer("amount")?.ok_or_else(|| StripeError::missing("amount"))?;
        if amount == 0 {
            return Err(StripeError::invalid("amount", "This value must be greater than or equal to 1."));
        }
        let code = params.require("currency")?.to_ascii_lowercase();
        if currency(&code).is_none() {
            return Err(StripeError::invalid("currency", format!("Invalid currency: {}.", code.chars().take(10).collect::<String>())));
        }
        intent.amount = amount;
        intent.currency = code;
        let capture = params.take_enum("capture_method", &["automatic", "automatic_async", "manual"])?;
        intent.manual_capture = capture.as_deref() == Some("manual");
    } else {
        intent.usage = params.take_enum("usage", &["off_session", "on_session"])?.unwrap_or_else(|| "off_session".into());
    }
    intent.description = params.take("description");
    intent.customer = params.take("customer");
    intent.metadata = params.take_map("metadata");
    let confirm_now = params.take_bool("confirm")?.unwrap_or(false);
    let confirmation = read_confirmation(state, &mut params, None)?;
    params.finish()?;
    if !confirm_now && confirmation.return_url.is_some() {
        return Err(StripeError::invalid("return_url", "You can only pass in return_url when confirm=true."));
    }
    let expand = confirmation.apply(&mut intent);
    save(state, &intent)?;
    if confirm_now {
        confirm(state, &mut intent)?;
    }
    Ok(answer(&intent, &expand))
}

/// `POST /stripe/v1/payment_intents`.
pub async fn create_payment_intent(Extract(state): Extract<State>, _: SecretKey, body: Bytes) -> Result<Response, StripeError> {
    create(&state, Kind::Payment, Params::parse(&body))
}

/// `POST /stripe/v1/setup_intents`.
pub async fn create_setup_intent(Extract(state): Extract<State>, _: SecretKey, body: Bytes) -> Result<Response, StripeError> {
    create(&state, Kind::Setup, Params::parse(&body))
}

/// Confirms an existing intent. With the publishable key (Stripe.js confirming
/// in the browser) the `client_secret` parameter is required, and the answer
/// is the reduced object.
fn confirm_existing(state: &State, kind: Kind, key: StripeKey, id: &str, body: &[u8]) -> Result<Response, StripeError> {
    let mut intent = intent_of(state, kind, id)?;
    let mut params = Params::parse(body);
    let client_secret = params.take("client_secret");
    if key == StripeKey::Publishable {
        let secret = client_secret.ok_or_else(|| StripeError::missing("client_secret"))?;
        if !client_secret_matches(&intent, &secret) {
            return Err(StripeError::bad_client_secret(kind.display()));
        }
    }
    let confirmation = read_confirmation(state, &mut params, intent.payment_method.as_ref())?;
    params.finish()?;
    let expand = confirmation.apply(&mut intent);
    if let Err(mut error) = confirm(state, &mut intent) {
        // A browser sees only the reduced object, in errors too.
        if key == StripeKey::Publishable && error.attached.contains_key(kind.object()) {
            error.attached.insert(kind.object().to_owned(), intent.to_publishable_json());
        }
        return Err(error);
    }
    Ok(match key {
        StripeKey::Secret => answer(&intent, &expand),
        StripeKey::Publishable => Json(intent.to_publishable_json()).into_response(),
    })
}

/// `POST /stripe/v1/payment_intents/{id}/confirm` (secret key, or publishable key with `client_secret`).
pub async fn confirm_payment_intent(
    Extract(state): Extract<State>,
    key: StripeKey,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, StripeError> {
    confirm_existing(&state, Kind::Payment, key, &id, &body)
}

/// `POST /stripe/v1/setup_intents/{id}/confirm` (secret key, or publishable key with `client_secret`).
pub async fn confirm_setup_intent(
    Extract(state): Extract<State>,
    key: StripeKey,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, StripeError> {
    confirm_existing(&state, Kind::Setup, key, &id, &body)
}

/// Whether `presented` is the intent's client secret (constant time).
pub fn client_secret_matches(intent: &Intent, presented: &str) -> bool {
    constant_time_eq(presented.as_bytes(), intent.client_secret.as_bytes())
}

fn retrieve(state: &State, kind: Kind, key: StripeKey, id: &str, query: Option<String>) -> Result<Response, StripeError> {
    let mut params = Params::parse(query.unwrap_or_default().as_bytes());
    let client_secret = params.take("client_secret");
    let expand = params.take_list("expand");
    params.finish()?;
    let intent = intent_of(state, kind, id)?;
    match key {
        StripeKey::Secret => Ok(answer(&intent, &expand)),
        StripeKey::Publishable => {
            let secret = client_secret.ok_or_else(|| StripeError::missing("client_secret"))?;
            if !client_secret_matches(&intent, &secret) {
                return Err(StripeError::bad_client_secret(kind.display()));
            }
            Ok(Json(intent.to_publishable_json()).into_response())
        }
    }
}

/// `GET /stripe/v1/payment_intents/{id}`: the whole object with the secret key;
/// with the publishable key and `client_secret`, the reduced one.
pub async fn retrieve_payment_intent(
    Extract(state): Extract<State>,
    key: StripeKey,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, StripeError> {
    retrieve(&state, Kind::Payment, key, &id, query)
}

/// `GET /stripe/v1/setup_intents/{id}`.
pub async fn retrieve_setup_intent(
    Extract(state): Extract<State>,
    key: StripeKey,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, StripeError> {
    retrieve(&state, Kind::Setup, key, &id, query)
}

/// `POST /stripe/v1/payment_intents/{id}/capture`: `amount_to_capture` (at most the amount; the whole amount by default).
pub async fn capture_payment_intent(
    Extract(state): Extract<State>,
    _: SecretKey,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, StripeError> {
    let mut intent = intent_of(&state, Kind::Payment, &id)?;
    let mut params = Params::parse(&body);
    let amount = params.take_integer("amount_to_capture")?;
    let expand = params.take_list("expand");
    params.take_map("metadata");
    params.finish()?;
    if intent.status != Status::RequiresCapture {
        return Err(StripeError::unexpected_state(
            "payment_intent_unexpected_state",
            format!(
                "This PaymentIntent could not be captured because it has a status of {}. Only a PaymentIntent with one of the following \
                 statuses may be captured: requires_capture.",
                intent.status.as_str()
            ),
        ));
    }
    let amount = amount.unwrap_or(intent.amount);
    if amount == 0 || amount > intent.amount {
        return Err(StripeError::invalid("amount_to_capture", format!("amount_to_capture must be between 1 and the amount ({}).", intent.amount)));
    }
    intent.status = Status::Succeeded;
    intent.amount_received = amount;
    if let Some(charge) = &mut intent.charge {
        charge.captured = true;
        charge.amount_captured = amount;
    }
    save(&state, &intent)?;
    Ok(answer(&intent, &expand))
}

fn cancel(state: &State, kind: Kind, id: &str, body: &[u8]) -> Result<Response, StripeError> {
    let mut intent = intent_of(state, kind, id)?;
    let mut params = Params::parse(body);
    let reasons: &[&str] = match kind {
        Kind::Payment => &["duplicate", "fraudulent", "requested_by_customer", "abandoned"],
        Kind::Setup => &["abandoned", "requested_by_customer", "duplicate"],
    };
    let reason = params.take_enum("cancellation_reason", reasons)?;
    let expand = params.take_list("expand");
    params.finish()?;
    if !intent.status.cancelable(kind) {
        let object = kind.display();
        let allowed = match kind {
            Kind::Payment => "requires_payment_method, requires_capture, requires_confirmation, requires_action, processing",
            Kind::Setup => "requires_payment_method, requires_confirmation, requires_action",
        };
        return Err(StripeError::unexpected_state(
            &format!("{}_unexpected_state", kind.object()),
            format!(
                "You cannot cancel this {object} because it has a status of {}. Only a {object} with one of the following statuses may be \
                 canceled: {allowed}.",
                intent.status.as_str()
            ),
        ));
    }
    intent.status = Status::Canceled;
    intent.canceled_at = Some(now());
    intent.cancellation_reason = reason;
    intent.authenticate_url = None;
    // An authorization not captured is released.
    if let Some(charge) = &mut intent.charge
        && charge.approved
        && !charge.captured
    {
        charge.refunded = true;
    }
    save(state, &intent)?;
    Ok(answer(&intent, &expand))
}

/// `POST /stripe/v1/payment_intents/{id}/cancel`.
pub async fn cancel_payment_intent(
    Extract(state): Extract<State>,
    _: SecretKey,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, StripeError> {
    cancel(&state, Kind::Payment, &id, &body)
}

/// `POST /stripe/v1/setup_intents/{id}/cancel`.
pub async fn cancel_setup_intent(Extract(state): Extract<State>, _: SecretKey, Path(id): Path<String>, body: Bytes) -> Result<Response, StripeError> {
    cancel(&state, Kind::Setup, &id, &body)
}

/// The 3DS result after authentication (the intent's `three_d_secure` details).
pub fn three_d_secure_details(
    verdict: flow::Verdict,
    flow_name: Option<&str>,
    eci: Option<&str>,
    transaction_id: Option<&str>,
    version: Option<&str>,
) -> Value {
    serde_json::json!({
        "authentication_flow": flow_name,
        "electronic_commerce_indicator": eci,
        "exemption_indicator": null,
        "exemption_indicator_applied": false,
        "result": verdict.result,
        "result_reason": verdict.result_reason,
        "transaction_id": transaction_id,
        "version": version,
        "authenticated": verdict.result == "authenticated",
        "succeeded": verdict.proceed && verdict.result != "processing_error",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies() {
        assert_eq!(currency("eur"), Some(("978", 2)));
        assert_eq!(currency("jpy"), Some(("392", 0)));
        assert_eq!(currency("xyz"), None);
    }

    #[test]
    fn cards_are_read_with_stripes_errors() {
        let year = current_year() + 1;
        let mut params = Params::parse(format!("c[number]=4242 4242 4242 4242&c[exp_month]=12&c[exp_year]={year}&c[cvc]=123").as_bytes());
        let pm = read_card(&mut params, "c").unwrap();
        assert_eq!((pm.card.last4(), pm.exp_month, pm.exp_year), ("4242", 12, year));
        let cases = [
            ("c[number]=4242424242424241&c[exp_month]=12&c[exp_year]=2040", "incorrect_number"),
            ("c[number]=42&c[exp_month]=12&c[exp_year]=2040", "invalid_number"),
            ("c[number]=4242424242424242&c[exp_month]=13&c[exp_year]=2040", "invalid_expiry_month"),
            ("c[number]=4242424242424242&c[exp_month]=12&c[exp_year]=20", "invalid_expiry_year"),
            ("c[number]=4242424242424242&c[exp_month]=12&c[exp_year]=2040&c[cvc]=1", "invalid_cvc"),
        ];
        for (body, code) in cases {
            let error = read_card(&mut Params::parse(body.as_bytes()), "c").unwrap_err();
            assert_eq!((error.code.as_deref(), error.kind), (Some(code), "card_error"), "{body}");
        }
        // The test-card table's Luhn-invalid ranges are taken.
        assert!(read_card(&mut Params::parse(b"c[number]=4200000000000004&c[exp_month]=1&c[exp_year]=2040"), "c").is_ok());
    }
}
