//! The session API's handlers: tokens, sessions, authenticate (through the
//! Directory Server), the challenge result, the test-card table.

use std::net::SocketAddr;
use std::time::SystemTime;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State as Extract};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use threeds_api::session::{AuthenticationObject, CreatedSession, CreatedToken, Pending, SessionObject, TestCardEntry, TestCards};
use threeds_protocol::{CardNumber, CardScheme, TransStatus};
use uuid::Uuid;

use super::keys::{Key, PublishableOrSecret, SecretKey, ToAuthenticate, ToReadChallengeResults};
use super::session::{Authenticate, Authentication, CreateSession, CreateToken, Session, SessionType};
use crate::directory_server::{self, RouteError};
use crate::support::cards::{self, Scenario, TEST_CARDS};
use crate::support::error::ApiError;
use crate::support::extract::ApiJson;
use crate::support::origin;
use crate::support::transcript::{self, party};
use crate::{AppState, State};

/// The Directory Server's ID in every session.
const DIRECTORY_SERVER_ID: &str = "M000000001";

fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::SessionNotFound(id.chars().take(40).collect()))
}

/// A live session by its ID as the path spells it.
pub fn session(state: &AppState, id: &str) -> Result<Session, ApiError> {
    let id = parse_id(id)?;
    state.sessions.get(&id).ok_or_else(|| ApiError::SessionNotFound(id.to_string()))
}

fn card_number(pan: &str) -> Result<CardNumber, ApiError> {
    CardNumber::parse(pan).map_err(|e| ApiError::invalid("pan", e.to_string()))
}

/// Why a live publishable key may not send a card number: said in every refusal.
const LIVE_KEY_TAKES_TOKENS: &str = "a live publishable key (pk_live_...) never takes a raw card number: a page that sends one puts \
     itself and the merchant's checkout in PCI DSS scope. Tokenize on a server with the secret key (POST /3ds/tokens) or in a \
     PCI-compliant vault, and send token_id; raw pan is accepted from the browser only with a test key (pk_test_...)";

/// Rule: a raw `pan` comes from the browser only with a test publishable key.
/// The secret key (a server) may send one in any mode.
fn check_pan_allowed(state: &AppState, key: Key) -> Result<(), ApiError> {
    if key == Key::Publishable && state.config.publishable_key_is_live() {
        return Err(ApiError::invalid("pan", LIVE_KEY_TAKES_TOKENS));
    }
    Ok(())
}

/// The Accept header browsers send when they navigate to a page (Firefox's; Chrome's
/// adds image types): what `browserAcceptHeader` describes.
pub const NAVIGATION_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// `browserAcceptHeader` when the page did not send one: the request's Accept header
/// when it is a page's (it names text/html), else [`NAVIGATION_ACCEPT`]. The SDK's
/// own API call (`fetch`) sends `application/json` or `*/*`, which is not the header
/// the issuer's pages will be requested with, so it is never used.
pub fn page_accept_header(headers: &HeaderMap) -> String {
    match headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        Some(accept) if accept.contains("text/html") => accept.chars().take(2048).collect(),
        _ => NAVIGATION_ACCEPT.to_owned(),
    }
}

