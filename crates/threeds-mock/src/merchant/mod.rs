//! The demo merchant's server. A real checkout page has a server of its own that
//! holds the secret key and decides what is bought; the demo page has none, so the
//! mock plays that part here, on the 3DS Server origin. This is the code a
//! merchant's server runs: the browser never sees the secret key and never
//! chooses the merchant or purchase data beyond the demo's amount and currency.
//!
//! Served only when the mock runs with `--demo-merchant`; every endpoint takes the
//! key the checkout page already holds for the SDK, the publishable key
//! (`Authorization: Bearer pk_...`; the secret key works too), so that nobody
//! without it can authenticate sessions or read transcripts.
//!
//! - `POST /demo-merchant/payments`: authenticate a session the SDK created.
//! - `GET /demo-merchant/payments/{session_id}`: the result (202 while a challenge
//!   or a decoupled authentication is still going).
//! - `GET /demo-merchant/payments/{session_id}/messages`: every EMV message of the
//!   transaction, card number masked, for the demo's timeline.
//! - `/demo-merchant/processors/...`: payments through the processor emulations
//!   ([`processors`]).

pub mod processors;

use std::time::Duration;

use axum::extract::{Path, State as Extract};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::cors::{AllowOrigin, CorsLayer};

use threeds_api::session::{Authenticate, AuthenticationObject, MerchantInfo, Pending, PurchaseInfo, RequestorInfo};

use crate::State;
use crate::support::error::ApiError;
use crate::support::extract::ApiJson;
use crate::support::origin;
use crate::support::transcript::{self, Recorded};
use crate::three_ds_server::api::{authenticate_session, session};
use crate::three_ds_server::keys::PublishableOrSecret;

/// The demo merchant's routes, callable from the checkout pages (`--embed-origin`).
pub fn router(state: &State) -> Router<State> {
    let patterns = state.config.embed_origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| origin.to_str().is_ok_and(|origin| origin::allowed(&patterns, origin))))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600));
    Router::new()
        .route("/demo-merchant/payments", post(pay))
        .route("/demo-merchant/payments/{id}", get(payment))
        .route("/demo-merchant/payments/{id}/messages", get(messages))
        .merge(processors::router(state))
        .layer(cors)
}

/// What the demo checkout page sends when the cardholder presses Pay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    /// The session `createSession` resolved with.
    pub session_id: String,
    /// In minor units, e.g. `"1999"` for 19.99.
    pub amount: String,
    /// ISO 4217 numeric, e.g. `"978"` for EUR.
    pub currency: String,
    /// `no-preference` (default), `no-challenge`, `challenge-requested`, `challenge-mandated`.
    pub challenge_preference: Option<String>,
    /// Ask the issuer for a decoupled authentication (2.2.0 and later).
    #[serde(default)]
    pub decoupled: bool,
}

impl PaymentRequest {
    /// The session API's authenticate request, with the merchant's own data.
    pub fn to_authenticate(&self) -> Authenticate {
        Authenticate {
            authentication_category: "payment".into(),
            authentication_type: "payment-transaction".into(),
            challenge_preference: self.challenge_preference.clone(),
            request_decoupled_challenge: Some(self.decoupled),
            decoupled_challenge_max_time: self.decoupled.then_some(10),
            merchant_info: Some(MerchantInfo {
                mid: "threeds-web-demo".into(),
                acquirer_bin: "000000999".into(),
                name: "threeds-web demo shop".into(),
                category_code: "5999".into(),
                country_code: "826".into(),
                url: Some("https://threeds-web.example".into()),
            }),
            requestor_info: Some(RequestorInfo { amex_requestor_type: Some("MER".into()), cb_siret_number: None }),
            purchase_info: Some(PurchaseInfo {
                amount: self.amount.clone(),
                currency: self.currency.clone(),
                exponent: Some("2".into()),
                ..Default::default()
            }),
            cardholder_info: Some(serde_json::Map::new().into()),
            broadcast_info: None,
            message_extensions: None,
        }
    }
}

async fn pay(
    Extract(state): Extract<State>,
    _: PublishableOrSecret,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> Result<Json<AuthenticationObject>, ApiError> {
    authenticate_session(&state, &request.session_id, &request.to_authenticate()).map(Json)
}

async fn payment(Extract(state): Extract<State>, _: PublishableOrSecret, Path(id): Path<String>) -> Result<Response, ApiError> {
    let session = session(&state, &id)?;
    let Some(authentication) = &session.authentication else {
        return Err(ApiError::Conflict("this session has not been authenticated yet".into()));
    };
    if let Some(erro) = authentication.ended_with_erro() {
        return Err(ApiError::Acs(Box::new(erro.clone())));
    }
    Ok(if authentication.is_final() {
        Json(authentication.to_object(&session)).into_response()
    } else {
        // A challenge or a decoupled authentication is still going: poll again.
        (StatusCode::ACCEPTED, Json(Pending::default())).into_response()
    })
}

/// `GET /demo-merchant/payments/{session_id}/messages`: the demo's timeline.
#[derive(Debug, Serialize)]
pub struct Messages {
    /// The session.
    pub session_id: String,
    /// Every EMV message of its transaction, oldest first, card number masked.
    pub messages: Vec<Recorded>,
}

async fn messages(Extract(state): Extract<State>, _: PublishableOrSecret, Path(id): Path<String>) -> Result<Json<Messages>, ApiError> {
    let session = session(&state, &id)?;
    let messages = transcript::messages(&state, &session.three_ds_server_trans_id.to_string());
    Ok(Json(Messages { session_id: session.id.to_string(), messages }))
}
