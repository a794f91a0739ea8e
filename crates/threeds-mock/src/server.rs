//! The 3DS Server origin: the session API, the DS endpoint, and the notification
//! pages that tell the SDK host page (and only it) that a step is over.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, State as Extract};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use threeds_api::session::{AuthenticationObject, CreatedSession, CreatedToken, Pending, SessionObject, TestCardEntry, TestCards};
use threeds_api::{RELAY_VERSION, Relay};
use threeds_protocol::messages::{AReq, CRes, MethodNotification, RReq, RRes};
use threeds_protocol::{CardNumber, CardScheme, MessageCategory, codec};
use tower_http::cors::{AllowOrigin, CorsLayer};
use uuid::Uuid;

use crate::cards::{self, Scenario, TEST_CARDS};
use crate::ds::{self, CardholderAction, ChallengeStage};
use crate::error::ApiError;
use crate::session::{Authenticate, Authentication, CreateSession, CreateToken, Session, SessionType};
use crate::transcript::{self, party};
use crate::{State, html, origin};

/// The 3DS Server's routes.
pub fn router(state: &State) -> Router<State> {
    let patterns = state.config.sdk_origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| origin.to_str().is_ok_and(|origin| origin::allowed(&patterns, origin))))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, "x-api-key".parse().expect("a header name")])
        .max_age(Duration::from_secs(600));
    let api = Router::new()
        .route("/3ds/tokens", post(create_token))
        .route("/3ds/sessions", post(create_session))
        .route("/3ds/sessions/{id}", get(get_session))
        .route("/3ds/sessions/{id}/authenticate", post(authenticate))
        .route("/3ds/sessions/{id}/challenge-result", get(challenge_result))
        .route("/3ds/test-cards", get(test_cards))
        .layer(cors);
    Router::new()
        .merge(api)
        .route("/3ds/sessions/{id}/method-notification", post(method_notification))
        .route("/3ds/sessions/{id}/challenge-notification", post(challenge_notification))
        .route("/ds/areq", post(ds_areq))
        .route("/healthz", get(|| async { "3ds-server ok" }))
}

// ---- keys -------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Publishable,
    Secret,
}

fn api_key(state: &State, headers: &HeaderMap) -> Result<Key, ApiError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .ok_or(ApiError::Unauthorized)?;
    if presented == state.config.secret_key {
        Ok(Key::Secret)
    } else if presented == state.config.publishable_key {
        Ok(Key::Publishable)
    } else {
        Err(ApiError::Unauthorized)
    }
}

fn require_secret(state: &State, headers: &HeaderMap, what: &'static str) -> Result<(), ApiError> {
    match api_key(state, headers)? {
        Key::Secret => Ok(()),
        Key::Publishable => Err(ApiError::Forbidden(what)),
    }
}

/// Parses a JSON body; errors name the field (`missing field`, `unknown field`, bad type).
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return Err(ApiError::Body("Content-Type must be application/json".into()));
    }
    serde_json::from_slice(body).map_err(|error| {
        let text = error.to_string();
        match text.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
            Some(field) => ApiError::invalid(field, "is required"),
            None => ApiError::Body(text),
        }
    })
}

fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::SessionNotFound(id.chars().take(40).collect()))
}

/// A live session by its ID as the path spells it.
pub fn session(state: &State, id: &str) -> Result<Session, ApiError> {
    let id = parse_id(id)?;
    state.sessions.get(&id).ok_or_else(|| ApiError::SessionNotFound(id.to_string()))
}

// ---- session API --------------------------------------------------------------------

