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
            /// Y: the requestor asks for a decoupled authentication (2.2.0+).
            three_ds_requestor_dec_req_ind: String = "threeDSRequestorDecReqInd",
            /// Minutes the issuer may take for a decoupled authentication, five digits.
            three_ds_requestor_dec_max_time: String = "threeDSRequestorDecMaxTime",
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

/// The 3DS Requestor's part of an AReq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requestor {
    /// `threeDSRequestorID`.
    pub id: String,
    /// `threeDSRequestorName`.
    pub name: String,
    /// `threeDSRequestorURL`.
    pub url: String,
}

/// The merchant's part of an AReq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    /// `acquirerBIN`.
    pub acquirer_bin: String,
    /// `acquirerMerchantID`.
    pub acquirer_merchant_id: String,
    /// `merchantName`.
    pub name: String,
    /// `mcc`: the merchant category code.
    pub mcc: String,
    /// `merchantCountryCode`: ISO 3166-1 numeric.
    pub country_code: String,
}

/// The purchase's part of an AReq.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    /// `purchaseAmount`: minor units.
    pub amount: String,
    /// `purchaseCurrency`: ISO 4217 numeric.
    pub currency: String,
    /// `purchaseExponent`.
    pub exponent: String,
    /// `purchaseDate`: YYYYMMDDHHMMSS, UTC.
    pub date: String,
}

impl AReq {
    /// A browser-channel AReq (deviceChannel 02) with the fields that channel
    /// requires; the parts below and any other field are added after.
    pub fn browser(
        message_version: MessageVersion,
        three_ds_server_trans_id: impl Into<String>,
        message_category: MessageCategory,
        three_ds_comp_ind: ThreeDSCompInd,
        notification_url: impl Into<String>,
        browser: BrowserInfo,
    ) -> Self {
        Self {
            message_type: AReqType,
            message_version,
            three_ds_server_trans_id: three_ds_server_trans_id.into(),
            device_channel: DeviceChannel::Browser,
            message_category,
            three_ds_comp_ind: Some(three_ds_comp_ind),
            three_ds_requestor_authentication_ind: None,
            three_ds_requestor_authentication_info: None,
            three_ds_requestor_challenge_ind: None,
            three_ds_requestor_dec_req_ind: None,
            three_ds_requestor_dec_max_time: None,
            three_ds_requestor_id: None,
            three_ds_requestor_name: None,
            three_ds_requestor_url: None,
            three_ds_requestor_prior_authentication_info: None,
            three_ds_server_ref_number: None,
            three_ds_server_operator_id: None,
            three_ds_server_url: None,
            three_ri_ind: None,
            acquirer_bin: None,
            acquirer_merchant_id: None,
            acct_id: None,
            acct_info: None,
            acct_number: None,
            acct_type: None,
            addr_match: None,
            bill_addr_city: None,
            bill_addr_country: None,
            bill_addr_line1: None,
            bill_addr_line2: None,
            bill_addr_line3: None,
            bill_addr_post_code: None,
            bill_addr_state: None,
            ship_addr_city: None,
            ship_addr_country: None,
            ship_addr_line1: None,
            ship_addr_line2: None,
            ship_addr_line3: None,
            ship_addr_post_code: None,
            ship_addr_state: None,
            card_expiry_date: None,
            cardholder_name: None,
            email: None,
            home_phone: None,
            mobile_phone: None,
            work_phone: None,
            device_info: None,
            device_render_options: None,
            ds_reference_number: None,
            ds_trans_id: None,
            ds_url: None,
            mcc: None,
            merchant_country_code: None,
            merchant_name: None,
            merchant_risk_indicator: None,
            message_extension: None,
            notification_url: Some(notification_url.into()),
            purchase_amount: None,
            purchase_currency: None,
            purchase_date: None,
            purchase_exponent: None,
            purchase_instal_data: None,
            recurring_expiry: None,
            recurring_frequency: None,
            sdk_app_id: None,
            sdk_enc_data: None,
            sdk_ephem_pub_key: None,
            sdk_max_timeout: None,
            sdk_reference_number: None,
            sdk_trans_id: None,
            trans_type: None,
            white_list_status: None,
            white_list_status_source: None,
            browser,
            extra: Map::new(),
        }
    }

    /// Sets the 3DS Requestor's fields.
    pub fn with_requestor(mut self, requestor: Requestor) -> Self {
        self.three_ds_requestor_id = Some(requestor.id);
        self.three_ds_requestor_name = Some(requestor.name);
        self.three_ds_requestor_url = Some(requestor.url);
        self
    }

    /// Sets the merchant's fields.
    pub fn with_merchant(mut self, merchant: Merchant) -> Self {
        self.acquirer_bin = Some(merchant.acquirer_bin);
        self.acquirer_merchant_id = Some(merchant.acquirer_merchant_id);
        self.merchant_name = Some(merchant.name);
        self.mcc = Some(merchant.mcc);
        self.merchant_country_code = Some(merchant.country_code);
        self
    }

