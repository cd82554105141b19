//! The College's national schemes on each backend: invitation lists (only the invited may apply,
//! and the invitation is checked again at matching), peer matching across forces, and the supply
//! of mentors with an appeal where it is short (R10.2).

use crate::applications::{HEADER, PUBLIC_URL, coordinator_of, mentee_form, mentor_form, person};
use crate::{app, operator};
use tandem_app::applications;
use tandem_app::invitations::NewInvitation;
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::{App, AppError, invitations, matching, organisations, schemes};
use tandem_core::OrganisationKind;
use tandem_core::application::ApplicationStatus;
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::{Refusal, Role};
use tandem_core::hr::ImportOptions;
use tandem_core::programme::presets;
use tandem_store::testing::on_each_backend;

const PEOPLE: &str = "\
N1,college,Pat,Lane,pat@college.police.uk,Leadership,Ryton,Grade 9,staff,,2010-01-01,no,no,serving,
S1,police-scotland,Isla,Grant,isla@scotland.police.uk,Executive,Glasgow,Assistant Chief Constable,officer,,2002-01-01,no,no,serving,Female
S2,police-scotland,Rory,Bell,rory@scotland.police.uk,Executive,Edinburgh,Assistant Chief Constable,officer,,2004-01-01,no,no,serving,Male
S3,police-scotland,Kirsty,Muir,kirsty@scotland.police.uk,Executive,Glasgow,Chief Superintendent,officer,,2001-01-01,no,no,serving,Female
S4,police-scotland,Euan,Rae,euan@scotland.police.uk,Executive,Glasgow,Chief Superintendent,officer,,2001-01-01,no,no,serving,Male
C1,cleveland,Nadia,Shah,nadia@cleveland.police.uk,Executive,Middlesbrough,Assistant Chief Constable,officer,,2023-06-01,no,no,serving,Female
C2,cleveland,Tom,Pike,tom@cleveland.police.uk,Executive,Middlesbrough,Assistant Chief Officer,staff,,2024-02-01,no,no,serving,Male
C3,cleveland,Jo,Wren,jo@cleveland.police.uk,Executive,Middlesbrough,Deputy Chief Constable,officer,,2019-02-01,no,no,serving,Female
";

async fn national_programme(app: &App) {
    for (code, name, kind, preset) in [
        (
            "college",
            "College of Policing",
            OrganisationKind::National,
            "college-national",
        ),
        (
            "police-scotland",
            "Police Scotland",
            OrganisationKind::Force,
            "police-scotland",
        ),
        (
            "cleveland",
            "Cleveland Police",
            OrganisationKind::Force,
            "cleveland",
        ),
    ] {
        let code = OrgCode::parse(code).unwrap();
        organisations::create(app, &operator(), code.clone(), name.to_owned(), kind)
            .await
            .unwrap();
        let programme = presets::load(preset).unwrap().unwrap();
        schemes::apply_programme(app, &operator(), &programme, &code, Some(preset))
            .await
            .unwrap();
    }
    let file = format!("{HEADER}\n{PEOPLE}");
    let request = ImportRequest {
        bytes: file.as_bytes(),
        options: ImportOptions::default(),
        dry_run: false,
        source: "test.csv",
    };
    import(app, &operator(), request, &|_: ImportStage| {})
        .await
        .unwrap();
}

async fn college(app: &App) -> tandem_core::OrganisationId {
    organisations::by_code(app, &OrgCode::parse("college").unwrap())
        .await
        .unwrap()
        .id
}

fn key(raw: &str) -> SchemeKey {
    SchemeKey::parse(raw).unwrap()
}

async fn apply_to(
    app: &App,
    organisation: &str,
    staff: &str,
    scheme: &str,
    role: Role,
) -> Result<tandem_core::application::Application, AppError> {
    let actor = person(app, organisation, staff).await;
    let form = match role {
        Role::Mentor => mentor_form("1"),
        Role::Mentee => mentee_form(),
    };
    applications::apply(
        app,
        &actor,
        &OrgCode::parse("college").unwrap(),
        &key(scheme),
        role,
        &form,
        PUBLIC_URL,
    )
    .await
}

async fn emails_to(app: &App, recipient: &str) -> Vec<(String, String)> {
    crate::applications::unsent_to(app)
        .await
        .into_iter()
        .filter(|(to, _, _)| to == recipient)
        .map(|(_, subject, body)| (subject, body))
        .collect()
}

