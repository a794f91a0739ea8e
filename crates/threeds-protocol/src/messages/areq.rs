use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::MessageExtension;
use super::emv_message;
use super::marker::AReqType;
use crate::browser::{BrowserInfo, BrowserInfoError, Rule, Violation};
use crate::{CardNumber, ChallengeIndicator, DeviceChannel, MessageCategory, MessageVersion, ThreeDSCompInd};

/// A phone number of the AReq (`homePhone`, `mobilePhone`, `workPhone`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    /// Country code, 1-3 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<String>,
    /// Subscriber number, up to 15 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriber: Option<String>,
    /// Fields this type does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

emv_message! {
    /// Authentication Request: the 3DS Server asks the DS (and the ACS behind it)
    /// to authenticate a cardholder, with the browser data of the browser channel.
    pub struct AReq {
        required {
            message_type: AReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            /// Canonical 36-character UUID assigned by the 3DS Server.
            three_ds_server_trans_id: String = "threeDSServerTransID",
            /// 02 for the browser channel.
            device_channel: DeviceChannel = "deviceChannel",
            message_category: MessageCategory = "messageCategory",
        }
        optional {
            /// Rule: Y, N or U; required on the browser channel.
            three_ds_comp_ind: ThreeDSCompInd = "threeDSCompInd",
            three_ds_requestor_authentication_ind: String = "threeDSRequestorAuthenticationInd",
            three_ds_requestor_authentication_info: Map<String, Value> = "threeDSRequestorAuthenticationInfo",
            three_ds_requestor_challenge_ind: ChallengeIndicator = "threeDSRequestorChallengeInd",
            three_ds_requestor_id: String = "threeDSRequestorID",
            three_ds_requestor_name: String = "threeDSRequestorName",
            three_ds_requestor_url: String = "threeDSRequestorURL",
            three_ds_requestor_prior_authentication_info: Map<String, Value> = "threeDSRequestorPriorAuthenticationInfo",
            three_ds_server_ref_number: String = "threeDSServerRefNumber",
            three_ds_server_operator_id: String = "threeDSServerOperatorID",
            three_ds_server_url: String = "threeDSServerURL",
            three_ri_ind: String = "threeRIInd",
            acquirer_bin: String = "acquirerBIN",
            acquirer_merchant_id: String = "acquirerMerchantID",
            acct_id: String = "acctID",
            acct_info: Map<String, Value> = "acctInfo",
            /// The card number; masked in `Debug`.
            acct_number: CardNumber = "acctNumber",
            acct_type: String = "acctType",
            addr_match: String = "addrMatch",
            bill_addr_city: String = "billAddrCity",
            bill_addr_country: String = "billAddrCountry",
            bill_addr_line1: String = "billAddrLine1",
            bill_addr_line2: String = "billAddrLine2",
            bill_addr_line3: String = "billAddrLine3",
            bill_addr_post_code: String = "billAddrPostCode",
            bill_addr_state: String = "billAddrState",
            ship_addr_city: String = "shipAddrCity",
            ship_addr_country: String = "shipAddrCountry",
            ship_addr_line1: String = "shipAddrLine1",
            ship_addr_line2: String = "shipAddrLine2",
            ship_addr_line3: String = "shipAddrLine3",
            ship_addr_post_code: String = "shipAddrPostCode",
            ship_addr_state: String = "shipAddrState",
            /// YYMM.
            card_expiry_date: String = "cardExpiryDate",
            cardholder_name: String = "cardholderName",
            email: String = "email",
            home_phone: Phone = "homePhone",
            mobile_phone: Phone = "mobilePhone",
            work_phone: Phone = "workPhone",
            device_info: String = "deviceInfo",
            device_render_options: Map<String, Value> = "deviceRenderOptions",
            ds_reference_number: String = "dsReferenceNumber",
            ds_trans_id: String = "dsTransID",
            ds_url: String = "dsURL",
            mcc: String = "mcc",
            merchant_country_code: String = "merchantCountryCode",
            merchant_name: String = "merchantName",
            merchant_risk_indicator: Map<String, Value> = "merchantRiskIndicator",
            message_extension: Vec<MessageExtension> = "messageExtension",
            /// Where the ACS posts the final CRes; at most 256 characters.
            notification_url: String = "notificationURL",
            /// Minor units, at most 48 digits.
            purchase_amount: String = "purchaseAmount",
            /// ISO 4217 numeric.
            purchase_currency: String = "purchaseCurrency",
            /// YYYYMMDDHHMMSS, UTC.
            purchase_date: String = "purchaseDate",
            purchase_exponent: String = "purchaseExponent",
            purchase_instal_data: String = "purchaseInstalData",
            recurring_expiry: String = "recurringExpiry",
            recurring_frequency: String = "recurringFrequency",
            sdk_app_id: String = "sdkAppID",
            sdk_enc_data: String = "sdkEncData",
            sdk_ephem_pub_key: Map<String, Value> = "sdkEphemPubKey",
            sdk_max_timeout: String = "sdkMaxTimeout",
            sdk_reference_number: String = "sdkReferenceNumber",
            sdk_trans_id: String = "sdkTransID",
            trans_type: String = "transType",
            white_list_status: String = "whiteListStatus",
            white_list_status_source: String = "whiteListStatusSource",
        }
        flattened {
            /// The browser-channel fields (`browser*`, `acceptLanguage`).
            browser: BrowserInfo,
        }
    }
}

