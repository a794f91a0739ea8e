//! "Import 3DS results": `payment_method_options[card][three_d_secure]` and
//! `payment_method_options[card][network]` read and checked by Stripe's rules,
//! and what the charge reports of them. Pure.
//!
//! The rules, as Stripe documents them:
//! - `version` (`1.0.2`, `2.1.0`, `2.2.0`, `2.3.0`, `2.3.1`), `cryptogram` (the
//!   CAVV / AAV, 28 characters of base64) and `transaction_id` (the dsTransID, a
//!   UUID; the XID in 3DS 1) are required;
//! - `electronic_commerce_indicator` is `01`, `02`, `05`, `06` or `07`;
//! - `exemption_indicator` is `low_risk` or `none`;
//! - `requestor_challenge_indicator` is two digits, `01`-`99`;
//! - `ares_trans_status` is one of `A`, `C`, `I`, `N`, `R`, `U`, `Y`;
//! - `network` is a network the card can be processed on;
//! - Cartes Bancaires outcomes need `network=cartes_bancaires` and `cb_avalgo`
//!   (`0`-`4` or `A`); `cb_exemption` is a 3-byte bitmap in base64 (4
//!   characters), `cb_score` 0-99;
//! - `exemption_indicator=none` with a `cb_exemption` that flags a low-risk
//!   exemption is rejected;
//! - a low-risk exemption (claimed, or inferred from `cb_exemption`) is applied
//!   (`exemption_indicator_applied`) except for the card that fails Stripe's
//!   transaction risk analysis, 4000 0000 0001 6123.

use serde::Serialize;
use serde_json::{Value, json};
use threeds_protocol::handoff::{CartesBancaires, is_authentication_value, is_uuid};

use super::cards;
use super::error::StripeError;
use super::form::Params;

/// Where the parameters live.
pub const PREFIX: &str = "payment_method_options[card][three_d_secure]";
/// The network parameter.
pub const NETWORK: &str = "payment_method_options[card][network]";
const CB_PREFIX: &str = "payment_method_options[card][three_d_secure][network_options][cartes_bancaires]";

const VERSIONS: [&str; 5] = ["1.0.2", "2.1.0", "2.2.0", "2.3.0", "2.3.1"];
const ECIS: [&str; 5] = ["01", "02", "05", "06", "07"];
const EXEMPTIONS: [&str; 2] = ["low_risk", "none"];
const ARES_STATUSES: [&str; 7] = ["A", "C", "I", "N", "R", "U", "Y"];
const CB_AVALGO: [&str; 6] = ["0", "1", "2", "3", "4", "A"];
/// Stripe's `network` values.
pub const NETWORKS: [&str; 11] =
    ["amex", "cartes_bancaires", "diners", "discover", "eftpos_au", "interac", "jcb", "mastercard", "unionpay", "unknown", "visa"];

/// An imported 3DS result, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// `version`.
    pub version: String,
    /// `electronic_commerce_indicator`.
    pub electronic_commerce_indicator: Option<String>,
    /// `transaction_id`.
    pub transaction_id: String,
    /// `exemption_indicator`: as given, or `low_risk` inferred from `cb_exemption`.
    pub exemption_indicator: Option<String>,
    /// Whether Stripe requested the low-risk exemption from the issuer.
    pub exemption_indicator_applied: bool,
    /// `requestor_challenge_indicator`.
    pub requestor_challenge_indicator: Option<String>,
    /// `ares_trans_status`.
    pub ares_trans_status: Option<String>,
    /// `payment_method_options[card][network]`.
    pub network: Option<String>,
    /// `network_options[cartes_bancaires]`.
    pub cartes_bancaires: Option<CartesBancaires>,
}

fn key(name: &str) -> String {
    format!("{PREFIX}[{name}]")
}

fn cb_key(name: &str) -> String {
    format!("{CB_PREFIX}[{name}]")
}

/// Whether the request carries a 3DS result to import.
pub fn present(params: &Params) -> bool {
    params.has_prefix(PREFIX)
}

