//! What the audit log records a person (or the system) did: a closed list, each with its code
//! (what the database stores) and its words (what the audit viewer shows). A new kind of
//! entry is added here, so no page ever shows a code a person cannot read.

/// Declares [`AuditAction`] from its table: variant, stored code, words.
macro_rules! audit_actions {
    ($( $variant:ident = $code:literal : $words:literal, )*) => {
        /// Something the audit log records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum AuditAction {
            $( #[doc = $words] $variant, )*
        }

        impl AuditAction {
            /// Every action, in the table's order.
            pub const ALL: &'static [Self] = &[$( Self::$variant ),*];

            /// The code the database stores, `noun.verb`.
            pub fn code(self) -> &'static str {
                match self {
                    $( Self::$variant => $code, )*
                }
            }

            /// What it means, in words.
            pub fn words(self) -> &'static str {
                match self {
                    $( Self::$variant => $words, )*
                }
            }

            /// The action stored under `code`, if there is one.
            pub fn parse(code: &str) -> Option<Self> {
                match code {
                    $( $code => Some(Self::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

audit_actions! {
    AccessibilityIssueAdded = "accessibility.issue_added": "Added a known accessibility issue to the statement",
    AccessibilityIssueRemoved = "accessibility.issue_removed": "Removed a known accessibility issue from the statement",
    AccessibilityStatementSaved = "accessibility.statement_saved": "Saved the accessibility statement",
    AccountLocked = "account.locked": "Account locked",
    AccountPasswordChanged = "account.password_changed": "Changed their password",
    AccountPasswordReset = "account.password_reset": "Reset their password",
    AccountPasswordResetRequested = "account.password_reset_requested": "Asked for a password reset",
    AccountPasswordSet = "account.password_set": "Password set",
    AccountRecoveryCodeUsed = "account.recovery_code_used": "Signed in with a recovery code",
    AccountRecoveryCodesReplaced = "account.recovery_codes_replaced": "Made new recovery codes",
    AccountSignInFailed = "account.sign_in_failed": "Sign-in failed",
    AccountSignedIn = "account.signed_in": "Signed in",
    AccountTwoFactorFailed = "account.two_factor_failed": "Two-factor code refused",
    AccountTwoFactorOff = "account.two_factor_off": "Turned off two-factor sign-in",
    AccountTwoFactorOn = "account.two_factor_on": "Turned on two-factor sign-in",
    AccountTwoFactorReset = "account.two_factor_reset": "Reset two-factor sign-in",
    AdjustmentsSaved = "adjustments.saved": "Saved their workplace adjustments",
    ApiTokenIssued = "api_token.issued": "Issued an API token",
    ApiTokenRevoked = "api_token.revoked": "Revoked an API token",
    ApplicationApproved = "application.approved": "Approved an application",
    ApplicationDecided = "application.decided": "Decided an application",
    ApplicationDeclined = "application.declined": "Declined an application",
    ApplicationEthicsAcknowledged = "application.ethics_acknowledged": "Acknowledged the ethics statement",
    ApplicationPrioritySet = "application.priority_set": "Set an application's priority",
    ApplicationSubmitted = "application.submitted": "Submitted an application",
    ApplicationWithdrawn = "application.withdrawn": "Withdrew an application",
    ApplicationsExported = "applications.exported": "Downloaded a scheme's applications",
    ApplicationsViewed = "applications.viewed": "Viewed a scheme's applications",
    ConcernListRead = "concern.list_read": "Read the list of concerns",
    ConcernOutcomeRecorded = "concern.outcome_recorded": "Recorded the outcome of a concern",
    ConcernRaised = "concern.raised": "Raised a concern",
    ConcernRead = "concern.read": "Read a concern",
    EqualityThresholdSaved = "equality.threshold_saved": "Changed the small-number threshold",
    EqualityViewed = "equality.viewed": "Viewed equality monitoring",
    EvaluationThemeAdded = "evaluation.theme_added": "Added an evaluation theme",
    EvaluationThemeRemoved = "evaluation.theme_removed": "Removed an evaluation theme",
    EvaluationThemesSaved = "evaluation.themes_saved": "Tagged a written answer with themes",
    EvaluationViewed = "evaluation.viewed": "Viewed evaluation results",
    InvitationSent = "invitation.sent": "Sent an invitation to apply",
    InvitationWithdrawn = "invitation.withdrawn": "Withdrew an invitation to apply",
    InvitationsViewed = "invitations.viewed": "Viewed a scheme's invitations",
    MatchConfirmed = "match.confirmed": "Confirmed a pair",
    MatchEnded = "match.ended": "Ended a pair",
    MatchRequestAccepted = "match.request_accepted": "Accepted a mentee's request",
    MatchRequestDeclined = "match.request_declined": "Declined a mentee's request",
    MatchRequestWithdrawn = "match.request_withdrawn": "Withdrew a request to a mentor",
    MatchRequested = "match.requested": "Asked a mentor from the directory",
    MatchesExported = "matches.exported": "Downloaded a scheme's pairs",
    MatchingConstraintRemoved = "matching.constraint_removed": "Removed a pin or a rule-out",
    MatchingForbidden = "matching.forbidden": "Ruled out a pair",
    MatchingPicked = "matching.picked": "Picked a pair by hand",
    MatchingPinned = "matching.pinned": "Pinned a pair",
    MatchingProposalCancelled = "matching.proposal_cancelled": "Cancelled a proposal run",
    MatchingProposalStarted = "matching.proposal_started": "Started proposing pairs",
    MatchingProposed = "matching.proposed": "Proposed pairs",
    MatchingViewed = "matching.viewed": "Viewed the matching board",
    MeetingArranged = "meeting.arranged": "Arranged a meeting",
    MeetingBooked = "meeting.booked": "Booked a meeting",
    MeetingCancelled = "meeting.cancelled": "Cancelled a meeting",
    MeetingHeld = "meeting.held": "Recorded a meeting as held",
    MeetingLogged = "meeting.logged": "Logged a session",
    NotificationsModeChanged = "notifications.mode_changed": "Changed how they are notified",
    OrganisationCreated = "organisation.created": "Organisation created",
    OrganisationTwoFactorRequired = "organisation.two_factor_required": "Set the staff roles that must use two-factor sign-in",
    OrganisationUpdated = "organisation.updated": "Changed an organisation's settings",
    PeopleExported = "people.exported": "HR directory exported",
    PeopleImported = "people.imported": "HR file imported",
    PeopleSearched = "people.searched": "People directory searched",
    PersonCreated = "person.created": "Added to the directory",
    PersonErased = "person.erased": "Erased a person",
    PersonExported = "person.exported": "Downloaded everything held on a person",
    PersonMarkedLeaver = "person.marked_leaver": "Marked as a leaver",
    PersonUpdated = "person.updated": "HR record changed",
    PersonViewed = "person.viewed": "Record viewed",
    RecordsDisposed = "records.disposed": "Disposed of records past their retention",
    RelationshipActionAdded = "relationship.action_added": "Added an action",
    RelationshipActionChanged = "relationship.action_changed": "Changed an action",
    RelationshipClosed = "relationship.closed": "Closed a relationship",
    RelationshipClosingReviewed = "relationship.closing_reviewed": "Wrote an end-of-mentoring review",
    RelationshipClosingStarted = "relationship.closing_started": "Started closing a relationship",
    RelationshipDeclinedAfterIntroduction = "relationship.declined_after_introduction": "Did not go on after the introductory meeting",
    RelationshipEvaluated = "relationship.evaluated": "Answered the evaluation",
    RelationshipExtensionAgreed = "relationship.extension_agreed": "Agreed an extension",
    RelationshipExtensionDeclined = "relationship.extension_declined": "Declined an extension",
    RelationshipExtensionProposed = "relationship.extension_proposed": "Proposed an extension",
    RelationshipExtensionWithdrawn = "relationship.extension_withdrawn": "Withdrew a proposed extension",
    RelationshipFlagSettled = "relationship.flag_settled": "Decided a flag on a relationship",
    RelationshipFlagged = "relationship.flagged": "Flagged a relationship",
    RelationshipGoalChanged = "relationship.goal_changed": "Changed a goal",
    RelationshipGoalSet = "relationship.goal_set": "Set a goal",
    RelationshipKeptOpen = "relationship.kept_open": "Kept a quiet relationship open",
    RelationshipMemberLeft = "relationship.member_left": "Recorded that a member left",
    RelationshipNotesSaved = "relationship.notes_saved": "Saved meeting notes",
    RelationshipPulseAnswered = "relationship.pulse_answered": "Answered a check-in",
    RelationshipPutOnHold = "relationship.put_on_hold": "Put a relationship on hold",
    RelationshipResumed = "relationship.resumed": "Resumed a relationship",
    RelationshipReviewed = "relationship.reviewed": "Wrote a progress review",
    RelationshipStarted = "relationship.started": "Started a relationship",
    RelationshipViewed = "relationship.viewed": "Viewed a relationship",
    RelationshipWentOn = "relationship.went_on": "Chose to go on after the introductory meeting",
    RelationshipsAttentionViewed = "relationships.attention_viewed": "Viewed relationships needing attention",
    RelationshipsExported = "relationships.exported": "Downloaded a scheme's relationships",
    RelationshipsViewed = "relationships.viewed": "Viewed a scheme's relationships",
    RetentionSaved = "retention.saved": "Changed the retention schedule",
    RoleGranted = "role.granted": "Role given",
    RoleRevoked = "role.revoked": "Role taken away",
    SchemeCreated = "scheme.created": "Scheme created",
    SchemeStatusChanged = "scheme.status_changed": "Opened or closed a scheme",
    SchemeUpdated = "scheme.updated": "Changed a scheme",
    SupplyAppealSent = "supply.appeal_sent": "Appealed for mentors",
    TrainingRecorded = "training.recorded": "Recorded training",
    TrainingRunOutViewed = "training.run_out_viewed": "Viewed whose training has run out",
    WorkshopAttendanceRecorded = "workshop.attendance_recorded": "Recorded workshop attendance",
    WorkshopBooked = "workshop.booked": "Booked a workshop place",
    WorkshopCancelledBooking = "workshop.cancelled_booking": "Cancelled a workshop booking",
    WorkshopPrioritySet = "workshop.priority_set": "Set a workshop booking's priority",
    WorkshopScheduled = "workshop.scheduled": "Scheduled a workshop",
    WorkshopsViewed = "workshops.viewed": "Viewed a scheme's workshops",
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;
    use std::collections::HashSet;

    #[test]
    fn every_action_reads_back_from_its_code_and_has_words_of_its_own() {
        let mut codes = HashSet::new();
        let mut words = HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.code()), Some(*action));
            assert!(codes.insert(action.code()), "{} twice", action.code());
            assert!(words.insert(action.words()), "'{}' twice", action.words());
            let (noun, verb) = action.code().split_once('.').unwrap_or_default();
            assert!(!noun.is_empty() && !verb.is_empty(), "{}", action.code());
            assert!(
                action.words().starts_with(char::is_uppercase) && !action.words().contains('_'),
                "{}",
                action.words()
            );
        }
        assert_eq!(AuditAction::parse("person.dreamt"), None);
    }
}