#[tokio::test]
async fn only_people_on_the_invitation_list_may_apply_and_be_matched() {
    on_each_backend(|store| async move {
        let app = app(store);
        national_programme(&app).await;
        let college = college(&app).await;
        let coordinator = coordinator_of(&app, "college", None).await;
        let network = key("womens-network");

        // Kirsty, a chief superintendent in the stage 5 assessment, cannot apply uninvited.
        let refused = apply_to(&app, "police-scotland", "S3", "womens-network", Role::Mentee).await;
        assert!(
            matches!(&refused, Err(AppError::Ineligible(reasons)) if reasons == &[Refusal::NotInvited]),
            "{refused:?}"
        );

        // The coordinator invites her; she is emailed how to apply.
        invitations::invite(&app, &coordinator, college, &network, NewInvitation { email: "kirsty@scotland.police.uk", role: Role::Mentee, note: "stage 5, spring" }, PUBLIC_URL)
            .await
            .unwrap();
        let emails = emails_to(&app, "kirsty@scotland.police.uk").await;
        assert_eq!(emails.len(), 1);
        assert_eq!(emails[0].0, "An invitation to Women's chief officer network mentoring");
        assert!(
            emails[0].1.contains("https://tandem.example/organisations/college/schemes/womens-network/apply/mentee"),
            "{}",
            emails[0].1
        );

        // Refusals the coordinator meets: the audience, a role not by invitation, an unknown
        // email, a second invitation.
        let male = invitations::invite(&app, &coordinator, college, &network, NewInvitation { email: "euan@scotland.police.uk", role: Role::Mentee, note: "" }, PUBLIC_URL).await;
        assert!(
            matches!(&male, Err(AppError::Ineligible(reasons)) if reasons.len() == 1 && reasons[0].to_string().contains("self-declared")),
            "{male:?}"
        );
        let mentor = invitations::invite(&app, &coordinator, college, &network, NewInvitation { email: "jo@cleveland.police.uk", role: Role::Mentor, note: "" }, PUBLIC_URL).await;
        assert!(
            matches!(&mentor, Err(AppError::Conflict(message)) if message.contains("without invitations")),
            "{mentor:?}"
        );
        let unknown = invitations::invite(&app, &coordinator, college, &network, NewInvitation { email: "nobody@example.org", role: Role::Mentee, note: "" }, PUBLIC_URL).await;
        assert!(
            matches!(&unknown, Err(AppError::Invalid(problems)) if problems[0].field == "email"),
            "{unknown:?}"
        );
        let twice = invitations::invite(&app, &coordinator, college, &network, NewInvitation { email: "kirsty@scotland.police.uk", role: Role::Mentee, note: "" }, PUBLIC_URL).await;
        assert!(matches!(twice, Err(AppError::Conflict(_))), "{twice:?}");

        // Invited, she applies; a chief officer from another force mentors her.
        let applied = apply_to(&app, "police-scotland", "S3", "womens-network", Role::Mentee).await.unwrap();
        assert_eq!(applied.status, ApplicationStatus::Approved);
        apply_to(&app, "cleveland", "C3", "womens-network", Role::Mentor).await.unwrap();
        let list = invitations::list(&app, &coordinator, college, &network).await.unwrap();
        assert_eq!(list.rows.len(), 1);
        assert_eq!(list.rows[0].applied, Some(ApplicationStatus::Approved));
        let summary = matching::propose(&app, &coordinator, college, &network).await.unwrap();
        assert_eq!((summary.matched, summary.excluded), (1, 0));

        // With the invitation withdrawn she is no longer matched, and the board says why.
        invitations::withdraw(&app, &coordinator, college, &network, applied.person, Role::Mentee)
            .await
            .unwrap();
        let summary = matching::propose(&app, &coordinator, college, &network).await.unwrap();
        assert_eq!((summary.matched, summary.excluded), (0, 1));
        let board = matching::board(&app, &coordinator, college, &network).await.unwrap();
        assert_eq!(
            board.run.unwrap().excluded[0].1,
            "this scheme is by invitation and the person has not been invited"
        );

        // Only the scheme's coordinators keep the list.
        let stranger = person(&app, "police-scotland", "S2").await;
        let denied = invitations::list(&app, &stranger, college, &network).await;
        assert!(matches!(denied, Err(AppError::Denied(_))), "{denied:?}");
    })
    .await;
}

