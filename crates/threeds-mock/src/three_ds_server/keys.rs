//! The session API's keys, checked by extractors before a handler runs: the
//! publishable key (safe in a browser) or the secret key (servers only).

use std::borrow::Cow;
use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::State;
use crate::support::error::ApiError;

/// Which key a request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The publishable key: creates and reads sessions.
    Publishable,
    /// The secret key: also authenticates and reads results.
    Secret,
}

/// Either key; anything else is HTTP 401.
#[derive(Debug, Clone, Copy)]
pub struct PublishableOrSecret(pub Key);

/// The secret key, for the operation `Op` names; the publishable key is HTTP 403.
#[derive(Debug, Clone, Copy)]
pub struct SecretKey<Op>(PhantomData<Op>);

/// An operation that needs the secret key, named in the 403 answer.
pub trait SecretOperation {
    /// What a publishable key cannot do, as in "a publishable key cannot {WHAT}".
    const WHAT: &'static str;
}

/// `POST /3ds/sessions/{id}/authenticate`.
#[derive(Debug, Clone, Copy)]
pub enum ToAuthenticate {}

impl SecretOperation for ToAuthenticate {
    const WHAT: &'static str = "authenticate";
}

/// `GET /3ds/sessions/{id}/challenge-result`.
#[derive(Debug, Clone, Copy)]
pub enum ToReadChallengeResults {}

impl SecretOperation for ToReadChallengeResults {
    const WHAT: &'static str = "read challenge results";
}

/// `POST /ds/areq`: the Directory Server answers registered 3DS Servers only.
#[derive(Debug, Clone, Copy)]
pub enum ToSendAReq {}

impl SecretOperation for ToSendAReq {
    const WHAT: &'static str = "send an AReq to the Directory Server";
}

/// The key presented as `Authorization: Bearer <key>` or `X-API-Key` (a header
/// wins), else as a `key` query parameter (`true`): the SDK's way, since a browser
/// request with no header of its own needs no CORS preflight, a round trip less.
fn presented(parts: &Parts) -> Option<(Cow<'_, str>, bool)> {
    let headers = &parts.headers;
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()));
    if let Some(key) = header {
        return Some((Cow::Borrowed(key), false));
    }
    let query = parts.uri.query()?;
    url::form_urlencoded::parse(query.as_bytes()).find(|(name, _)| name == "key").map(|(_, key)| (key, true))
}

/// Equal in time that depends only on the lengths, never on where the bytes differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn key_of(parts: &Parts, state: &State) -> Result<Key, ApiError> {
    let (presented, in_url) = presented(parts).ok_or(ApiError::Unauthorized)?;
    // Both comparisons always run, so the timing does not tell which key matched.
    let secret = constant_time_eq(presented.as_bytes(), state.config.secret_key.as_bytes());
    let publishable = constant_time_eq(presented.as_bytes(), state.config.publishable_key.as_bytes());
    match (secret, publishable) {
        // URLs are logged (servers, proxies): a secret key there is refused, not used.
        (true, _) if in_url => Err(ApiError::SecretKeyInUrl),
        (true, _) => Ok(Key::Secret),
        (false, true) => Ok(Key::Publishable),
        (false, false) => Err(ApiError::Unauthorized),
    }
}

impl FromRequestParts<State> for PublishableOrSecret {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        key_of(parts, state).map(Self)
    }
}

impl<Op: SecretOperation + Send + Sync> FromRequestParts<State> for SecretKey<Op> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        match key_of(parts, state)? {
            Key::Secret => Ok(Self(PhantomData)),
            Key::Publishable => Err(ApiError::Forbidden(Op::WHAT)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_is_eq() {
        assert!(constant_time_eq(b"sk_test", b"sk_test"));
        assert!(!constant_time_eq(b"sk_test", b"sk_tesT"));
        assert!(!constant_time_eq(b"sk_test", b"sk_tes"));
        assert!(constant_time_eq(b"", b""));
    }
}
