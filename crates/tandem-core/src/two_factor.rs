//! Two-factor sign-in (R11.5): time-based one-time codes (TOTP, RFC 6238: HMAC-SHA1, six
//! digits, 30-second steps) from an authenticator app, recovery codes for a lost phone, and
//! whether an organisation requires it of someone's staff roles.
//!
//! The codes themselves come from `totp-rs`; what is ours is the policy around them: a code is
//! accepted for the step before, the current one and the one after (clocks drift), and never
//! for a step at or before the last one accepted (a code works once, RFC 6238 §5.2).

use crate::OrganisationId;
use crate::authz::{Grant, Scope, StaffRole};
use std::fmt;
use time::OffsetDateTime;

/// Bytes in a new secret: 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at a time.
pub const RECOVERY_CODES: usize = 10;
/// Random bytes behind one recovery code: 50 bits, shown as ten base-32 characters.
const RECOVERY_CODE_BYTES: usize = 7;
/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Tandem";

/// A person's shared TOTP secret. Never shown in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    /// A secret from random bytes (the caller draws them: this crate does no I/O).
    pub fn new(random: [u8; SECRET_BYTES]) -> Self {
        Self(random.to_vec())
    }

    /// A stored secret; `None` if it is too short to be one of ours (RFC 4226: 128 bits at least).
    pub fn from_stored(bytes: Vec<u8>) -> Option<Self> {
        (bytes.len() >= 16).then_some(Self(bytes))
    }

    /// The bytes to store.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn totp(&self, account: Option<&str>) -> Option<totp_rs::Totp> {
        let mut builder = totp_rs::Builder::new()
            .with_secret(self.0.clone())
            .with_skew(1);
        if let Some(account) = account {
            // A colon separates issuer and account in the app's label; an email has none, but
            // a stray one must not stop enrolment.
            builder = builder
                .with_issuer(Some(ISSUER))
                .with_account_name(account.replace(':', " "));
        }
        builder.build().ok()
    }

    /// The key to type into an authenticator app by hand: base 32, in groups of four.
    pub fn manual_key(&self) -> String {
        let key = totp_rs::Secret::from(self.0.clone()).to_base32();
        let groups: Vec<String> = key
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect();
        groups.join(" ")
    }

    /// The `otpauth://` address a QR code carries, labelled with the person's email.
    pub fn otpauth_url(&self, account: &str) -> Option<String> {
        self.totp(Some(account))?.to_url().ok()
    }

    /// The code an authenticator app shows at `at` (for tests and for nothing else a person sees).
    pub fn code_at(&self, at: OffsetDateTime) -> Option<String> {
        let seconds = u64::try_from(at.unix_timestamp()).ok()?;
        Some(self.totp(None)?.generate(seconds).to_string())
    }

    /// The step `code` belongs to, if it is right at `at` (give or take one step) and later than
    /// `last_used`, the step of the last code accepted.
    pub fn accepts(
        &self,
        code: &TotpCode,
        at: OffsetDateTime,
        last_used: Option<i64>,
    ) -> Option<i64> {
        let seconds = u64::try_from(at.unix_timestamp()).ok()?;
        let step = self.totp(None)?.check(&code.0, seconds)?;
        let step = i64::try_from(step).ok()?;
        last_used.is_none_or(|last| step > last).then_some(step)
    }
}

/// Six digits as typed: spaces and hyphens between them are allowed ("123 456").
#[derive(Clone, PartialEq, Eq)]
pub struct TotpCode(String);

impl fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpCode(…)")
    }
}

/// Why a typed code is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeProblem {
    /// Nothing typed.
    #[error("enter the 6-digit code from your authenticator app")]
    Missing,
    /// Not six digits.
    #[error("the code is the 6 digits your authenticator app shows")]
    Malformed,
}

impl TotpCode {
    /// Reads a typed code.
    pub fn parse(raw: &str) -> Result<Self, CodeProblem> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.is_empty() {
            return Err(CodeProblem::Missing);
        }
        if digits.len() != 6 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(CodeProblem::Malformed);
        }
        Ok(Self(digits))
    }
}

/// A one-use code for signing in without the authenticator app: ten characters of base 32 (no
/// letters that read like digits), shown as `abcde-fghij`. Typed in any case, with or without
/// the hyphen or spaces.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

/// RFC 4648's base-32 alphabet, lower case.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

impl RecoveryCode {
    /// A code from random bytes (the caller draws them).
    pub fn new(random: [u8; RECOVERY_CODE_BYTES]) -> Self {
        let mut bits = 0_u64;
        for byte in random {
            bits = (bits << 8) | u64::from(byte);
        }
        let code = (0..10)
            .map(|index| {
                let shift = 5 * (9 - index);
                char::from(ALPHABET[usize::try_from((bits >> shift) & 31).unwrap_or(0)])
            })
            .collect();
        Self(code)
    }

    /// Reads a typed recovery code; `None` unless it is ten base-32 characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        (code.len() == 10 && code.bytes().all(|byte| ALPHABET.contains(&byte)))
            .then_some(Self(code))
    }

    /// As shown to the person once: `abcde-fghij`.
    pub fn shown(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }

    /// The normalised code, for the caller to hash before storing or looking it up.
    pub fn normalised(&self) -> &str {
        &self.0
    }
}

