//! The ACS: the 3DS Method page ([`method`]), the challenge pages ([`challenge`]),
//! and the issuer's decisions ([`issuer`]). It hears from the Directory Server
//! (the AReq it routes here) and from the browser; it reports a challenge's end
//! to the 3DS Server only with the RReq, through [`AppState::post_rreq`].

pub mod challenge;
pub mod exemptions;
pub mod issuer;
pub mod method;

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use threeds_protocol::CardNumber;
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

/// The issuer's settings from the command line.
pub fn settings(state: &AppState) -> exemptions::Settings {
    exemptions::Settings { acquirer_fraud_rate: state.config.acquirer_fraud_rate }
}

/// What the issuer remembers of the AReq's card.
fn card_memory(state: &AppState, areq: &AReq) -> exemptions::CardMemory {
    areq.acct_number.as_ref().and_then(|card| state.card_memory.get(card)).unwrap_or_default()
}

/// Changes what the issuer remembers of `card`.
pub fn remember(state: &AppState, card: &CardNumber, change: impl FnOnce(&mut exemptions::CardMemory)) {
    let mut change = Some(change);
    let mut apply = |memory: &mut exemptions::CardMemory| {
        if let Some(change) = change.take() {
            change(memory);
        }
    };
    if state.card_memory.update(card, &mut apply).is_none() {
        let mut memory = exemptions::CardMemory::default();
        apply(&mut memory);
        // The store makes room by forgetting its oldest cards; it never refuses.
        let _ = state.card_memory.insert(card.clone(), memory);
    }
}

/// Answers an AReq the Directory Server routed here, and keeps the transaction
/// when it challenges; a decoupled one is confirmed by the issuer after a while.
/// A granted exemption is recorded against the card.
pub fn authenticate(state: &State, areq: &AReq) -> Result<ARes, StoreError> {
    let decision = issuer::decide_with(areq, &challenge_url(state), &settings(state), &card_memory(state, areq));
    if let (Some((exemption, amount)), Some(card)) = (decision.exemption, areq.acct_number.as_ref()) {
        tracing::info!(%card, exemption = exemption.name(), "exemption granted");
        remember(state, card, |memory| memory.record(exemption, amount));
    }
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
