use super::MessageExtension;
use super::TransactionIds;
use super::emv_message;
use super::marker::{RReqType, RResType};
use crate::{AuthenticationType, ChallengeCancel, MessageCategory, MessageVersion, ResultsStatus, TransStatus, TransStatusReason};

emv_message! {
    /// Results Request: the ACS reports a challenge's outcome to the 3DS Server (via the DS).
    pub struct RReq {
        required {
            message_type: RReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            ds_trans_id: String = "dsTransID",
            message_category: MessageCategory = "messageCategory",
            trans_status: TransStatus = "transStatus",
        }
        optional {
            acs_rendering_type: serde_json::Map<String, serde_json::Value> = "acsRenderingType",
            authentication_method: String = "authenticationMethod",
            authentication_type: AuthenticationType = "authenticationType",
            authentication_value: String = "authenticationValue",
            /// Why the challenge was cancelled.
            challenge_cancel: ChallengeCancel = "challengeCancel",
            eci: String = "eci",
            /// How many times the cardholder answered, two digits.
            interaction_counter: String = "interactionCounter",
            message_extension: Vec<MessageExtension> = "messageExtension",
            trans_status_reason: TransStatusReason = "transStatusReason",
            white_list_status: String = "whiteListStatus",
            white_list_status_source: String = "whiteListStatusSource",
        }
    }
}

emv_message! {
    /// Results Response: the 3DS Server acknowledges an RReq.
    pub struct RRes {
        required {
            message_type: RResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            ds_trans_id: String = "dsTransID",
            /// 01 received for further processing, 02 challenge cancelled, 03 not sent.
            results_status: ResultsStatus = "resultsStatus",
        }
        optional {
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

impl RReq {
    /// The RReq reporting a transaction's outcome; every optional field empty.
    pub fn new(message_version: MessageVersion, ids: TransactionIds, message_category: MessageCategory, trans_status: TransStatus) -> Self {
        Self {
            message_type: RReqType,
            message_version,
            three_ds_server_trans_id: ids.three_ds_server_trans_id,
            acs_trans_id: ids.acs_trans_id,
            ds_trans_id: ids.ds_trans_id,
            message_category,
            trans_status,
            acs_rendering_type: None,
            authentication_method: None,
            authentication_type: None,
            authentication_value: None,
            challenge_cancel: None,
            eci: None,
            interaction_counter: None,
            message_extension: None,
            trans_status_reason: None,
            white_list_status: None,
            white_list_status_source: None,
            extra: Default::default(),
        }
    }
}

impl RRes {
    /// The 3DS Server's answer to `rreq`: same version and transaction IDs.
    pub fn answering(rreq: &RReq, results_status: ResultsStatus) -> Self {
        Self {
            message_type: RResType,
            message_version: rreq.message_version,
            three_ds_server_trans_id: rreq.three_ds_server_trans_id.clone(),
            acs_trans_id: rreq.acs_trans_id.clone(),
            ds_trans_id: rreq.ds_trans_id.clone(),
            results_status,
            message_extension: None,
            extra: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    fn rreq() -> RReq {
        RReq {
            challenge_cancel: Some(ChallengeCancel::CardholderCanceled),
            authentication_type: Some(AuthenticationType::Dynamic),
            interaction_counter: Some("01".into()),
            trans_status_reason: Some(TransStatusReason::CARD_AUTHENTICATION_FAILED),
            ..RReq::new(MessageVersion::V2_2_0, TransactionIds::new("t", "a", "d"), MessageCategory::Payment, TransStatus::NotAuthenticated)
        }
    }

    #[test]
    fn a_new_rreq_validates_and_round_trips() {
        let rreq = rreq();
        let json = serde_json::to_value(&rreq).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"messageType": "RReq", "messageVersion": "2.2.0", "threeDSServerTransID": "t", "acsTransID": "a",
                "dsTransID": "d", "messageCategory": "01", "transStatus": "N", "transStatusReason": "01", "challengeCancel": "01",
                "authenticationType": "02", "interactionCounter": "01"})
        );
        assert_eq!(Message::from_value(json).unwrap(), Message::RReq(rreq));
    }

    #[test]
    fn an_rres_answers_its_rreq() {
        let rreq = rreq();
        let rres = RRes::answering(&rreq, ResultsStatus::Received);
        assert_eq!((rres.acs_trans_id.as_str(), rres.ds_trans_id.as_str(), rres.message_version), ("a", "d", MessageVersion::V2_2_0));
        let json = serde_json::to_value(&rres).unwrap();
        assert_eq!(json["messageType"], "RRes");
        assert_eq!(json["resultsStatus"], "01");
        assert_eq!(Message::from_value(json).unwrap(), Message::RRes(rres));
    }
}
