//! Origin patterns for `--embed-origin` and `--sdk-origin`: an exact origin, or one
//! with `*` for the port (`http://127.0.0.1:*`).

use std::fmt;
use std::str::FromStr;

use url::Url;

/// An origin, or an origin with any port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    host: String,
    /// `None` matches any port.
    port: Option<u16>,
}

impl OriginPattern {
    /// Whether `origin` (as a browser sends it: `scheme://host[:port]`) matches.
    pub fn matches(&self, origin: &str) -> bool {
        let Ok(url) = Url::parse(origin) else { return false };
        // An origin has no path, query or credentials.
        if !matches!(url.path(), "" | "/") || url.query().is_some() || !url.username().is_empty() {
            return false;
        }
        url.scheme() == self.scheme
            && url.host_str() == Some(self.host.as_str())
            && self.port.is_none_or(|port| url.port_or_known_default() == Some(port))
    }

    /// The CSP source expression (`frame-ancestors`).
    pub fn csp_source(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}:*", self.scheme, self.host),
        }
    }
}

impl FromStr for OriginPattern {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (wildcard, parseable) = match s.strip_suffix(":*") {
            Some(rest) => (true, rest.to_owned()),
            None => (false, s.to_owned()),
        };
        let url = Url::parse(&parseable).map_err(|e| format!("{s:?} is not an origin: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || !matches!(url.path(), "" | "/") || url.query().is_some() {
            return Err(format!("{s:?} is not an origin (scheme://host[:port], or :* for any port)"));
        }
        let host = url.host_str().ok_or_else(|| format!("{s:?} has no host"))?.to_owned();
        Ok(Self { scheme: url.scheme().to_owned(), host, port: if wildcard { None } else { url.port_or_known_default() } })
    }
}

impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.csp_source())
    }
}

/// Whether any pattern matches.
pub fn allowed(patterns: &[OriginPattern], origin: &str) -> bool {
    patterns.iter().any(|pattern| pattern.matches(origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_any_port() {
        let any: OriginPattern = "http://127.0.0.1:*".parse().unwrap();
        assert!(any.matches("http://127.0.0.1:8080"));
        assert!(any.matches("http://127.0.0.1:39123"));
        assert!(!any.matches("http://localhost:8080"));
        assert!(!any.matches("https://127.0.0.1:8080"));
        assert!(!any.matches("http://127.0.0.1.evil.example:8080"));
        let exact: OriginPattern = "https://shop.example".parse().unwrap();
        assert!(exact.matches("https://shop.example"));
        assert!(exact.matches("https://shop.example:443"));
        assert!(!exact.matches("https://shop.example:8443"));
        assert!(!exact.matches("null"));
        assert!(!exact.matches("https://shop.example/path"));
        assert_eq!(exact.csp_source(), "https://shop.example:443");
        assert!("ftp://x".parse::<OriginPattern>().is_err());
        assert!("https://x/path".parse::<OriginPattern>().is_err());
    }
}