/// Reads `payment_method_options[card][network]` alone (it is also taken without
/// an import), checked against the card's networks.
pub fn read_network(params: &mut Params, pan: Option<&str>) -> Result<Option<String>, StripeError> {
    let Some(network) = params.take_enum(NETWORK, &NETWORKS)? else { return Ok(None) };
    if let Some(pan) = pan
        && !cards::networks(pan).contains(&network.as_str())
    {
        return Err(StripeError::invalid(NETWORK, format!("The network `{network}` is not available for this card.")));
    }
    Ok(Some(network))
}

/// Reads and checks the 3DS result for the card `pan`; `network` is what
/// [`read_network`] read.
pub fn read(params: &mut Params, pan: &str, network: Option<&str>) -> Result<Imported, StripeError> {
    let version = params.require(&key("version"))?;
    if !VERSIONS.contains(&version.as_str()) {
        return Err(StripeError::invalid_enum(&key("version"), &version, &VERSIONS));
    }
    let cryptogram = params.require(&key("cryptogram"))?;
    if !is_authentication_value(&cryptogram) {
        return Err(StripeError::invalid(
            &key("cryptogram"),
            "Invalid cryptogram: must be the 28-character base64 authentication value (CAVV / AAV).",
        ));
    }
    let transaction_id = params.require(&key("transaction_id"))?;
    let id_ok = if version == "1.0.2" { is_authentication_value(&transaction_id) } else { is_uuid(&transaction_id) };
    if !id_ok {
        let rule = if version == "1.0.2" { "the XID, 28 characters of base64" } else { "the Directory Server transaction ID (dsTransID), a UUID" };
        return Err(StripeError::invalid(&key("transaction_id"), format!("Invalid transaction_id: must be {rule}.")));
    }
    let electronic_commerce_indicator = params.take_enum(&key("electronic_commerce_indicator"), &ECIS)?;
    let exemption_indicator = params.take_enum(&key("exemption_indicator"), &EXEMPTIONS)?;
    let requestor_challenge_indicator = params.take(&key("requestor_challenge_indicator"));
    if let Some(indicator) = &requestor_challenge_indicator
        && !(indicator.len() == 2 && indicator.bytes().all(|b| b.is_ascii_digit()) && indicator != "00")
    {
        return Err(StripeError::invalid(&key("requestor_challenge_indicator"), "Invalid requestor_challenge_indicator: must be 2 digits, 01-99."));
    }
    let ares_trans_status = params.take_enum(&key("ares_trans_status"), &ARES_STATUSES)?;
    let cartes_bancaires = read_cartes_bancaires(params)?;
    let is_cb = network == Some("cartes_bancaires");
    match (&cartes_bancaires, is_cb) {
        (Some(_), false) => {
            return Err(StripeError::invalid(
                NETWORK,
                "network_options[cartes_bancaires] needs payment_method_options[card][network]=cartes_bancaires.",
            ));
        }
        (None, true) => return Err(StripeError::missing(&cb_key("cb_avalgo"))),
        _ => {}
    }
    let cb_low_risk = match &cartes_bancaires {
        Some(cb) => cb.is_low_risk_exemption().map_err(|_| {
            StripeError::invalid(&cb_key("cb_exemption"), "Invalid cb_exemption: must be a 3-byte bitmap, base64-encoded (4 characters).")
        })?,
        None => false,
    };
    if exemption_indicator.as_deref() == Some("none") && cb_low_risk {
        return Err(StripeError::invalid(
            &key("exemption_indicator"),
            "exemption_indicator is `none`, but cb_exemption indicates a low-risk exemption: they must indicate the same exempted status.",
        ));
    }
    let exemption_indicator = exemption_indicator.or_else(|| cb_low_risk.then(|| "low_risk".to_owned()));
    let low_risk = exemption_indicator.as_deref() == Some("low_risk");
    let fails_tra = cards::by_pan(pan).is_some_and(|card| card.fails_tra);
    Ok(Imported {
        version,
        electronic_commerce_indicator,
        transaction_id,
        exemption_indicator_applied: low_risk && !fails_tra,
        exemption_indicator,
        requestor_challenge_indicator,
        ares_trans_status,
        network: network.map(str::to_owned),
        cartes_bancaires,
    })
}

