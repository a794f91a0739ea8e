//! Processor-hosted authentication: a processor (the Stripe or Checkout.com
//! emulations) runs 3-D Secure through this 3DS Server for a card it holds, with
//! no SDK on the merchant's page. It starts a session with the browser data its
//! own page read ([`start`]), and when the ACS asks for a challenge it sends the
//! cardholder to [`challenge_page_url`]: the processor's "bank page", which posts
//! the CReq to the ACS. When the challenge ends, the notification endpoint sends
//! the cardholder on to the processor's `return_to` URL (instead of the SDK
//! relay page); the processor reads the outcome there with [`outcome`].

use std::time::SystemTime;

use axum::extract::{Path, Query, State as Extract};
use axum::response::Html;
use serde::Deserialize;
use threeds_protocol::messages::CReq;
use threeds_protocol::{BrowserInfo, CardNumber, CardScheme, ChallengeWindowSize, TransStatus, codec};
use uuid::Uuid;

use super::api::{authenticate_session, session};
use super::session::{Authenticate, AuthenticationObject, Session, SessionType};
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