/// `POST /3ds/tokens`.
///
/// Tokenizing takes the raw card number, so it follows the rule of `pan` in
/// `POST /3ds/sessions`: with a live publishable key it is refused (a browser that
/// tokenizes still sends the card number from the page); a server tokenizes with
/// the secret key, and the page creates its session from the `token_id`.
pub async fn create_token(
    Extract(state): Extract<State>,
    PublishableOrSecret(key): PublishableOrSecret,
    ApiJson(request): ApiJson<CreateToken>,
) -> Result<Response, ApiError> {
    check_pan_allowed(&state, key)?;
    let card = card_number(&request.pan)?;
    let id = format!("tok_{}", Uuid::new_v4().simple());
    state.tokens.insert(id.clone(), card.clone())?;
    let brand = CardScheme::from_pan(card.expose()).map(|s| s.display_name().to_owned());
    let created = CreatedToken { id, card_brand: brand, card_last4: card.last4().to_owned() };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `POST /3ds/sessions`.
pub async fn create_session(
    Extract(state): Extract<State>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    PublishableOrSecret(key): PublishableOrSecret,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CreateSession>,
) -> Result<Response, ApiError> {
    let sdk_origin = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) if origin::allowed(&state.config.sdk_origins, origin) => Some(origin.to_owned()),
        Some(origin) => {
            return Err(ApiError::invalid(
                "Origin",
                format!("{} is not an allowed SDK origin (--sdk-origin)", origin.chars().take(100).collect::<String>()),
            ));
        }
        None => None,
    };
    let (card, token_id) = match (&request.token_id, &request.pan) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid("token_id", "send token_id or pan, not both"));
        }
        (None, None) => return Err(ApiError::invalid("token_id", "token_id or pan is required")),
        (Some(token), None) => {
            let card = state.tokens.get(token).ok_or_else(|| ApiError::invalid("token_id", "unknown or expired token"))?;
            (card, Some(token.clone()))
        }
        (None, Some(pan)) => {
            check_pan_allowed(&state, key)?;
            (card_number(pan)?, None)
        }
    };
    let kind = request.kind.unwrap_or(SessionType::Customer);
    if kind == SessionType::Merchant && key != Key::Secret {
        return Err(ApiError::invalid("type", "a merchant (3RI) session is created by a server, with the secret key"));
    }
    let version = cards::version_for(card.expose());
    // A merchant-initiated (3RI) session has no cardholder and no browser.
    let browser = if kind == SessionType::Merchant {
        threeds_protocol::BrowserInfo::default()
    } else {
        match request.device.as_deref() {
            Some("browser") => {}
            Some(_) => {
                return Err(ApiError::invalid("device", "this mock serves the browser channel: device must be browser"));
            }
            None => {
                return Err(ApiError::invalid("device", "is required for customer sessions"));
            }
        }
        let device_info = request.device_info.as_ref().ok_or_else(|| ApiError::invalid("device_info", "is required for customer sessions"))?;
        // The page reports everything it reads; the AReq carries only the fields
        // of the card range's version (no browserJavascriptEnabled in 2.1.0, no
        // acceptLanguage before 2.3.1).
        let mut browser = device_info.to_browser().for_version(version);
        if browser.accept_header.is_none() {
            browser.accept_header = Some(page_accept_header(&headers));
        }
        if browser.ip.is_none() {
            browser.ip = Some(peer.ip().to_string());
        }
        if let Err(error) = browser.validate(version) {
            let field = error.error_detail();
            return Err(ApiError::invalid(format!("device_info ({field})"), error.to_string()));
        }
        browser
    };
    let id = Uuid::new_v4();
    let method_url = (kind == SessionType::Customer && cards::has_method_url(card.expose())).then(|| format!("{}/acs/method", state.acs_origin));
    let now = SystemTime::now();
    let session = Session {
        id,
        three_ds_server_trans_id: Uuid::new_v4(),
        kind,
        scheme: CardScheme::from_pan(card.expose()),
        card,
        token_id,
        version,
        browser,
        sdk_origin,
        api_origin: addressed_origin(&state, &headers),
        return_to: None,
        method_url: method_url.clone(),
        method_completed: false,
        created: now,
        modified: now,
        authentication: None,
    };
    let response = CreatedSession {
        id: id.to_string(),
        kind,
        card_brand: session.scheme.map(|s| s.display_name().to_owned()),
        method_url,
        method_notification_url: format!("{}/3ds/sessions/{id}/method-notification", session.api_origin),
        three_ds_server_transaction_id: session.three_ds_server_trans_id.to_string(),
        directory_server_id: DIRECTORY_SERVER_ID.into(),
        recommended_version: version,
    };
    tracing::info!(session = %id, card = %session.card, %version, "session created");
    let trans_id = session.three_ds_server_trans_id;
    for evicted in state.sessions.insert(id, session)? {
        state.session_by_trans_id.remove(&evicted.three_ds_server_trans_id);
    }
    state.session_by_trans_id.insert(trans_id, id)?;
    transcript::open(&state, &trans_id.to_string());
    Ok((StatusCode::CREATED, Json(response)).into_response())
}

/// This server's origin as the request's `Host` names it, when that is one of its
/// loopback names with its own port (`localhost`, `127.0.0.1`, `[::1]`); else the
/// origin it is bound at. Never a name a client made up.
fn addressed_origin(state: &State, headers: &HeaderMap) -> String {
    let port = state.server_origin.rsplit_once(':').map_or("", |(_, port)| port);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let loopback =
        ["localhost", "127.0.0.1", "[::1]"].iter().any(|name| host.strip_prefix(name).and_then(|rest| rest.strip_prefix(':')) == Some(port));
    if loopback { format!("http://{host}") } else { state.server_origin.clone() }
}

/// `GET /3ds/sessions/{id}`: the secret key reads everything; the publishable key
/// reads the session and its status only (no authentication value, ECI, message
/// extensions or processor hand-off).
pub async fn get_session(
    Extract(state): Extract<State>,
    PublishableOrSecret(key): PublishableOrSecret,
    Path(id): Path<String>,
) -> Result<Json<SessionObject>, ApiError> {
    let object = session(&state, &id)?.to_object();
    Ok(Json(match key {
        Key::Secret => object,
        Key::Publishable => object.for_publishable(),
    }))
}