fn read_cartes_bancaires(params: &mut Params) -> Result<Option<CartesBancaires>, StripeError> {
    if !params.has_prefix(CB_PREFIX) {
        return Ok(None);
    }
    let cb_avalgo = params.require(&cb_key("cb_avalgo"))?;
    if !CB_AVALGO.contains(&cb_avalgo.as_str()) {
        return Err(StripeError::invalid_enum(&cb_key("cb_avalgo"), &cb_avalgo, &CB_AVALGO));
    }
    let cb_score = match params.take_integer(&cb_key("cb_score"))? {
        Some(score) if score > 99 => return Err(StripeError::invalid(&cb_key("cb_score"), "Invalid cb_score: must be 0-99.")),
        score => score.map(|s| s as u8),
    };
    let cb_exemption = params.take(&cb_key("cb_exemption"));
    Ok(Some(CartesBancaires { cb_avalgo, cb_score, cb_exemption }))
}

impl Imported {
    /// Stripe's `result`: the ECI tells an authentication (05, 02) from an
    /// attempt (06, 01); an applied low-risk exemption without one is `exempted`.
    pub fn result(&self) -> &'static str {
        match (self.electronic_commerce_indicator.as_deref(), self.ares_trans_status.as_deref()) {
            (Some("06" | "01"), _) | (None, Some("A")) => "attempt_acknowledged",
            (Some("05" | "02"), _) => "authenticated",
            _ if self.exemption_indicator.as_deref() == Some("low_risk") => "exempted",
            _ => "authenticated",
        }
    }

    /// The charge's `payment_method_details.card.three_d_secure`.
    pub fn to_charge_details(&self) -> Value {
        let result = self.result();
        json!({
            "authentication_flow": null,
            "electronic_commerce_indicator": self.electronic_commerce_indicator,
            "exemption_indicator": self.exemption_indicator,
            "exemption_indicator_applied": self.exemption_indicator_applied,
            "result": result,
            "result_reason": null,
            "transaction_id": self.transaction_id,
            "version": self.version,
            "authenticated": result == "authenticated",
            "succeeded": true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISA_IMPORT: &str = "payment_method_options[card][three_d_secure][version]=2.1.0\
        &payment_method_options[card][three_d_secure][electronic_commerce_indicator]=05\
        &payment_method_options[card][three_d_secure][cryptogram]=CJSJbzXT6TRQlvZDX%2BZdOG4QriE%3D\
        &payment_method_options[card][three_d_secure][transaction_id]=aaa65c7b-b0fc-4e71-bd6c-29c87acad489";

    const CB_IMPORT: &str = "payment_method_options[card][network]=cartes_bancaires\
        &payment_method_options[card][three_d_secure][version]=2.2.0\
        &payment_method_options[card][three_d_secure][electronic_commerce_indicator]=05\
        &payment_method_options[card][three_d_secure][cryptogram]=CJSJbzXT6TRQlvZDX%2BZdOG4QriE%3D\
        &payment_method_options[card][three_d_secure][transaction_id]=aaa65c7b-b0fc-4e71-bd6c-29c87acad489\
        &payment_method_options[card][three_d_secure][requestor_challenge_indicator]=02\
        &payment_method_options[card][three_d_secure][ares_trans_status]=Y\
        &payment_method_options[card][three_d_secure][network_options][cartes_bancaires][cb_avalgo]=1\
        &payment_method_options[card][three_d_secure][network_options][cartes_bancaires][cb_score]=9\
        &payment_method_options[card][three_d_secure][network_options][cartes_bancaires][cb_exemption]=BAAA";

    /// Reads `body` (with `extra` pairs appended, `-key` pairs removed) for `pan`.
    fn import(body: &str, pan: &str, change: &[&str]) -> Result<Imported, StripeError> {
        let mut pairs: Vec<String> = body.split('&').map(str::to_owned).collect();
        for item in change {
            if let Some(name) = item.strip_prefix('-') {
                pairs.retain(|pair| !pair.starts_with(&format!("{name}=")));
            } else {
                let name = item.split('=').next().unwrap_or_default();
                pairs.retain(|pair| !pair.starts_with(&format!("{name}=")));
                pairs.push((*item).to_owned());
            }
        }
        let mut params = Params::parse(pairs.join("&").as_bytes());
        let network = read_network(&mut params, Some(pan))?;
        let imported = read(&mut params, pan, network.as_deref())?;
        params.finish()?;
        Ok(imported)
    }

    fn param_of(result: Result<Imported, StripeError>) -> String {
        result.unwrap_err().param.clone().unwrap_or_default()
    }

    #[test]
    fn the_documented_examples_import() {
        let visa = import(VISA_IMPORT, "4000002760003184", &[]).unwrap();
        assert_eq!((visa.version.as_str(), visa.result(), visa.exemption_indicator_applied), ("2.1.0", "authenticated", false));
        let cb = import(CB_IMPORT, "4000002500001001", &[]).unwrap();
        assert_eq!(cb.network.as_deref(), Some("cartes_bancaires"));
        assert_eq!(cb.cartes_bancaires.as_ref().map(|c| (c.cb_avalgo.as_str(), c.cb_score)), Some(("1", Some(9))));
        // BAAA flags a low-risk exemption: Stripe infers exemption_indicator.
        assert_eq!((cb.exemption_indicator.as_deref(), cb.exemption_indicator_applied), (Some("low_risk"), true));
        let details = cb.to_charge_details();
        assert_eq!(details["transaction_id"], "aaa65c7b-b0fc-4e71-bd6c-29c87acad489");
        assert!(details.get("cryptogram").is_none(), "the cryptogram is never echoed");
    }

    #[test]
    fn required_parameters() {
        for name in ["version", "cryptogram", "transaction_id"] {
            let param = param_of(import(VISA_IMPORT, "4242424242424242", &[&format!("-{PREFIX}[{name}]")]));
            assert_eq!(param, format!("{PREFIX}[{name}]"));
        }
    }

    #[test]
    fn formats() {
        let cases = [
            (format!("{PREFIX}[version]=3.0.0"), "version"),
            (format!("{PREFIX}[cryptogram]=short"), "cryptogram"),
            (format!("{PREFIX}[transaction_id]=not-a-uuid"), "transaction_id"),
            (format!("{PREFIX}[electronic_commerce_indicator]=5"), "electronic_commerce_indicator"),
            (format!("{PREFIX}[exemption_indicator]=high_risk"), "exemption_indicator"),
            (format!("{PREFIX}[requestor_challenge_indicator]=2"), "requestor_challenge_indicator"),
            (format!("{PREFIX}[requestor_challenge_indicator]=00"), "requestor_challenge_indicator"),
            (format!("{PREFIX}[ares_trans_status]=X"), "ares_trans_status"),
        ];
        for (pair, name) in cases {
            assert_eq!(param_of(import(VISA_IMPORT, "4242424242424242", &[&pair])), format!("{PREFIX}[{name}]"), "{pair}");
        }
        // 3DS 1 takes an XID for transaction_id.
        let xid = format!("{PREFIX}[transaction_id]=M6%2B990I6FLD8Y6rZz9d5QbfrMNY%3D");
        assert!(import(VISA_IMPORT, "4242424242424242", &[&format!("{PREFIX}[version]=1.0.2"), &xid]).is_ok());
        assert!(import(VISA_IMPORT, "4242424242424242", &[&xid]).is_err());
        // An unknown parameter under three_d_secure is Stripe's parameter_unknown.
        let unknown = import(VISA_IMPORT, "4242424242424242", &[&format!("{PREFIX}[cavv]=x")]).unwrap_err();
        assert_eq!(unknown.code.as_deref(), Some("parameter_unknown"));
    }

    #[test]
    fn cartes_bancaires_needs_its_network_and_cb_avalgo() {
        // network=cartes_bancaires without cb_avalgo.
        let no_avalgo = import(CB_IMPORT, "4000002500001001", &[&format!("-{CB_PREFIX}[cb_avalgo]")]);
        assert_eq!(param_of(no_avalgo), format!("{CB_PREFIX}[cb_avalgo]"));
        let only_network = import(VISA_IMPORT, "4000002500001001", &["payment_method_options[card][network]=cartes_bancaires"]);
        assert_eq!(param_of(only_network), format!("{CB_PREFIX}[cb_avalgo]"));
        // Cartes Bancaires options without the network.
        assert_eq!(param_of(import(CB_IMPORT, "4000002500001001", &["-payment_method_options[card][network]"])), NETWORK);
        // A card that is not co-badged has no Cartes Bancaires network.
        assert_eq!(param_of(import(CB_IMPORT, "4242424242424242", &[])), NETWORK);
        assert_eq!(param_of(import(VISA_IMPORT, "4242424242424242", &["payment_method_options[card][network]=mastercard"])), NETWORK);
        // Each co-badged test card imports.
        for pan in ["4000002500001001", "5555552500001001", "4000000000016123"] {
            assert!(import(CB_IMPORT, pan, &[]).is_ok(), "{pan}");
        }
        assert_eq!(param_of(import(CB_IMPORT, "4000002500001001", &[&format!("{CB_PREFIX}[cb_avalgo]=9")])), format!("{CB_PREFIX}[cb_avalgo]"));
        assert_eq!(param_of(import(CB_IMPORT, "4000002500001001", &[&format!("{CB_PREFIX}[cb_score]=100")])), format!("{CB_PREFIX}[cb_score]"));
        assert_eq!(
            param_of(import(CB_IMPORT, "4000002500001001", &[&format!("{CB_PREFIX}[cb_exemption]=BAA")])),
            format!("{CB_PREFIX}[cb_exemption]")
        );
    }

    #[test]
    fn exemption_none_against_a_low_risk_cb_exemption_is_rejected() {
        let none = format!("{PREFIX}[exemption_indicator]=none");
        assert_eq!(param_of(import(CB_IMPORT, "4000002500001001", &[&none])), format!("{PREFIX}[exemption_indicator]"));
        // AAAA grants no exemption: no contradiction.
        let no_exemption = import(CB_IMPORT, "4000002500001001", &[&none, &format!("{CB_PREFIX}[cb_exemption]=AAAA")]).unwrap();
        assert_eq!((no_exemption.exemption_indicator.as_deref(), no_exemption.exemption_indicator_applied), (Some("none"), false));
        // Both saying low risk agree.
        let both = import(CB_IMPORT, "4000002500001001", &[&format!("{PREFIX}[exemption_indicator]=low_risk")]).unwrap();
        assert!(both.exemption_indicator_applied);
    }

    #[test]
    fn only_4000000000016123_fails_the_risk_analysis() {
        let low_risk = [format!("{PREFIX}[exemption_indicator]=low_risk"), format!("{PREFIX}[electronic_commerce_indicator]=07")];
        let low_risk: Vec<&str> = low_risk.iter().map(String::as_str).collect();
        for pan in ["4242424242424242", "4000002760003184", "4000002500001001", "5555552500001001"] {
            let imported = import(VISA_IMPORT, pan, &low_risk).unwrap();
            assert!(imported.exemption_indicator_applied, "{pan}");
            assert_eq!(imported.result(), "exempted");
        }
        assert!(!import(VISA_IMPORT, "4000000000016123", &low_risk).unwrap().exemption_indicator_applied);
        // Through cb_exemption too.
        assert!(!import(CB_IMPORT, "4000000000016123", &[]).unwrap().exemption_indicator_applied);
        assert!(import(CB_IMPORT, "5555552500001001", &[]).unwrap().exemption_indicator_applied);
    }
}