/// Rule: `notificationURL` is at most 256 characters.
pub const MAX_NOTIFICATION_URL: usize = 256;

impl AReq {
    /// Checks a browser-channel AReq against its version's rules: device channel 02,
    /// `threeDSServerTransID` a UUID, `threeDSCompInd` and `notificationURL` (at most
    /// 256) present, and the browser data of [`BrowserInfo::validate`]. Every
    /// violation is listed; the error gives the Erro code (201 or 203) and detail.
    pub fn validate_browser_channel(&self) -> Result<(), BrowserInfoError> {
        let mut violations = match self.browser.validate(self.message_version) {
            Ok(()) => Vec::new(),
            Err(error) => error.violations,
        };
        let mut push = |field: &'static str, rule: Rule| violations.push(Violation { field, rule });
        if self.device_channel != DeviceChannel::Browser {
            push("deviceChannel", Rule::Format("02 (browser) for this flow"));
        }
        if !crate::handoff::is_uuid(&self.three_ds_server_trans_id) {
            push("threeDSServerTransID", Rule::Format("a 36-character UUID"));
        }
        if self.three_ds_comp_ind.is_none() {
            push("threeDSCompInd", Rule::Missing);
        }
        match &self.notification_url {
            None => push("notificationURL", Rule::Missing),
            Some(url) if url.is_empty() || url.chars().count() > MAX_NOTIFICATION_URL => push("notificationURL", Rule::Format("1-256 characters")),
            Some(_) => {}
        }
        if let Some(indicator) = self.three_ds_requestor_challenge_ind
            && !indicator.allowed_in(self.message_version)
        {
            push("threeDSRequestorChallengeInd", Rule::Format("a value this messageVersion defines"));
        }
        if violations.is_empty() { Ok(()) } else { Err(BrowserInfoError { version: self.message_version, violations }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn areq() -> serde_json::Value {
        serde_json::json!({
            "messageType": "AReq", "messageVersion": "2.2.0",
            "threeDSServerTransID": "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
            "deviceChannel": "02", "messageCategory": "01", "threeDSCompInd": "Y",
            "notificationURL": "https://3ds.example/notify",
            "acctNumber": "4000020000000000",
            "browserAcceptHeader": "text/html", "browserJavascriptEnabled": true, "browserJavaEnabled": false,
            "browserLanguage": "en-GB", "browserColorDepth": "24", "browserScreenHeight": "1080",
            "browserScreenWidth": "1920", "browserTZ": "-60", "browserUserAgent": "Mozilla/5.0"
        })
    }

    #[test]
    fn valid_browser_areq_passes_and_keeps_browser_fields_typed() {
        let areq: AReq = serde_json::from_value(areq()).unwrap();
        assert_eq!(areq.browser.color_depth.as_deref(), Some("24"));
        assert!(areq.extra.is_empty(), "browser fields are not left in extra: {:?}", areq.extra);
        areq.validate_browser_channel().unwrap();
        assert!(format!("{areq:?}").contains("400002******0000"));
        assert!(!format!("{areq:?}").contains("4000020000000000"));
    }

    #[test]
    fn violations_give_201_then_203() {
        let mut value = areq();
        value.as_object_mut().unwrap().remove("threeDSCompInd");
        value["browserTZ"] = "east".into();
        let error = serde_json::from_value::<AReq>(value).unwrap().validate_browser_channel().unwrap_err();
        assert_eq!((error.erro_code(), error.error_detail().as_str()), (ErrorCode::RequiredElementMissing, "threeDSCompInd"));
        let mut value = areq();
        value["notificationURL"] = "x".repeat(257).into();
        value["threeDSServerTransID"] = "nope".into();
        let error = serde_json::from_value::<AReq>(value).unwrap().validate_browser_channel().unwrap_err();
        assert_eq!((error.erro_code(), error.error_detail().as_str()), (ErrorCode::FormatInvalid, "threeDSServerTransID,notificationURL"));
    }

    #[test]
    fn challenge_indicator_must_exist_in_the_version() {
        let mut value = areq();
        value["messageVersion"] = "2.1.0".into();
        value.as_object_mut().unwrap().remove("browserJavascriptEnabled");
        value["browserIP"] = "192.0.2.1".into();
        value["threeDSRequestorChallengeInd"] = "05".into();
        let error = serde_json::from_value::<AReq>(value).unwrap().validate_browser_channel().unwrap_err();
        assert_eq!(error.error_detail(), "threeDSRequestorChallengeInd");
    }
}
