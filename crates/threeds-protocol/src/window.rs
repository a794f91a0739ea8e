//! Challenge window sizes (`challengeWindowSize`, EMV 3DS 2.x CReq).

use serde::{Deserialize, Serialize};

/// The five challenge window sizes of the CReq's `challengeWindowSize`, wire codes `01`..`05`.
///
/// Rule: the ACS lays its page out for one of these sizes; the 3DS Requestor renders
/// the iframe at exactly that size in CSS pixels, `05` meaning full screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChallengeWindowSize {
    /// `01`: 250 x 400.
    #[serde(rename = "01")]
    W250xH400,
    /// `02`: 390 x 400.
    #[serde(rename = "02")]
    W390xH400,
    /// `03`: 500 x 600.
    #[serde(rename = "03")]
    W500xH600,
    /// `04`: 600 x 400.
    #[serde(rename = "04")]
    W600xH400,
    /// `05`: full screen.
    #[serde(rename = "05")]
    FullScreen,
}

impl ChallengeWindowSize {
    /// Every size, in wire-code order.
    pub const ALL: [Self; 5] = [Self::W250xH400, Self::W390xH400, Self::W500xH600, Self::W600xH400, Self::FullScreen];

    /// The two-digit wire code.
    pub fn code(self) -> &'static str {
        match self {
            Self::W250xH400 => "01",
            Self::W390xH400 => "02",
            Self::W500xH600 => "03",
            Self::W600xH400 => "04",
            Self::FullScreen => "05",
        }
    }

    /// Parses a wire code (`01`..`05`); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|size| size.code() == code)
    }

    /// Width x height in CSS pixels; `None` for full screen (`05`), which takes the viewport.
    pub fn dimensions(self) -> Option<(u32, u32)> {
        match self {
            Self::W250xH400 => Some((250, 400)),
            Self::W390xH400 => Some((390, 400)),
            Self::W500xH600 => Some((500, 600)),
            Self::W600xH400 => Some((600, 400)),
            Self::FullScreen => None,
        }
    }

    /// The largest fixed size (by area) that fits in `width` x `height`, else `05` full screen.
    ///
    /// Rule: render the challenge at exactly one spec size, never scaled or scrolled.
    pub fn largest_fitting(width: u32, height: u32) -> Self {
        Self::ALL
            .into_iter()
            .filter_map(|size| size.dimensions().map(|(w, h)| (size, w, h)))
            .filter(|&(_, w, h)| w <= width && h <= height)
            .max_by_key(|&(_, w, h)| w * h)
            .map_or(Self::FullScreen, |(size, _, _)| size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for size in ChallengeWindowSize::ALL {
            assert_eq!(ChallengeWindowSize::from_code(size.code()), Some(size));
        }
        assert_eq!(ChallengeWindowSize::from_code("06"), None);
        assert_eq!(ChallengeWindowSize::from_code("1"), None);
    }

    #[test]
    fn largest_fitting_picks_by_area_at_the_edges() {
        use ChallengeWindowSize::*;
        assert_eq!(ChallengeWindowSize::largest_fitting(249, 400), FullScreen);
        assert_eq!(ChallengeWindowSize::largest_fitting(250, 400), W250xH400);
        assert_eq!(ChallengeWindowSize::largest_fitting(389, 1000), W250xH400);
        assert_eq!(ChallengeWindowSize::largest_fitting(390, 400), W390xH400);
        assert_eq!(ChallengeWindowSize::largest_fitting(500, 599), W390xH400);
        assert_eq!(ChallengeWindowSize::largest_fitting(500, 600), W500xH600);
        // 600x400 (240 000 px) is smaller than 500x600 (300 000 px).
        assert_eq!(ChallengeWindowSize::largest_fitting(600, 600), W500xH600);
        assert_eq!(ChallengeWindowSize::largest_fitting(600, 400), W600xH400);
        assert_eq!(ChallengeWindowSize::largest_fitting(1920, 399), FullScreen);
    }

    #[test]
    fn serde_uses_wire_codes() {
        let json = serde_json::to_string(&ChallengeWindowSize::W500xH600).unwrap();
        assert_eq!(json, "\"03\"");
        let back: ChallengeWindowSize = serde_json::from_str("\"05\"").unwrap();
        assert_eq!(back, ChallengeWindowSize::FullScreen);
        assert!(serde_json::from_str::<ChallengeWindowSize>("\"07\"").is_err());
    }
}