async fn create_token(Extract(state): Extract<State>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    api_key(&state, &headers)?;
    let request: CreateToken = json_body(&headers, &body)?;
    let card = CardNumber::parse(&request.pan).map_err(|e| ApiError::invalid("pan", e.to_string()))?;
    let id = format!("tok_{}", Uuid::new_v4().simple());
    state.tokens.insert(id.clone(), card.clone()).map_err(|_| ApiError::TooManySessions(state.config.max_sessions))?;
    let brand = CardScheme::from_pan(card.expose()).map(|s| s.display_name().to_owned());
    let created = CreatedToken { id, card_brand: brand, card_last4: card.last4().to_owned() };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn create_session(
    Extract(state): Extract<State>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    api_key(&state, &headers)?;
    let request: CreateSession = json_body(&headers, &body)?;
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
        (None, Some(pan)) => (CardNumber::parse(pan).map_err(|e| ApiError::invalid("pan", e.to_string()))?, None),
    };
    let kind = request.kind.unwrap_or(SessionType::Customer);
    if kind == SessionType::Merchant {
        return Err(ApiError::invalid("type", "this mock serves customer (browser) sessions; merchant-initiated (3RI) sessions are not modelled"));
    }
    let version = cards::version_for(card.expose());
    let browser = {
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
        let mut browser = device_info.to_browser();
        // The server, not the page, knows the Accept header the browser sent.
        if browser.accept_header.is_none() {
            browser.accept_header = Some(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("*/*").chars().take(2048).collect());
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
    let method_url = cards::has_method_url(card.expose()).then(|| format!("{}/acs/method", state.acs_origin));
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
        method_notification_url: format!("{}/3ds/sessions/{id}/method-notification", state.server_origin),
        three_ds_server_transaction_id: session.three_ds_server_trans_id.to_string(),
        directory_server_id: "M000000001".into(),
        recommended_version: version,
    };
    tracing::info!(session = %id, card = %session.card, %version, "session created");
    state.sessions.insert(id, session).map_err(|_| ApiError::TooManySessions(state.config.max_sessions))?;
    Ok((StatusCode::CREATED, Json(response)).into_response())
}

async fn get_session(Extract(state): Extract<State>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<SessionObject>, ApiError> {
    api_key(&state, &headers)?;
    Ok(Json(session(&state, &id)?.to_object()))
}

async fn authenticate(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<AuthenticationObject>, ApiError> {
    require_secret(&state, &headers, "authenticate")?;
    let request: Authenticate = json_body(&headers, &body)?;
    authenticate_session(&state, &id, &request).map(Json)
}

/// Authenticates a session (the caller has shown the secret key): builds the AReq,
/// lets the DS decide, records the outcome, and returns the authentication object.
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
    let areq = build_areq(state, &current, request)?;
    let trans_id = current.three_ds_server_trans_id.to_string();
    transcript::record(state, &trans_id, "AReq", party::SERVER, party::DS, &areq);
    // Through JSON, as on the wire to a DS.
    let decision =
        ds::decide(serde_json::to_value(&areq).map_err(|e| ApiError::Internal(e.to_string()))?, &format!("{}/acs/challenge", state.acs_origin))
            .map_err(|erro| {
                transcript::record(state, &trans_id, "Erro", party::DS, party::SERVER, &erro);
                ApiError::DirectoryServer(Box::new(erro))
            })?;
    transcript::record(state, &trans_id, "ARes", party::DS, party::SERVER, &decision.ares);
    if let Some(mut transaction) = decision.transaction.clone() {
        transaction.session_id = Some(current.id);
        let decoupled = transaction.stage == ChallengeStage::Decoupled;
        state.transactions.insert(transaction.acs_trans_id, transaction.clone()).map_err(|_| ApiError::TooManySessions(state.config.max_sessions))?;
        if decoupled {
            spawn_decoupled_confirmation(state.clone(), transaction.acs_trans_id);
        }
    }
    let authentication = Authentication { ares: decision.ares, rreq: None, challenge_indicator: indicator, cres_received: false };
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

/// The AReq the 3DS Server sends for a session.
fn build_areq(state: &State, session: &Session, request: &Authenticate) -> Result<AReq, ApiError> {
    let mut value = json!({
        "messageType": "AReq",
        "messageVersion": session.version,
        "threeDSServerTransID": session.three_ds_server_trans_id,
        "deviceChannel": "02",
        "messageCategory": if request.authentication_category == "payment" { MessageCategory::Payment } else { MessageCategory::NonPayment },
        "threeDSCompInd": session.method_completion_indicator(),
        "threeDSRequestorID": "threeds-mock-requestor",
        "threeDSRequestorName": "threeds-web demo",
        "threeDSRequestorURL": "https://threeds-web.example",
        "threeDSServerRefNumber": "threeds-mock-server",
        "threeDSServerURL": format!("{}/ds/rreq", state.server_origin),
        "threeDSRequestorChallengeInd": request.challenge_indicator()?,
        "acctNumber": session.card.expose(),
        "notificationURL": format!("{}/3ds/sessions/{}/challenge-notification", state.server_origin, session.id),
    });
    let object = value.as_object_mut().expect("an object");
    if let Some(merchant) = &request.merchant_info {
        object.insert("acquirerBIN".into(), merchant.acquirer_bin.clone().into());
        object.insert("acquirerMerchantID".into(), merchant.mid.clone().into());
        object.insert("merchantName".into(), merchant.name.clone().into());
        object.insert("mcc".into(), merchant.category_code.clone().into());
        object.insert("merchantCountryCode".into(), merchant.country_code.clone().into());
    }
    if let Some(purchase) = &request.purchase_info {
        object.insert("purchaseAmount".into(), purchase.amount.clone().into());
        object.insert("purchaseCurrency".into(), purchase.currency.clone().into());
        object.insert("purchaseExponent".into(), purchase.exponent.clone().unwrap_or_else(|| "2".into()).into());
        let date = purchase
            .date
            .clone()
            .unwrap_or_else(|| humantime::format_rfc3339_seconds(SystemTime::now()).to_string().replace(['-', ':', 'T', 'Z'], ""));
        object.insert("purchaseDate".into(), date.into());
    }
    if request.wants_decoupled(session.kind) && session.version >= threeds_protocol::MessageVersion::V2_2_0 {
        object.insert("threeDSRequestorDecReqInd".into(), "Y".into());
        object.insert("threeDSRequestorDecMaxTime".into(), format!("{:05}", request.decoupled_challenge_max_time.unwrap_or(10)).into());
    }
    let browser = serde_json::to_value(&session.browser).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Value::Object(browser) = browser {
        object.extend(browser);
    }
    serde_json::from_value(value).map_err(|e| ApiError::Internal(format!("AReq: {e}")))
}

async fn challenge_result(Extract(state): Extract<State>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    require_secret(&state, &headers, "read challenge results")?;
    Ok(match challenge_result_of(&state, &id)? {
        Some(result) => Json(result).into_response(),
        None => (StatusCode::ACCEPTED, Json(Pending::default())).into_response(),
    })
}

/// The final result of a session's challenge (or decoupled authentication); `None`
/// while it is still going (the client polls).
pub fn challenge_result_of(state: &State, id: &str) -> Result<Option<AuthenticationObject>, ApiError> {
    let session = session(state, id)?;
    let Some(authentication) = &session.authentication else {
        return Err(ApiError::Conflict("this session has not been authenticated yet".into()));
    };
    if !authentication.ares.trans_status.is_final() && authentication.rreq.is_none() {
        if !matches!(authentication.ares.trans_status, threeds_protocol::TransStatus::Challenge | threeds_protocol::TransStatus::Decoupled) {
            return Err(ApiError::Conflict("no challenge result for this session".into()));
        }
        return Ok(None);
    }
    if authentication.rreq.is_none() {
        return Err(ApiError::Conflict("this session was frictionless: the authenticate response is the result".into()));
    }
    Ok(Some(authentication.to_object(&session)))
}

async fn test_cards() -> Json<TestCards> {
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

// ---- results from the ACS -----------------------------------------------------------------

/// The 3DS Server takes an RReq (from the ACS, through the DS) and records the result.
pub fn accept_rreq(state: &State, session_id: Option<Uuid>, rreq: RReq) -> RRes {
    let rres: RRes = serde_json::from_value(json!({
        "messageType": "RRes",
        "messageVersion": rreq.message_version,
        "threeDSServerTransID": rreq.three_ds_server_trans_id,
        "acsTransID": rreq.acs_trans_id,
        "dsTransID": rreq.ds_trans_id,
        "resultsStatus": "01",
    }))
    .expect("a well-formed RRes");
    transcript::record(state, &rreq.three_ds_server_trans_id, "RReq", party::ACS, party::SERVER, &rreq);
    transcript::record(state, &rres.three_ds_server_trans_id, "RRes", party::SERVER, party::ACS, &rres);
    if let Some(id) = session_id {
        state.sessions.update(&id, |session| {
            if let Some(authentication) = &mut session.authentication
                && authentication.ares.acs_trans_id == rreq.acs_trans_id
            {
                authentication.rreq = Some(rreq);
                session.modified = SystemTime::now();
            }
        });
    }
    rres
}

/// Decoupled authentication: the issuer confirms after a while, then reports the result.
fn spawn_decoupled_confirmation(state: State, acs_trans_id: Uuid) {
    let delay = Duration::from_millis(state.config.decoupled_delay_ms);
    // Owned by the runtime; it ends by itself after `delay`, and with the server.
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        crate::acs::conclude(&state, acs_trans_id, CardholderAction::Verified);
    });
}

// ---- notification pages ---------------------------------------------------------------------

/// A page in the method or challenge iframe that posts `message` to its parent, the
/// SDK host page, with that page's exact origin as the target; never `'*'`.
fn relay_page(state: &State, target_origin: Option<&str>, message: &Relay) -> Response {
    let body = match target_origin {
        Some(origin) => {
            // JSON inside <script>: `<` escaped so no value can close the element.
            #[derive(serde::Serialize)]
            struct Payload<'a> {
                origin: &'a str,
                message: &'a Relay,
            }
            let payload = serde_json::to_string(&Payload { origin, message }).unwrap_or_default().replace('<', "\\u003c");
            format!(
                "<p>Returning to the checkout…</p>\
                 <script type=\"application/json\" id=\"relay\">{payload}</script>\
                 <script>(function(){{var r=JSON.parse(document.getElementById('relay').textContent);\
                 window.parent.postMessage(r.message,r.origin);}})();</script>"
            )
        }
        None => "<p>Done. (No SDK origin is known for this session, so no message was sent.)</p>".to_owned(),
    };
    with_frame_policy(state, Html(html::page("3-D Secure", None, &body)).into_response())
}

/// Adds the pages' security headers: who may frame them, no MIME sniffing.
pub fn with_frame_policy(state: &State, mut response: Response) -> Response {
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&state.frame_ancestors()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An error page (HTTP 400) for a notification or ACS post that cannot be used.
pub fn error_page(state: &State, status: StatusCode, message: &str) -> Response {
    let body = format!("<h1>This step could not be completed</h1><p class=\"error\">{}</p>", html::text(message));
    with_frame_policy(state, (status, Html(html::page("3-D Secure error", None, &body))).into_response())
}

#[derive(Debug, Deserialize)]
struct MethodForm {
    #[serde(rename = "threeDSMethodData")]
    three_ds_method_data: String,
}

async fn method_notification(Extract(state): Extract<State>, Path(id): Path<String>, form: Result<Form<MethodForm>, FormRejection>) -> Response {
    let Ok(Form(form)) = form else {
        return error_page(&state, StatusCode::BAD_REQUEST, "threeDSMethodData is missing from the form");
    };
    let notification = match MethodNotification::decode(&form.three_ds_method_data) {
        Ok(notification) => notification,
        Err(error) => {
            return error_page(&state, StatusCode::BAD_REQUEST, &format!("threeDSMethodData: {error}"));
        }
    };
    let Ok(session) = session(&state, &id) else {
        return error_page(&state, StatusCode::NOT_FOUND, "unknown or expired session");
    };
    if notification.three_ds_server_trans_id != session.three_ds_server_trans_id.to_string() {
        return error_page(&state, StatusCode::BAD_REQUEST, "threeDSServerTransID does not belong to this session");
    }
    transcript::record(&state, &notification.three_ds_server_trans_id, "threeDSMethodData", party::ACS, party::SERVER, &notification);
    state.sessions.update(&session.id, |s| {
        s.method_completed = true;
        s.modified = SystemTime::now();
    });
    let message = Relay::MethodNotification {
        version: RELAY_VERSION,
        session_id: session.id.to_string(),
        three_ds_server_trans_id: session.three_ds_server_trans_id.to_string(),
    };
    relay_page(&state, session.sdk_origin.as_deref(), &message)
}

#[derive(Debug, Deserialize)]
struct ChallengeForm {
    cres: String,
    #[serde(rename = "threeDSSessionData")]
    three_ds_session_data: Option<String>,
}

async fn challenge_notification(
    Extract(state): Extract<State>,
    Path(id): Path<String>,
    form: Result<Form<ChallengeForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return error_page(&state, StatusCode::BAD_REQUEST, "cres is missing from the form");
    };
    let cres: CRes = match codec::decode_json(&form.cres, 16 * 1024) {
        Ok(cres) => cres,
        Err(error) => {
            return error_page(&state, StatusCode::BAD_REQUEST, &format!("cres: {error}"));
        }
    };
    let Ok(session) = session(&state, &id) else {
        return error_page(&state, StatusCode::NOT_FOUND, "unknown or expired session");
    };
    let Some(authentication) = &session.authentication else {
        return error_page(&state, StatusCode::CONFLICT, "this session has no challenge");
    };
    if cres.three_ds_server_trans_id != session.three_ds_server_trans_id.to_string() || cres.acs_trans_id != authentication.ares.acs_trans_id {
        return error_page(&state, StatusCode::BAD_REQUEST, "the CRes does not belong to this session's transaction");
    }
    transcript::record(&state, &cres.three_ds_server_trans_id, "CRes", party::ACS, party::SERVER, &cres);
    state.sessions.update(&session.id, |s| {
        if let Some(a) = &mut s.authentication {
            a.cres_received = true;
        }
    });
    let message = Relay::ChallengeNotification {
        version: RELAY_VERSION,
        session_id: session.id.to_string(),
        three_ds_server_trans_id: cres.three_ds_server_trans_id.clone(),
        acs_trans_id: cres.acs_trans_id.clone(),
        trans_status: cres.trans_status.map(|status| status.code().to_owned()),
        three_ds_session_data: form.three_ds_session_data,
    };
    relay_page(&state, session.sdk_origin.as_deref(), &message)
}

// ---- the Directory Server ---------------------------------------------------------------

/// `POST /ds/areq`: an EMV AReq (JSON) in, its ARes or an Erro out. Protocol answers,
/// the Erro included, are HTTP 200 as EMV prescribes; a body that is not even JSON
/// is an Erro 101 too.
async fn ds_areq(Extract(state): Extract<State>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            let erro = threeds_protocol::ProtocolError::Json(error.to_string())
                .to_erro(threeds_protocol::ErrorComponent::DirectoryServer, threeds_protocol::MessageVersion::V2_2_0);
            return Json(erro).into_response();
        }
    };
    match ds::decide(value, &format!("{}/acs/challenge", state.acs_origin)) {
        Ok(decision) => {
            if let Some(transaction) = decision.transaction
                && state.transactions.insert(transaction.acs_trans_id, transaction).is_err()
            {
                return ApiError::TooManySessions(state.config.max_sessions).into_response();
            }
            Json(decision.ares).into_response()
        }
        Err(erro) => Json(erro).into_response(),
    }
}
