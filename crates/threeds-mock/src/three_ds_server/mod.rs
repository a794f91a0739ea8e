//! The 3DS Server: the session API (keys checked by [`keys`]), the AReq it builds
//! for a session ([`areq`]), the notification pages the ACS posts to
//! ([`notification`]), and its results endpoint for the ACS's RReq ([`results`]).
//! Processors that host the cardholder's 3DS page themselves run it through
//! [`hosted`].
//!
//! It reaches the Directory Server only with the AReq, and hears from the ACS only
//! through the RReq.

pub mod api;
pub mod areq;
pub mod faults;
pub mod hosted;
pub mod keys;
pub mod notification;
pub mod results;
pub mod session;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{any, get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::State;
use crate::support::layers::page_headers;
use crate::support::origin;

pub use results::accept_rreq;
pub use session::Session;

/// The 3DS Server's routes on its origin.
pub fn router(state: &State) -> Router<State> {
    let patterns = state.config.sdk_origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| origin.to_str().is_ok_and(|origin| origin::allowed(&patterns, origin))))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, HeaderName::from_static("x-api-key")])
        .max_age(Duration::from_secs(600));
    let api = Router::new()
        .route("/3ds/tokens", post(api::create_token))
        .route("/3ds/sessions", post(api::create_session))
        .route("/3ds/sessions/{id}", get(api::get_session))
        .route("/3ds/sessions/{id}/authenticate", post(api::authenticate))
        .route("/3ds/sessions/{id}/challenge-result", get(api::challenge_result))
        .route("/3ds/test-cards", get(api::test_cards));
    let api = if state.config.faults { api.route("/faults/{kind}/{*rest}", any(faults::answer)) } else { api }.layer(cors);
    let pages = Router::new()
        .route("/3ds/sessions/{id}/method-notification", post(notification::method_notification))
        .route("/3ds/sessions/{id}/challenge-notification", post(notification::challenge_notification))
        .route("/3ds/sessions/{id}/hosted-challenge", get(hosted::challenge_page))
        .layer(page_headers(state));
    Router::new().merge(api).merge(pages).route("/healthz", get(|| async { "3ds-server ok" }))
}