    /// Sets the purchase's fields.
    pub fn with_purchase(mut self, purchase: Purchase) -> Self {
        self.purchase_amount = Some(purchase.amount);
        self.purchase_currency = Some(purchase.currency);
        self.purchase_exponent = Some(purchase.exponent);
        self.purchase_date = Some(purchase.date);
        self
    }

    /// Asks for a decoupled authentication the issuer may take `max_minutes` for (2.2.0+).
    pub fn with_decoupled(mut self, max_minutes: u32) -> Self {
        self.three_ds_requestor_dec_req_ind = Some("Y".into());
        self.three_ds_requestor_dec_max_time = Some(format!("{max_minutes:05}"));
        self
    }

    /// Whether the requestor asks for a decoupled authentication.
    pub fn requests_decoupled(&self) -> bool {
        self.three_ds_requestor_dec_req_ind.as_deref() == Some("Y")
    }

    /// Checks a browser-channel AReq against its version's rules: device channel 02,
    /// `threeDSServerTransID` a UUID, `threeDSCompInd` and `notificationURL` (at most
    /// 256) present, the browser data of [`BrowserInfo::validate`], no field the
    /// version does not have (the browser fields by version, the decoupled and
    /// whitelisting fields from 2.2.0, any unknown `browser...` field). Every
    /// violation is listed; the error gives the Erro code (201 or 203) and detail.
    pub fn validate_browser_channel(&self) -> Result<(), BrowserInfoError> {
        let mut violations = match self.browser.validate(self.message_version) {
            Ok(()) => Vec::new(),
            Err(error) => error.violations,
        };
        let mut push = |field: &'static str, rule: Rule| violations.push(Violation::new(field, rule));
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
        if self.message_version < MessageVersion::V2_2_0 {
            for (field, present) in [
                ("threeDSRequestorDecReqInd", self.three_ds_requestor_dec_req_ind.is_some()),
                ("threeDSRequestorDecMaxTime", self.three_ds_requestor_dec_max_time.is_some()),
                ("whiteListStatus", self.white_list_status.is_some()),
                ("whiteListStatusSource", self.white_list_status_source.is_some()),
            ] {
                if present {
                    push(field, Rule::NotInVersion);
                }
            }
        }
        // Every browser field of every version is modelled (in `browser`), so a
        // `browser...` field left over is one no version has. Other unmodelled
        // fields stay lenient: they are kept in `extra` and sent on unchanged.
        for field in self.extra.keys().filter(|name| name.starts_with("browser")) {
            violations.push(Violation::new(field.clone(), Rule::NotInVersion));
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

    #[test]
    fn fields_the_version_does_not_have_are_named() {
        let mut value = areq();
        value["messageVersion"] = "2.1.0".into();
        value["acceptLanguage"] = serde_json::json!(["en"]);
        value["threeDSRequestorDecReqInd"] = "Y".into();
        value["browserFingerprint"] = "abc".into();
        let error = serde_json::from_value::<AReq>(value).unwrap().validate_browser_channel().unwrap_err();
        assert_eq!(error.erro_code(), ErrorCode::FormatInvalid);
        assert_eq!(error.error_detail(), "browserJavascriptEnabled,acceptLanguage,threeDSRequestorDecReqInd,browserFingerprint");
        // Other fields this crate does not model stay lenient: kept, not flagged.
        let mut value = areq();
        value["payTokenInd"] = true.into();
        serde_json::from_value::<AReq>(value).unwrap().validate_browser_channel().unwrap();
    }

    #[test]
    fn an_areq_from_its_parts_validates_and_round_trips() {
        let reference: AReq = serde_json::from_value(areq()).unwrap();
        let built = AReq {
            acct_number: Some(CardNumber::new("4000020000000000")),
            ..AReq::browser(
                MessageVersion::V2_2_0,
                "8a880dc0-d2d2-4067-bcb1-b08d1690b26e",
                MessageCategory::Payment,
                ThreeDSCompInd::Completed,
                "https://3ds.example/notify",
                reference.browser.clone(),
            )
        };
        assert_eq!(built, reference);
        built.validate_browser_channel().unwrap();
        let built = built
            .with_requestor(Requestor { id: "r".into(), name: "n".into(), url: "https://r.example".into() })
            .with_merchant(Merchant {
                acquirer_bin: "000000999".into(),
                acquirer_merchant_id: "m".into(),
                name: "shop".into(),
                mcc: "5999".into(),
                country_code: "826".into(),
            })
            .with_purchase(Purchase { amount: "1999".into(), currency: "978".into(), exponent: "2".into(), date: "20240101120000".into() })
            .with_decoupled(10);
        built.validate_browser_channel().unwrap();
        assert!(built.requests_decoupled());
        let json = serde_json::to_value(&built).unwrap();
        assert_eq!((json["threeDSRequestorDecMaxTime"].as_str(), json["merchantName"].as_str()), (Some("00010"), Some("shop")));
        assert!(built.extra.is_empty());
        assert_eq!(crate::Message::from_value(json).unwrap(), crate::Message::AReq(Box::new(built)));
    }
}