/// Whether someone with `grants`, whose own organisation is `home`, must use two-factor sign-in:
/// an organisation that requires it for a role requires it of everyone holding that role in it.
/// An installation-wide role counts as held in the person's own organisation.
pub fn required(
    grants: &[Grant],
    home: OrganisationId,
    requirements: &[(OrganisationId, StaffRole)],
) -> bool {
    grants.iter().any(|grant| {
        let organisation = match &grant.scope {
            Scope::Installation => home,
            Scope::Organisation(id)
            | Scope::Division {
                organisation: id, ..
            }
            | Scope::Scheme {
                organisation: id, ..
            } => *id,
        };
        requirements.contains(&(organisation, grant.role))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// RFC 6238 appendix B's SHA-1 seed.
    fn rfc_secret() -> TotpSecret {
        TotpSecret(b"12345678901234567890".to_vec())
    }

    #[test]
    fn codes_are_rfc_6238s_test_vectors_cut_to_six_digits() {
        // Appendix B gives eight digits; an app shows the last six.
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (seconds, eight) in vectors {
            let at = OffsetDateTime::from_unix_timestamp(seconds).unwrap();
            assert_eq!(
                rfc_secret().code_at(at).as_deref(),
                Some(&eight[2..]),
                "T = {seconds}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_once() {
        let secret = rfc_secret();
        let now = datetime!(2026-12-05 09:00:15 UTC);
        let step = now.unix_timestamp() / 30;
        let code = |at| TotpCode::parse(&secret.code_at(at).unwrap()).unwrap();
        let earlier = code(now - time::Duration::seconds(30));
        let later = code(now + time::Duration::seconds(30));
        let stale = code(now - time::Duration::seconds(60));
        assert_eq!(secret.accepts(&code(now), now, None), Some(step));
        assert_eq!(secret.accepts(&earlier, now, None), Some(step - 1));
        assert_eq!(secret.accepts(&later, now, None), Some(step + 1));
        assert_eq!(secret.accepts(&stale, now, None), None);
        // Once accepted, the same code (or an older one) is refused.
        assert_eq!(secret.accepts(&code(now), now, Some(step)), None);
        assert_eq!(secret.accepts(&earlier, now, Some(step)), None);
        assert_eq!(secret.accepts(&later, now, Some(step)), Some(step + 1));
    }

    #[test]
    fn typed_codes_are_read_as_people_type_them() {
        assert!(TotpCode::parse("123 456").is_ok());
        assert!(TotpCode::parse(" 123-456 ").is_ok());
        assert_eq!(TotpCode::parse(""), Err(CodeProblem::Missing));
        assert_eq!(TotpCode::parse("12345"), Err(CodeProblem::Malformed));
        assert_eq!(TotpCode::parse("12345a"), Err(CodeProblem::Malformed));
        assert_eq!(TotpCode::parse("１２３４５６"), Err(CodeProblem::Malformed));
    }

    #[test]
    fn the_manual_key_is_the_secret_in_base_32() {
        // RFC 4648's test vector: "foobar" is MZXW6YTBOI.
        let secret = TotpSecret(b"foobarfoobarfoobarfo".to_vec());
        assert_eq!(
            secret.manual_key(),
            "MZXW 6YTB OJTG 633C MFZG M33P MJQX EZTP"
        );
        let url = secret.otpauth_url("ann.lee@force.police.uk").unwrap();
        assert!(
            url.starts_with("otpauth://totp/Tandem:ann.lee%40force.police.uk?"),
            "{url}"
        );
        assert!(
            url.contains("secret=MZXW6YTBOJTG633CMFZGM33PMJQXEZTP"),
            "{url}"
        );
        assert!(url.contains("issuer=Tandem"), "{url}");
    }

    #[test]
    fn recovery_codes_read_back_however_they_are_typed() {
        let code = RecoveryCode::new([0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a]);
        let shown = code.shown();
        assert_eq!(shown.len(), 11);
        assert_eq!(RecoveryCode::parse(&shown), Some(code.clone()));
        assert_eq!(
            RecoveryCode::parse(&shown.to_uppercase().replace('-', " ")),
            Some(code)
        );
        assert_eq!(RecoveryCode::parse("abcde-fghi1"), None);
        assert_eq!(RecoveryCode::parse("abcde"), None);
    }

    #[test]
    fn a_role_required_in_its_organisation_requires_two_factor() {
        use uuid::Uuid;
        let home = OrganisationId(Uuid::from_u128(1));
        let other = OrganisationId(Uuid::from_u128(2));
        let grant = |role, scope| Grant { role, scope };
        let coordinator_here = grant(StaffRole::Coordinator, Scope::Organisation(home));
        let champion_there = grant(StaffRole::Champion, Scope::Organisation(other));
        let national = grant(StaffRole::NationalAdmin, Scope::Installation);
        let requirements = [
            (home, StaffRole::Coordinator),
            (other, StaffRole::OrganisationAdmin),
        ];
        assert!(required(&[coordinator_here], home, &requirements));
        assert!(!required(
            std::slice::from_ref(&champion_there),
            home,
            &requirements
        ));
        assert!(!required(
            std::slice::from_ref(&national),
            home,
            &requirements
        ));
        assert!(required(
            &[national],
            home,
            &[(home, StaffRole::NationalAdmin)]
        ));
        assert!(!required(&[], home, &requirements), "participants never");
        assert!(required(
            &[champion_there],
            home,
            &[(other, StaffRole::Champion)]
        ));
    }
}
