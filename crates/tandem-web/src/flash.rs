//! The notice a page shows once after an action ("The meeting is arranged"). It travels from
//! the action to the page in a short-lived `HttpOnly` cookie that only this site can set, never
//! in the address: a `?notice=` anyone could put in a link would show their words as the
//! service's own banner. The cookie carries which notice ([`Flash`]: a code and numbers),
//! never text, so whatever is put in it, a page shows only the service's own words.

use crate::{WebState, cookies};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;

/// Seconds a notice waits for its page.
const LIFETIME: i64 = 60;

/// The longest cookie value read: a notice's code and its numbers are short.
const LONGEST: usize = 200;

/// The notices whose words never change, each by its name (which the cookie carries).
macro_rules! fixed {
    ($($name:ident => $words:literal;)*) => {
        /// A notice whose words never change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Fixed {
            $(#[doc = $words] $name,)*
        }

        impl Fixed {
            /// Every fixed notice.
            #[cfg(test)]
            const ALL: &[Fixed] = &[$(Fixed::$name),*];

            fn words(self) -> &'static str {
                match self {
                    $(Fixed::$name => $words,)*
                }
            }

            fn code(self) -> &'static str {
                match self {
                    $(Fixed::$name => stringify!($name),)*
                }
            }

            fn parse(code: &str) -> Option<Fixed> {
                match code {
                    $(stringify!($name) => Some(Fixed::$name),)*
                    _ => None,
                }
            }
        }
    };
}

fixed! {
    ProposalReady => "The proposal is ready. Nothing is final until you confirm.";
    ProposalStopping => "The proposal is being stopped. The proposals below are unchanged.";
    PairConfirmed => "The pair is confirmed; both have been emailed.";
    PairProposed => "The pair is proposed; confirm it when you are ready.";
    ConstraintSaved => "Saved. Run the proposal again to see its effect.";
    ConstraintRemoved => "The pin or rule-out is removed. Run the proposal again to see its effect.";
    RelationshipEnded => "The relationship has ended.";
    RelationshipEndedBackOnList => "The relationship has ended; the mentee is back on the waiting list.";
    ApplicationWithdrawn => "Your application is withdrawn.";
    InvitationWithdrawn => "The invitation is withdrawn.";
    IntroductionArranged => "The introductory meeting is arranged; you both have an email with its calendar entry.";
    SessionLogged => "The session is logged. Add your notes to it below.";
    SessionBooked => "The session is booked; you both have an email with its calendar entry.";
    MeetingHeld => "Marked as held. Add your notes to it below.";
    MeetingCancelled => "The meeting is called off; you both have an email.";
    NotesSaved => "Your notes are saved. Only the two of you can read them.";
    GoalAdded => "The goal is added.";
    GoalUpdated => "The goal is updated.";
    ActionAdded => "The action is added.";
    ActionUpdated => "The action is updated.";
    ReviewRecorded => "The progress review is recorded.";
    OnHold => "The relationship is on hold; your partner has an email.";
    Resumed => "The relationship is active again.";
    ClosingStarted => "Closing has started; your partner has an email. Write your review and answer the evaluation below.";
    ClosingReviewKept => "Thank you: your review is kept with your relationship.";
    EvaluationAnswered => "Thank you for your answers. They are confidential: the programme sees your scores only counted together with others', and your words without your name.";
    ExtensionProposed => "Your partner has been asked to agree the new end date.";
    PanelFlagged => "The relationship is flagged; the coordinator will decide, or you can declare how you will manage it.";
    DeclarationRecorded => "Your declaration is recorded; the coordinator and your partner can read it.";
    ConcernRaised => "Your concern has gone to the coordinator. Your partner has not been told.";
    CheckInRecorded => "Thank you: your check-in is recorded.";
    KeptOpen => "The relationship stays open; its quiet time counts from today.";
    ConcernOutcomeRecorded => "What was done is recorded; the reporter has been told.";
    PersonErased => "The person's personal data was erased. They now show as “Erased person”.";
    AnswerThemesSaved => "Saved the answer's themes.";
    ThemeAdded => "The theme is added.";
    ThemeRemoved => "Removed the theme, and took it off the answers tagged with it.";
    PasswordChanged => "Your password is changed. Anywhere else you were signed in, you have been signed out.";
    TwoFactorOff => "Two-factor sign-in is off. You sign in with your password alone.";
    TwoFactorReset => "Their two-factor sign-in is reset and their sessions have ended. They set it up again when they next sign in, if their roles require it.";
    NoRoleNeedsTwoFactor => "Saved: no role has to use two-factor sign-in.";
    AllRead => "Every notification is marked as read.";
    NotificationChoiceSaved => "Your choice is saved.";
    AdjustmentsRecorded => "Your adjustments are recorded.";
    ExtensionAgreed => "You both agreed: the relationship has its new end date.";
    ExtensionDeclined => "You declined the extension; the end date stays.";
    ExtensionTakenBack => "You took the proposal back; the end date stays.";
    BothGoOn => "You both want to go on: your relationship is active.";
    PartnerAskedToGoOn => "Thank you. Your partner has been asked whether they want to go on too.";
    NotGoingOn => "You said you do not want to go on: the relationship has ended, and the coordinator has your reason.";
    FlagEndedRelationship => "The relationship has ended; both members have an email.";
    FlagDecided => "Your decision is recorded; both members have an email.";
}

