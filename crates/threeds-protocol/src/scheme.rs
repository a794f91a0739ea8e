//! Card schemes and their Electronic Commerce Indicators.

use serde::{Deserialize, Serialize};

use crate::TransStatus;

/// A card scheme, as far as 3DS outcomes differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardScheme {
    /// Visa (Visa Secure): IIN 4.
    Visa,
    /// Mastercard (Identity Check): IIN 51-55, 2221-2720.
    Mastercard,
    /// American Express (SafeKey): IIN 34, 37.
    Amex,
    /// JCB (J/Secure): IIN 3528-3589.
    Jcb,
    /// Diners Club (ProtectBuy): IIN 36, 38, 39, 300-305.
    Diners,
    /// Discover (ProtectBuy): IIN 6011, 644-649, 65, 622126-622925.
    Discover,
}

impl CardScheme {
    /// The scheme of a card number, from its leading digits (IIN ranges); `None` when
    /// no scheme here issues that range or the number is not 12-19 digits.
    pub fn from_pan(pan: &str) -> Option<Self> {
        if !(12..=19).contains(&pan.len()) || !pan.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix = |digits: usize| pan[..digits].parse::<u32>().unwrap_or(0);
        match (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6)) {
            (4, ..) => Some(Self::Visa),
            (_, 51..=55, ..) | (_, _, _, 2221..=2720, _) => Some(Self::Mastercard),
            (_, 34 | 37, ..) => Some(Self::Amex),
            (_, _, _, 3528..=3589, _) => Some(Self::Jcb),
            (_, 36 | 38 | 39, ..) | (_, _, 300..=305, ..) => Some(Self::Diners),
            (_, 65, ..) | (_, _, 644..=649, ..) | (_, _, _, 6011, _) | (.., 622126..=622925) => Some(Self::Discover),
            _ => None,
        }
    }

    /// A display name, as card brands are usually written.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Visa => "Visa",
            Self::Mastercard => "Mastercard",
            Self::Amex => "American Express",
            Self::Jcb => "JCB",
            Self::Diners => "Diners Club",
            Self::Discover => "Discover",
        }
    }

    /// The ECI for an outcome.
    ///
    /// Rule: Visa, Amex, JCB, Diners and Discover use 05 authenticated, 06 attempted,
    /// 07 not authenticated; Mastercard uses 02, 01, 00. `None` for a non-final
    /// status (C, D, S), which has no ECI yet.
    pub fn eci(self, status: TransStatus) -> Option<&'static str> {
        let (authenticated, attempted, not_authenticated) = match self {
            Self::Mastercard => ("02", "01", "00"),
            _ => ("05", "06", "07"),
        };
        match status {
            TransStatus::Authenticated => Some(authenticated),
            TransStatus::Attempted => Some(attempted),
            status if status.is_final() => Some(not_authenticated),
            _ => None,
        }
    }
}

/// Whether a card number passes the Luhn check (mod 10).
pub fn luhn_valid(pan: &str) -> bool {
    if pan.is_empty() || !pan.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = pan
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let digit = u32::from(b - b'0');
            if i % 2 == 1 { if digit * 2 > 9 { digit * 2 - 9 } else { digit * 2 } } else { digit }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A card number with all but the first six and last four digits masked, for logs.
pub fn mask_pan(pan: &str) -> String {
    let chars: Vec<char> = pan.chars().collect();
    if chars.len() < 11 {
        return "*".repeat(chars.len());
    }
    let last = chars.len() - 4;
    chars.iter().enumerate().map(|(i, c)| if i < 6 || i >= last { *c } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use CardScheme::*;

    #[test]
    fn schemes_of_the_test_cards() {
        assert_eq!(CardScheme::from_pan("4000020000000000"), Some(Visa));
        assert_eq!(CardScheme::from_pan("5204247750001471"), Some(Mastercard));
        assert_eq!(CardScheme::from_pan("2221000000000009"), Some(Mastercard));
        assert_eq!(CardScheme::from_pan("340000000004001"), Some(Amex));
        assert_eq!(CardScheme::from_pan("370000000000002"), Some(Amex));
        assert_eq!(CardScheme::from_pan("3566002020360505"), Some(Jcb));
        assert_eq!(CardScheme::from_pan("36227206271667"), Some(Diners));
        assert_eq!(CardScheme::from_pan("6011601160116011"), Some(Discover));
        assert_eq!(CardScheme::from_pan("6221260000000000"), Some(Discover));
        assert_eq!(CardScheme::from_pan("2201382000000047"), None, "Mir is not modelled");
        assert_eq!(CardScheme::from_pan("4111"), None);
        assert_eq!(CardScheme::from_pan("4111x11111111111"), None);
    }

    #[test]
    fn eci_table() {
        use TransStatus::*;
        for scheme in [Visa, Amex, Jcb, Diners, Discover] {
            assert_eq!(scheme.eci(Authenticated), Some("05"));
            assert_eq!(scheme.eci(Attempted), Some("06"));
            assert_eq!(scheme.eci(NotAuthenticated), Some("07"));
            assert_eq!(scheme.eci(Rejected), Some("07"));
        }
        assert_eq!(Mastercard.eci(Authenticated), Some("02"));
        assert_eq!(Mastercard.eci(Attempted), Some("01"));
        assert_eq!(Mastercard.eci(Unavailable), Some("00"));
        assert_eq!(Visa.eci(Challenge), None);
        assert_eq!(Mastercard.eci(Decoupled), None);
    }

    #[test]
    fn luhn_and_masking() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("340000000004001"));
        assert!(!luhn_valid("4200000000000002"));
        assert!(!luhn_valid(""));
        assert_eq!(mask_pan("4111111111111111"), "411111******1111");
        assert_eq!(mask_pan("1234"), "****");
    }
}
