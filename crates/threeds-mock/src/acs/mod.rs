//! The ACS: the 3DS Method page ([`method`]), the challenge pages ([`challenge`]),
//! and the issuer's decisions ([`issuer`]). It hears from the Directory Server
//! (the AReq it routes here) and from the browser; it reports a challenge's end
//! to the 3DS Server only with the RReq, through [`AppState::post_rreq`].

pub mod challenge;
pub mod issuer;
pub mod method;

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use threeds_protocol::messages::{AReq, ARes};
use uuid::Uuid;

use crate::support::layers::page_headers;
use crate::support::store::StoreError;
use crate::{AppState, State};

pub use issuer::AcsTransaction;

/// The ACS's routes on its origin.
pub fn router(state: &State) -> Router<State> {
    let pages = Router::new()
        .route("/acs/method", post(method::method))
        .route("/acs/challenge", post(challenge::challenge))
        .route("/acs/challenge/{id}/code", post(challenge::submit_code))
        .route("/acs/challenge/{id}/approve", post(challenge::approve))
        .route("/acs/challenge/{id}/cancel", post(challenge::cancel))
        .layer(page_headers(state));
    pages.route("/healthz", get(|| async { "acs ok" }))
}

/// Where the ACS takes CReqs.
pub fn challenge_url(state: &AppState) -> String {
    format!("{}/acs/challenge", state.acs_origin)
}

/// Answers an AReq the Directory Server routed here, and keeps the transaction
/// when it challenges; a decoupled one is confirmed by the issuer after a while.
pub fn authenticate(state: &State, areq: &AReq) -> Result<ARes, StoreError> {
    let decision = issuer::decide(areq, &challenge_url(state));
    if let Some(transaction) = decision.transaction {
        let decoupled = transaction.stage == issuer::ChallengeStage::Decoupled;
        let id = transaction.acs_trans_id;
        state.transactions.insert(id, transaction)?;
        if decoupled {
            spawn_decoupled_confirmation(state.clone(), id);
        }
    }
    Ok(decision.ares)
}

/// Decoupled authentication: the issuer confirms after a while, then reports the result.
fn spawn_decoupled_confirmation(state: State, acs_trans_id: Uuid) {
    let delay = Duration::from_millis(state.config.decoupled_delay_ms);
    // Owned by the runtime; it ends by itself after `delay`, and with the server.
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        challenge::conclude(&state, acs_trans_id, issuer::CardholderAction::Verified);
    });
}