/// A notice an action leaves for the next page: one of a fixed set, in the service's words,
/// with at most numbers and codes filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flash {
    /// Words that never change.
    Said(Fixed),
    /// A proposal found a mentor for `matched` of `mentees`.
    Proposed { matched: usize, mentees: usize },
    /// Confirm all confirmed `confirmed` pairs and passed over `refused`.
    ConfirmedAll { confirmed: usize, refused: usize },
    /// The small-number threshold is saved.
    ThresholdSaved(u32),
    /// A recovery code was used; this many are left.
    RecoveryCodesLeft(i64),
    /// An appeal for mentors went to this many people.
    AppealSent(u32),
    /// Someone is invited, as a mentor or a mentee.
    Invited { mentor: bool },
    /// These staff roles must now use two-factor sign-in.
    TwoFactorRequired(Vec<tandem_core::authz::StaffRole>),
}

impl From<Fixed> for Flash {
    fn from(fixed: Fixed) -> Self {
        Self::Said(fixed)
    }
}

impl Flash {
    /// What the page shows.
    pub(crate) fn words(&self) -> String {
        use tandem_core::words::counted;
        match self {
            Self::Said(fixed) => fixed.words().to_owned(),
            Self::Proposed { matched, mentees } => format!(
                "Proposed a mentor for {matched} of {}. Nothing is final until you confirm.",
                counted(*mentees, "mentee", "mentees")
            ),
            Self::ConfirmedAll { confirmed, refused } => {
                let mut words = format!("Confirmed {}.", counted(*confirmed, "pair", "pairs"));
                if *refused > 0 {
                    words.push_str(&format!(
                        " {} could not be confirmed and {} proposed: confirm {} on its own to see why.",
                        counted(*refused, "pair", "pairs"),
                        if *refused == 1 { "stays" } else { "stay" },
                        if *refused == 1 { "it" } else { "each" },
                    ));
                }
                words
            }
            Self::ThresholdSaved(threshold) => {
                format!("Saved: counts below {threshold} now show as “fewer than {threshold}”.")
            }
            Self::RecoveryCodesLeft(left) => format!(
                "You signed in with a recovery code, which will not work again: {} left. Make new ones from your account's two-factor sign-in page.",
                counted(*left, "recovery code", "recovery codes")
            ),
            Self::AppealSent(recipients) => format!(
                "The appeal was emailed to {}.",
                counted(*recipients, "person", "people")
            ),
            Self::Invited { mentor } => format!(
                "The person is invited as a {} and has been emailed how to apply.",
                if *mentor { "mentor" } else { "mentee" }
            ),
            Self::TwoFactorRequired(roles) => format!(
                "Saved: {} must set up two-factor sign-in when they next sign in with a password.",
                roles
                    .iter()
                    .map(|role| role.words().to_lowercase() + "s")
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The notice as the cookie carries it: a code, then numbers or codes.
    fn encode(&self) -> String {
        match self {
            Self::Said(fixed) => fixed.code().to_owned(),
            Self::Proposed { matched, mentees } => format!("proposed.{matched}.{mentees}"),
            Self::ConfirmedAll { confirmed, refused } => {
                format!("confirmed_all.{confirmed}.{refused}")
            }
            Self::ThresholdSaved(threshold) => format!("threshold.{threshold}"),
            Self::RecoveryCodesLeft(left) => format!("recovery_codes.{left}"),
            Self::AppealSent(recipients) => format!("appeal.{recipients}"),
            Self::Invited { mentor } => {
                format!("invited.{}", if *mentor { "mentor" } else { "mentee" })
            }
            Self::TwoFactorRequired(roles) => std::iter::once("two_factor")
                .chain(roles.iter().map(|role| role.as_str()))
                .collect::<Vec<_>>()
                .join("."),
        }
    }

    /// The notice a cookie names, or `None` for anything else.
    fn decode(raw: &str) -> Option<Self> {
        let mut parts = raw.split('.');
        let code = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        let number = |at: usize| rest.get(at).and_then(|it| it.parse::<usize>().ok());
        let flash = match (code, rest.len()) {
            ("proposed", 2) => Self::Proposed {
                matched: number(0)?,
                mentees: number(1)?,
            },
            ("confirmed_all", 2) => Self::ConfirmedAll {
                confirmed: number(0)?,
                refused: number(1)?,
            },
            ("threshold", 1) => Self::ThresholdSaved(u32::try_from(number(0)?).ok()?),
            ("recovery_codes", 1) => Self::RecoveryCodesLeft(i64::try_from(number(0)?).ok()?),
            ("appeal", 1) => Self::AppealSent(u32::try_from(number(0)?).ok()?),
            ("invited", 1) => Self::Invited {
                mentor: match rest[0] {
                    "mentor" => true,
                    "mentee" => false,
                    _ => return None,
                },
            },
            ("two_factor", _) => Self::TwoFactorRequired(
                rest.iter()
                    .map(|it| tandem_core::authz::StaffRole::parse(it))
                    .collect::<Option<Vec<_>>>()?,
            ),
            (code, 0) => Self::Said(Fixed::parse(code)?),
            _ => return None,
        };
        Some(flash)
    }
}

fn name(secure: bool) -> &'static str {
    if secure {
        "__Host-tandem_notice"
    } else {
        "tandem_notice"
    }
}

/// A notice a handler asks to show on the page its response leads to.
#[derive(Debug, Clone)]
struct Pending(Flash);

/// Marks `response` (a redirect) to show `notice` on the page it leads to.
pub(crate) fn attach(mut response: Response, notice: impl Into<Flash>) -> Response {
    response.extensions_mut().insert(Pending(notice.into()));
    response
}

/// The notice for this page, if an action just left one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notice(pub(crate) Option<String>);

impl FromRequestParts<WebState> for Notice {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
    }
}

/// Reads the notice cookie for the handler, sets it from a handler's [`attach`], and clears it
/// once a page has been shown with it.
pub(crate) async fn carry(
    State(state): State<WebState>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies;
    let cookie = name(secure);
    let arrived = cookies::read(request.headers(), cookie).map(str::to_owned);
    if let Some(flash) = arrived
        .as_deref()
        .filter(|raw| raw.len() <= LONGEST)
        .and_then(Flash::decode)
    {
        request.extensions_mut().insert(Notice(Some(flash.words())));
    }
    let mut response = next.run(request).await;
    let value = match response.extensions_mut().remove::<Pending>() {
        Some(Pending(flash)) => Some(cookies::set(
            cookie,
            &flash.encode(),
            Some(LIFETIME),
            secure,
        )),
        // Shown (or passed by): it is not shown again.
        None if arrived.is_some() => Some(cookies::set(cookie, "", Some(0), secure)),
        None => None,
    };
    if let Some(value) = value.and_then(|it| HeaderValue::from_str(&it).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_from_its_cookie_and_nothing_else_does() {
        let mut all: Vec<Flash> = Fixed::ALL.iter().map(|it| Flash::Said(*it)).collect();
        all.extend([
            Flash::Proposed {
                matched: 3,
                mentees: 5,
            },
            Flash::ConfirmedAll {
                confirmed: 20,
                refused: 1,
            },
            Flash::ThresholdSaved(10),
            Flash::RecoveryCodesLeft(7),
            Flash::AppealSent(1),
            Flash::Invited { mentor: true },
            Flash::TwoFactorRequired(vec![tandem_core::authz::StaffRole::Champion]),
        ]);
        for flash in all {
            let encoded = flash.encode();
            assert!(encoded.len() <= LONGEST, "{encoded}");
            assert!(
                encoded
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'),
                "a cookie value needs no escaping: {encoded}"
            );
            assert_eq!(Flash::decode(&encoded), Some(flash));
        }
        for forged in [
            "Your+account+is+suspended",
            "Said",
            "proposed.3",
            "invited.admin",
            "PasswordChanged.1",
            "",
        ] {
            assert_eq!(Flash::decode(forged), None, "{forged}");
        }
    }
}
