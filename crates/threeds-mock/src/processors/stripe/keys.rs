//! The Stripe emulation's keys, as Stripe takes them: `Authorization: Bearer
//! sk_...`, or basic auth with the key as the user name (`curl -u sk_...:`).
//! Compared in constant time; anything else is Stripe's 401.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine as _;

use super::error::StripeError;
use crate::State;
use crate::three_ds_server::keys::constant_time_eq;

/// Which of the emulation's keys a request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StripeKey {
    /// The secret key: every call.
    Secret,
    /// The publishable key: reads an intent with its client secret.
    Publishable,
}

/// The key of `Authorization`: a bearer token, or a basic-auth user name.
fn presented(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    if let Some(token) = value.strip_prefix("Bearer ") {
        return Some(token.trim().to_owned());
    }
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    Some(text.split(':').next().unwrap_or_default().to_owned())
}

/// The key `presented` is, checked against both keys in constant time.
pub fn check(presented: Option<&str>, secret: &str, publishable: &str) -> Result<StripeKey, StripeError> {
    let Some(key) = presented.filter(|k| !k.is_empty()) else { return Err(StripeError::bad_key(None)) };
    // Both comparisons always run, so the timing does not tell which key matched.
    let is_secret = constant_time_eq(key.as_bytes(), secret.as_bytes());
    let is_publishable = constant_time_eq(key.as_bytes(), publishable.as_bytes());
    match (is_secret, is_publishable) {
        (true, _) => Ok(StripeKey::Secret),
        (false, true) => Ok(StripeKey::Publishable),
        (false, false) => Err(StripeError::bad_key(Some(key))),
    }
}

impl FromRequestParts<State> for StripeKey {
    type Rejection = StripeError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        check(presented(parts).as_deref(), &state.config.stripe_secret_key, &state.config.stripe_publishable_key)
    }
}

/// The secret key; the publishable key is Stripe's 401 `secret_key_required`.
#[derive(Debug, Clone, Copy)]
pub struct SecretKey;

impl FromRequestParts<State> for SecretKey {
    type Rejection = StripeError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Self::Rejection> {
        match StripeKey::from_request_parts(parts, state).await? {
            StripeKey::Secret => Ok(Self),
            StripeKey::Publishable => Err(StripeError::needs_secret_key()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(check(Some("sk_a"), "sk_a", "pk_a").unwrap(), StripeKey::Secret);
        assert_eq!(check(Some("pk_a"), "sk_a", "pk_a").unwrap(), StripeKey::Publishable);
        assert_eq!(check(Some("sk_b"), "sk_a", "pk_a").unwrap_err().status, axum::http::StatusCode::UNAUTHORIZED);
        assert!(check(None, "sk_a", "pk_a").unwrap_err().message.starts_with("You did not provide an API key"));
        assert!(check(Some(""), "sk_a", "pk_a").is_err());
    }
}