#[tokio::test]
async fn peers_are_matched_across_forces_and_the_supply_page_shows_where_mentors_are_short() {
    on_each_backend(|store| async move {
        let app = app(store);
        national_programme(&app).await;
        let college = college(&app).await;
        let coordinator = coordinator_of(&app, "college", None).await;
        let peers = key("peer-acc-aco");

        // Two newly appointed ACC/ACOs in Cleveland ask for a peer; one experienced ACC in
        // Scotland volunteers.
        apply_to(&app, "cleveland", "C1", "peer-acc-aco", Role::Mentee)
            .await
            .unwrap();
        apply_to(&app, "cleveland", "C2", "peer-acc-aco", Role::Mentee)
            .await
            .unwrap();
        apply_to(&app, "police-scotland", "S1", "peer-acc-aco", Role::Mentor)
            .await
            .unwrap();

        let supply = matching::supply(&app, &coordinator, college, &peers)
            .await
            .unwrap();
        let band = &supply.balance.bands[0];
        assert_eq!(band.band.as_deref(), Some("acc"));
        assert_eq!((band.mentees, band.places, band.shortfall()), (2, 1, 1));
        assert_eq!(
            supply
                .appeal_bands
                .iter()
                .map(|it| it.code.as_str())
                .collect::<Vec<_>>(),
            ["acc"]
        );

        // The national coordinator matches across forces.
        let summary = matching::propose(&app, &coordinator, college, &peers)
            .await
            .unwrap();
        assert_eq!(summary.matched, 1);
        let board = matching::board(&app, &coordinator, college, &peers)
            .await
            .unwrap();
        assert_eq!(
            board.proposed[0].mentor.record.organisation.as_ref(),
            "police-scotland"
        );
        assert_eq!(
            board.proposed[0].mentee.record.organisation.as_ref(),
            "cleveland"
        );

        // An appeal for ACC mentors goes to every ACC in any force who could volunteer: Rory
        // only (Isla has volunteered, and the two in Cleveland are mentees already).
        let message = "We need ACO and ACC mentors for this year's newly appointed peers.";
        let sent = matching::appeal(
            &app,
            &coordinator,
            college,
            &peers,
            "acc",
            message,
            PUBLIC_URL,
        )
        .await
        .unwrap();
        assert_eq!(sent, 1);
        let emails = emails_to(&app, "rory@scotland.police.uk").await;
        assert_eq!(emails.len(), 1);
        assert!(emails[0].1.contains(message), "{}", emails[0].1);
        assert!(
            emails[0]
                .1
                .contains("/organisations/college/schemes/peer-acc-aco/apply/mentor"),
            "{}",
            emails[0].1
        );
        assert!(
            emails_to(&app, "isla@scotland.police.uk")
                .await
                .iter()
                .all(|(subject, _)| !subject.contains("mentors needed"))
        );
        let supply = matching::supply(&app, &coordinator, college, &peers)
            .await
            .unwrap();
        assert_eq!(supply.appeals.len(), 1);
        assert_eq!(
            (
                supply.appeals[0].0.recipients,
                supply.appeals[0].0.rank_band.as_str()
            ),
            (1, "Assistant Chief Constables and Assistant Chief Officers")
        );

        // Bad appeals are refused and send nothing.
        let wrong_band = matching::appeal(
            &app,
            &coordinator,
            college,
            &peers,
            "constable",
            message,
            PUBLIC_URL,
        )
        .await;
        assert!(
            matches!(&wrong_band, Err(AppError::Invalid(problems)) if problems[0].field == "band"),
            "{wrong_band:?}"
        );
        let empty =
            matching::appeal(&app, &coordinator, college, &peers, "acc", "  ", PUBLIC_URL).await;
        assert!(
            matches!(&empty, Err(AppError::Invalid(problems)) if problems[0].field == "message"),
            "{empty:?}"
        );
        let buddies = matching::appeal(
            &app,
            &coordinator,
            college,
            &key("stage5-buddy"),
            "acc",
            message,
            PUBLIC_URL,
        )
        .await;
        assert!(
            matches!(&buddies, Err(AppError::Conflict(text)) if text.contains("by invitation")),
            "{buddies:?}"
        );
        let stranger = person(&app, "police-scotland", "S2").await;
        let denied =
            matching::appeal(&app, &stranger, college, &peers, "acc", message, PUBLIC_URL).await;
        assert!(matches!(denied, Err(AppError::Denied(_))), "{denied:?}");
        assert_eq!(emails_to(&app, "rory@scotland.police.uk").await.len(), 1);
    })
    .await;
}
