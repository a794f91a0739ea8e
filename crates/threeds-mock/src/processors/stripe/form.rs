//! Stripe's request parameters: `application/x-www-form-urlencoded` pairs with
//! bracket keys (`payment_method_options[card][three_d_secure][version]`,
//! `expand[]`), read by their full key. Every parameter must be read once; what
//! is left is Stripe's `parameter_unknown`. Pure.

use super::error::StripeError;

/// The pairs of one request, in order.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    read: Vec<bool>,
}

impl Params {
    /// Parses a form body (or a query string).
    pub fn parse(body: &[u8]) -> Self {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
        let read = vec![false; pairs.len()];
        Self { pairs, read }
    }

    /// The value of `key` (the last one when repeated), marked read.
    pub fn take(&mut self, key: &str) -> Option<String> {
        let mut found = None;
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if name == key {
                self.read[i] = true;
                found = Some(value.clone());
            }
        }
        found
    }

    /// The value of `key`; Stripe's `parameter_missing` when absent or empty.
    pub fn require(&mut self, key: &str) -> Result<String, StripeError> {
        self.take(key).filter(|v| !v.is_empty()).ok_or_else(|| StripeError::missing(key))
    }

    /// A list parameter: `key[]=a&key[]=b`, or `key[0]=a&key[1]=b`.
    pub fn take_list(&mut self, key: &str) -> Vec<String> {
        let mut values = Vec::new();
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            let Some(rest) = name.strip_prefix(key).and_then(|rest| rest.strip_prefix('[')).and_then(|rest| rest.strip_suffix(']')) else {
                continue;
            };
            if rest.is_empty() || rest.bytes().all(|b| b.is_ascii_digit()) {
                self.read[i] = true;
                values.push(value.clone());
            }
        }
        values
    }

    /// A hash parameter of plain values: `key[name]=value` pairs.
    pub fn take_map(&mut self, key: &str) -> Vec<(String, String)> {
        let mut values = Vec::new();
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            let Some(rest) = name.strip_prefix(key).and_then(|rest| rest.strip_prefix('[')).and_then(|rest| rest.strip_suffix(']')) else {
                continue;
            };
            if !rest.is_empty() && !rest.contains('[') && !rest.contains(']') {
                self.read[i] = true;
                values.push((rest.to_owned(), value.clone()));
            }
        }
        values
    }

    /// Marks every `key[...]` parameter read (a hash the emulation takes and does not keep).
    pub fn take_all(&mut self, key: &str) {
        let prefix = format!("{key}[");
        for (i, (name, _)) in self.pairs.iter().enumerate() {
            if name.starts_with(&prefix) {
                self.read[i] = true;
            }
        }
    }

    /// Whether any parameter starts with `prefix` (read or not).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.pairs.iter().any(|(name, _)| name.starts_with(prefix))
    }

    /// A boolean: `true` or `false`, as Stripe takes them.
    pub fn take_bool(&mut self, key: &str) -> Result<Option<bool>, StripeError> {
        match self.take(key).as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(StripeError::invalid_boolean(key, other)),
        }
    }

    /// A non-negative integer.
    pub fn take_integer(&mut self, key: &str) -> Result<Option<u64>, StripeError> {
        match self.take(key) {
            None => Ok(None),
            Some(text) => text.parse::<u64>().map(Some).map_err(|_| StripeError::invalid_integer(key, &text)),
        }
    }

    /// One of `allowed`.
    pub fn take_enum(&mut self, key: &str, allowed: &[&str]) -> Result<Option<String>, StripeError> {
        match self.take(key) {
            None => Ok(None),
            Some(value) if allowed.contains(&value.as_str()) => Ok(Some(value)),
            Some(value) => Err(StripeError::invalid_enum(key, &value, allowed)),
        }
    }

    /// Stripe's `parameter_unknown` for the first parameter not read.
    pub fn finish(self) -> Result<(), StripeError> {
        match self.pairs.iter().zip(&self.read).find(|(_, read)| !**read) {
            Some(((name, _), _)) => Err(StripeError::unknown(name)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_keys_lists_and_unknowns() {
        let mut params = Params::parse(
            b"amount=2000&payment_method_options%5Bcard%5D%5Bthree_d_secure%5D%5Bcryptogram%5D=CJSJbzXT6TRQlvZDX%2BZdOG4QriE%3D\
              &expand[]=latest_charge&expand[1]=customer&metadata[order]=42&confirm=true&extra=1",
        );
        assert_eq!(params.take_integer("amount").unwrap(), Some(2000));
        assert_eq!(params.take("payment_method_options[card][three_d_secure][cryptogram]").as_deref(), Some("CJSJbzXT6TRQlvZDX+ZdOG4QriE="));
        assert_eq!(params.take_list("expand"), ["latest_charge", "customer"]);
        assert_eq!(params.take_map("metadata"), [("order".to_owned(), "42".to_owned())]);
        assert_eq!(params.take_bool("confirm").unwrap(), Some(true));
        let error = params.finish().unwrap_err();
        assert_eq!((error.code.as_deref(), error.param.as_deref()), (Some("parameter_unknown"), Some("extra")));
    }

    #[test]
    fn values_are_checked() {
        let mut params = Params::parse(b"amount=12x&confirm=yes&capture_method=later&currency=");
        assert_eq!(params.take_integer("amount").unwrap_err().code.as_deref(), Some("parameter_invalid_integer"));
        assert_eq!(params.take_bool("confirm").unwrap_err().param.as_deref(), Some("confirm"));
        assert_eq!(params.take_enum("capture_method", &["automatic", "manual"]).unwrap_err().param.as_deref(), Some("capture_method"));
        assert_eq!(params.require("currency").unwrap_err().code.as_deref(), Some("parameter_missing"));
        assert!(params.finish().is_ok());
    }
}