/// `POST /3ds/sessions/{id}/authenticate` (secret key).
pub async fn authenticate(
    Extract(state): Extract<State>,
    _: SecretKey<ToAuthenticate>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<Authenticate>,
) -> Result<Json<AuthenticationObject>, ApiError> {
    authenticate_session(&state, &id, &request).map(Json)
}

/// Authenticates a session (the caller has shown the secret key): builds the AReq,
/// sends it to the Directory Server, records the outcome, and returns the
/// authentication object.
pub fn authenticate_session(state: &State, id: &str, request: &Authenticate) -> Result<AuthenticationObject, ApiError> {
    let current = session(state, id)?;
    if current.authentication.is_some() {
        return Err(ApiError::Conflict("this session is already authenticated; create a new session".into()));
    }
    request.check(current.scheme, current.kind)?;
    if cards::scenario_for(current.card.expose()) == Scenario::InternalError {
        return Err(ApiError::Internal("the 3DS Server could not build the AReq (test card: internal error)".into()));
    }
    let indicator = request.challenge_indicator()?;
    if !indicator.allowed_in(current.version) {
        return Err(ApiError::invalid(
            "challenge_preference",
            format!("{} needs EMV 3DS 2.2.0 or later; this card's range speaks {}", preference_name_of(request), current.version),
        ));
    }
    let areq = super::areq::build(&state.server_origin, &current.api_origin, &current, request)?;
    let trans_id = current.three_ds_server_trans_id.to_string();
    transcript::record(state, &trans_id, "AReq", party::SERVER, party::DS, areq.clone());
    // Handed to the Directory Server of this process as it is: the JSON a DS reads
    // on the wire (`POST /ds/areq`) is the same type's, tested there.
    let ares = directory_server::authenticate_areq(state, areq).map_err(|error| match error {
        RouteError::Erro(erro) => {
            transcript::record(state, &trans_id, "Erro", party::DS, party::SERVER, (*erro).clone());
            ApiError::DirectoryServer(erro)
        }
        RouteError::Busy(full) => ApiError::from(full),
    })?;
    transcript::record(state, &trans_id, "ARes", party::DS, party::SERVER, ares.clone());
    let authentication = Authentication { ares, rreq: None, challenge_indicator: indicator, cres_received: false, acs_erro: None };
    let updated = state
        .sessions
        .update(&current.id, |session| {
            session.authentication = Some(authentication);
            session.modified = SystemTime::now();
            session.clone()
        })
        .ok_or_else(|| ApiError::SessionNotFound(current.id.to_string()))?;
    updated.authentication.as_ref().map(|a| a.to_object(&updated)).ok_or_else(|| ApiError::Internal("the authentication was not recorded".into()))
}

fn preference_name_of(request: &Authenticate) -> &str {
    request.challenge_preference.as_deref().unwrap_or("no-preference")
}

/// `GET /3ds/sessions/{id}/challenge-result` (secret key): 202 while pending.
pub async fn challenge_result(
    Extract(state): Extract<State>,
    _: SecretKey<ToReadChallengeResults>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(match challenge_result_of(&state, &id)? {
        Some(result) => Json(result).into_response(),
        None => (StatusCode::ACCEPTED, Json(Pending::default())).into_response(),
    })
}

/// The final result of a session's challenge (or decoupled authentication); `None`
/// while it is still going (the client polls).
pub fn challenge_result_of(state: &AppState, id: &str) -> Result<Option<AuthenticationObject>, ApiError> {
    let session = session(state, id)?;
    let Some(authentication) = &session.authentication else {
        return Err(ApiError::Conflict("this session has not been authenticated yet".into()));
    };
    if let Some(erro) = authentication.ended_with_erro() {
        return Err(ApiError::Acs(Box::new(erro.clone())));
    }
    if !authentication.ares.trans_status.is_final() && authentication.rreq.is_none() {
        if !matches!(authentication.ares.trans_status, TransStatus::Challenge | TransStatus::Decoupled) {
            return Err(ApiError::Conflict("no challenge result for this session".into()));
        }
        return Ok(None);
    }
    if authentication.rreq.is_none() {
        return Err(ApiError::Conflict("this session was frictionless: the authenticate response is the result".into()));
    }
    Ok(Some(authentication.to_object(&session)))
}

/// `GET /3ds/test-cards`: the test-card table.
pub async fn test_cards() -> Json<TestCards> {
    let cards = TEST_CARDS
        .iter()
        .map(|card| TestCardEntry {
            pan: card.pan.into(),
            brand: card.brand.into(),
            scenario: card.scenario.name().into(),
            luhn_valid: card.luhn_valid,
            version: cards::version_for(card.pan),
            challenge: card.scenario.challenges(),
        })
        .collect();
    Json(TestCards { one_time_code: cards::ONE_TIME_CODE.into(), cards })
}
