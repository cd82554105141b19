//! Creating an organisation's schemes from a preset or a programme file.

use crate::{app, operator};
use tandem_app::{AppError, organisations, schemes};
use tandem_core::OrganisationKind;
use tandem_core::domain::OrgCode;
use tandem_core::programme::{Programme, presets};
use tandem_store::testing::on_each_backend;

#[tokio::test]
async fn a_preset_creates_its_schemes_once() {
    on_each_backend(|store| async move {
        let app = app(store);
        let code = OrgCode::parse("cleveland").unwrap();
        organisations::create(
            &app,
            &operator(),
            code.clone(),
            "Cleveland Police".to_owned(),
            OrganisationKind::Force,
        )
        .await
        .unwrap();
        let programme = presets::load("cleveland").unwrap().unwrap();
        let created =
            schemes::apply_programme(&app, &operator(), &programme, &code, Some("cleveland"))
                .await
                .unwrap();
        let keys: Vec<&str> = created
            .iter()
            .map(|scheme| scheme.definition.key.as_ref())
            .collect();
        assert_eq!(keys, ["traditional", "reverse"]);
        let listed = schemes::list(&app, &operator(), &code).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(
            listed[0].definition.policy, programme.schemes[1].policy,
            "listed by key: reverse first"
        );

        let again =
            schemes::apply_programme(&app, &operator(), &programme, &code, Some("cleveland")).await;
        let Err(AppError::Conflict(message)) = again else {
            panic!("applying twice should conflict: {again:?}")
        };
        assert!(
            message.contains("already runs the schemes traditional, reverse"),
            "{message}"
        );
        assert_eq!(
            schemes::list(&app, &operator(), &code).await.unwrap().len(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn a_programme_is_refused_for_an_unknown_organisation_or_rank_band() {
    on_each_backend(|store| async move {
        let app = app(store);
        let programme = presets::load("police-scotland").unwrap().unwrap();
        let missing = OrgCode::parse("durham").unwrap();
        assert!(matches!(
            schemes::apply_programme(&app, &operator(), &programme, &missing, None).await,
            Err(AppError::NotFound(_))
        ));

        let code = OrgCode::parse("police-scotland").unwrap();
        organisations::create(
            &app,
            &operator(),
            code.clone(),
            "Police Scotland".to_owned(),
            OrganisationKind::Force,
        )
        .await
        .unwrap();
        let text = presets::source("police-scotland").unwrap().replace(
            "[schemes.policy.eligibility.mentee]\n",
            "[schemes.policy.eligibility.mentee]\nrank_bands = [\"sergeants\"]\n",
        );
        let programme = Programme::from_toml(&text).unwrap();
        let Err(AppError::PolicyRejected(problems)) =
            schemes::apply_programme(&app, &operator(), &programme, &code, None).await
        else {
            panic!("an unknown rank band should be refused");
        };
        assert!(problems[0].to_string().starts_with(
            "mentoring.policy.eligibility.mentee.rank_bands: admits the rank band 'sergeants', which the organisation does not have"
        ));
        assert!(
            schemes::list(&app, &operator(), &code)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}
