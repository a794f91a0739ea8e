use super::MessageExtension;
use super::emv_message;
use super::marker::{CReqType, CResType};
use crate::{ChallengeCompletionInd, ChallengeWindowSize, MessageVersion, TransStatus};

emv_message! {
    /// Challenge Request: posted by the browser as form field `creq` (base64url) to the ARes `acsURL`.
    pub struct CReq {
        required {
            message_type: CReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            /// Rule: required on the browser channel; the iframe is rendered at exactly this size.
            challenge_window_size: ChallengeWindowSize = "challengeWindowSize",
        }
        optional {
            /// Rule: at most 10 entries.
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

emv_message! {
    /// Challenge Response: the final one is posted by the ACS page as form field
    /// `cres` (base64url) to the AReq's `notificationURL`.
    pub struct CRes {
        required {
            message_type: CResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
        }
        optional {
            /// Rule: Y or N in the final browser CRes.
            trans_status: TransStatus = "transStatus",
            /// Y when the challenge is complete.
            challenge_completion_ind: ChallengeCompletionInd = "challengeCompletionInd",
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

impl CReq {
    /// The browser's CReq for a challenge the ARes asked for.
    pub fn new(
        message_version: MessageVersion,
        three_ds_server_trans_id: impl Into<String>,
        acs_trans_id: impl Into<String>,
        challenge_window_size: ChallengeWindowSize,
    ) -> Self {
        Self {
            message_type: CReqType,
            message_version,
            three_ds_server_trans_id: three_ds_server_trans_id.into(),
            acs_trans_id: acs_trans_id.into(),
            challenge_window_size,
            message_extension: None,
            extra: Default::default(),
        }
    }
}

impl CRes {
    /// The final browser CRes the ACS posts to the notification URL when a
    /// challenge ends: complete, with `outcome` as Y or N.
    ///
    /// Rule: the final browser CRes carries Y (authenticated) or N (anything
    /// else); the RReq carries the detail (A, U, R, the reason).
    pub fn final_browser(
        message_version: MessageVersion,
        three_ds_server_trans_id: impl Into<String>,
        acs_trans_id: impl Into<String>,
        outcome: TransStatus,
    ) -> Self {
        let status = if outcome == TransStatus::Authenticated { TransStatus::Authenticated } else { TransStatus::NotAuthenticated };
        Self {
            message_type: CResType,
            message_version,
            three_ds_server_trans_id: three_ds_server_trans_id.into(),
            acs_trans_id: acs_trans_id.into(),
            trans_status: Some(status),
            challenge_completion_ind: Some(ChallengeCompletionInd::Completed),
            message_extension: None,
            extra: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_creq_is_what_the_acs_reads() {
        let creq = CReq::new(MessageVersion::V2_2_0, "t", "a", ChallengeWindowSize::W390xH400);
        let json = serde_json::to_value(&creq).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"messageType": "CReq", "messageVersion": "2.2.0", "threeDSServerTransID": "t", "acsTransID": "a", "challengeWindowSize": "02"})
        );
        assert_eq!(serde_json::from_value::<CReq>(json).unwrap(), creq);
    }

    #[test]
    fn a_final_cres_says_y_or_n_and_round_trips() {
        let cres = CRes::final_browser(MessageVersion::V2_1_0, "t", "a", TransStatus::Attempted);
        let json = serde_json::to_value(&cres).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"messageType": "CRes", "messageVersion": "2.1.0", "threeDSServerTransID": "t", "acsTransID": "a",
                "transStatus": "N", "challengeCompletionInd": "Y"})
        );
        assert_eq!(crate::Message::from_value(json).unwrap(), crate::Message::CRes(cres));
        let authenticated = CRes::final_browser(MessageVersion::V2_2_0, "t", "a", TransStatus::Authenticated);
        assert_eq!(authenticated.trans_status, Some(TransStatus::Authenticated));
    }
}
