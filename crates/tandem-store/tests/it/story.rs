//! Organisations, people, schemes, grants and audit entries written and read back the same way
//! on both backends, with the store's rules (uniqueness, all-or-nothing) holding on each.

use std::fmt::Write as _;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Grant, Scope, StaffRole};
use tandem_core::domain::{OrgCode, RankBands, SchemeKey};
use tandem_core::hr::read_file;
use tandem_core::programme::{Scheme, SchemeStatus, presets};
use tandem_core::{
    AuditId, DEFAULT_TOPICS, Organisation, OrganisationId, OrganisationKind, PersonId,
    PersonRecord, ProtectiveMarking, SchemeId,
};
use tandem_store::testing::on_each_backend;
use tandem_store::{AuditEntry, NewPerson, Store, StoreError};
use time::macros::datetime;
use uuid::Uuid;

const NOW: time::OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

fn organisation(code: &str) -> Organisation {
    Organisation {
        id: OrganisationId(Uuid::now_v7()),
        code: OrgCode::parse(code).unwrap(),
        name: format!("{code} police"),
        kind: OrganisationKind::Force,
        protective_marking: ProtectiveMarking::official(),
        rank_bands: RankBands::uk_policing(),
        topics: DEFAULT_TOPICS
            .iter()
            .map(|topic| topic.to_string())
            .collect(),
        time_zone: "Europe/London".to_owned(),
        line_manager_digest: false,
    }
}

fn records(csv_rows: &str) -> Vec<PersonRecord> {
    let header = "staff_number,organisation,first_name,last_name,email,department,location,rank_or_grade,role_type,line_manager_staff_number,start_date,on_probation,under_performance_management,employment_status,sex,ethnicity";
    read_file(format!("{header}\n{csv_rows}").as_bytes())
        .unwrap()
        .rows
        .into_iter()
        .map(|row| row.record)
        .collect()
}

async fn seed(store: &Store) -> (Organisation, Vec<PersonId>) {
    let cleveland = organisation("cleveland");
    let people = records(
        "\
1,cleveland,Ann,Hill,ann@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving,Female,
2,cleveland,Bo,Khan,bo@cleveland.police.uk,Response,Middlesbrough,Sergeant,officer,1,2012-09-10,no,no,serving,,prefer_not_to_say
3,cleveland,Cy,Reid,cy@cleveland.police.uk,,,Constable,officer,2,2024-01-15,yes,no,serving,,
",
    );
    let ids: Vec<PersonId> = people.iter().map(|_| PersonId(Uuid::now_v7())).collect();
    let new_people: Vec<NewPerson<'_>> = people
        .iter()
        .enumerate()
        .map(|(idx, record)| NewPerson {
            id: ids[idx],
            organisation: cleveland.id,
            record,
            line_manager: idx.checked_sub(1).map(|manager| ids[manager]),
        })
        .collect();
    let mut tx = store.begin_write().await.unwrap();
    tx.insert_organisation(&cleveland, NOW).await.unwrap();
    tx.insert_people(&new_people, NOW).await.unwrap();
    tx.commit().await.unwrap();
    (cleveland, ids)
}

#[tokio::test]
async fn both_backends_have_the_same_tables_and_columns() {
    on_each_backend(|store| async move {
        let schema = store.begin_read().await.unwrap().schema().await.unwrap();
        let mut listing = String::new();
        for (table, columns) in schema {
            writeln!(listing, "{table}: {}", columns.join(", ")).unwrap();
        }
        expect_test::expect![[r#"
            accessibility_issues: created_at, criterion, description, description_cy, fix_by, id, organisation_id
            accessibility_statements: email, manually_checked_on, organisation_id, phone, prepared_on, reply_within_days, reviewed_on, updated_at
            accounts: created_at, failed_sign_ins, locked_until, oidc_issuer, oidc_subject, password_hash, person_id, updated_at
            adjustments: no_travel, other, person_id, remote_meetings, shared_with_partner, updated_at, version
            api_tokens: can_write, created_at, created_by, id, last_used_at, name, organisation_id, revoked_at, token_hash
            applications: agreement_signed_at, approver_id, availability, capacity, confidential, decided_at, decided_by, decision_reason, disposed_at, ethics_acknowledged_at, id, location, person_id, preferred_mentor_email, priority, remote_ok, role, scheme_id, statement_signed_at, status, submitted_at, summary, topics, updated_at, version, will_travel
            audit_log: action, actor, at, detail, id, organisation_id, subject_id, subject_kind
            closure_decisions: decided_at, decided_by, id, match_id, reason
            concerns: id, kind, match_id, outcome, outcome_at, outcome_by, raised_at, raised_by, scheme_id, text
            equality_settings: organisation_id, suppression_threshold, updated_at
            evaluation_answer_themes: match_id, person_id, question, scheme_id, tagged_at, theme
            evaluation_answers: answers, match_id, person_id, reference, submitted_at, text_disposed_at, words_shared
            evaluation_themes: created_at, label, position, scheme_id, theme
            held_session_days: day, department, held, organisation_id, scheme_id
            held_session_months: department, held, month, organisation_id, scheme_id
            invitations: id, invited_at, invited_by, note, person_id, role, scheme_id
            match_runs: division, excluded, id, matched, mentees, mentors, run_at, run_by, scheme_id, total_score, unmatched
            matches: closed_at, closing_started_at, confirmed_at, content_disposed_at, decided_at, decided_by, ends_on, explanation, held_since, hold_reason, id, mentee_application_id, mentee_id, mentee_went_on_at, mentor_application_id, mentor_id, mentor_went_on_at, proposed_at, proposed_by, reason, scheme_id, score, source, started_on, status, version
            meeting_notes: goal, match_id, meeting_id, options, reality, updated_at, updated_by, version, way_ahead
            meetings: arranged_by, created_at, id, kind, match_id, minutes, mode, place, sequence, starts_at, status, updated_at, version
            mentor_appeals: id, message, rank_band, recipients, scheme_id, sent_at, sent_by
            notification_settings: last_digest_at, mode, person_id, updated_at
            notifications: body, created_at, delivery, digested_at, id, kind, link, notice_key, person_id, read_at, subject
            organisations: code, created_at, id, kind, line_manager_digest, name, protective_marking, rank_bands, time_zone, topics, updated_at, version
            outbox: attachment, attachment_name, attachment_type, attempts, body, claimed_until, created_at, id, last_error, message_key, next_attempt_at, person_id, recipient, sent_at, subject
            pair_constraints: created_at, created_by, kind, mentee_application_id, mentor_application_id, reason, scheme_id
            password_resets: created_at, expires_at, person_id, token_hash, used_at
            pending_sign_ins: created_at, expires_at, person_id, token_hash
            people: created_at, department, email, employment_status, erased_at, first_name, id, last_name, line_manager_id, location, on_probation, organisation_id, rank_or_grade, role_type, staff_number, start_date, under_performance_management, updated_at, version
            person_diversity: age_band, caring_responsibilities, disability, ethnicity, gender_identity, person_id, religion, sex, sexual_orientation
            proposal_jobs: cancel_requested, division, done, failure, finished_at, heartbeat_at, id, requested_at, requested_by, scheme_id, stage, state, total
            pulses: answered_at, comment, id, match_id, person_id, round, score, shared
            recovery_codes: code_hash, person_id, used_at
            relationship_actions: created_at, created_by, done, due_on, id, match_id, meeting_id, owner, text, updated_at, version
            relationship_extensions: answered_at, ends_on, id, match_id, previous_ends_on, proposed_at, proposed_by, status
            relationship_flags: id, kind, match_id, outcome, raised_at, raised_by, reason, settled_at, settled_by
            relationship_goals: created_at, created_by, id, match_id, status, text, updated_at, version
            relationship_reviews: achieved, at_meeting, author_id, created_at, id, kind, match_id, next_steps
            reminders: match_id, nudge, reminder_key, sent_at
            retention_settings: months, organisation_id, record_kind, updated_at
            role_grants: division, granted_at, granted_by, id, organisation_id, person_id, role, scheme_id
            schemes: created_at, description, id, key, name, organisation_id, organisational_need, policy, preset, status, updated_at, version
            sessions: created_at, expires_at, last_seen_at, organisation_id, person_id, token_hash
            sso_logins: created_at, expires_at, next, nonce, pkce_verifier, state
            training_records: completed_on, id, person_id, recorded_at, recorded_by, training, workshop_id
            two_factor: confirmed_at, created_at, last_step, person_id, secret
            two_factor_required: organisation_id, role
            uploads: content, create_organisations, created_at, file_name, full_extract, id, imported_at, person_id, report
            waiting_positions: application_id, position, updated_at
            workshop_bookings: id, partner_id, person_id, priority, requested_at, status, updated_at, workshop_id
            workshops: cancelled, capacity, created_at, id, joint, location, purpose, scheme_id, starts_at, title, training, version
        "#]]
        .assert_eq(&listing);
    })
    .await;
}

#[tokio::test]
async fn organisations_read_back_with_their_settings() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let mut tx = store.begin_read().await.unwrap();
        assert_eq!(tx.organisations().await.unwrap(), vec![cleveland.clone()]);
        assert_eq!(
            tx.organisation_by_code(&cleveland.code).await.unwrap(),
            Some(cleveland)
        );
        assert_eq!(
            tx.organisation_by_code(&OrgCode::parse("durham").unwrap())
                .await
                .unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn people_read_back_with_managers_and_diversity_answers() {
    on_each_backend(|store| async move {
        let (cleveland, ids) = seed(&store).await;
        let mut tx = store.begin_read().await.unwrap();
        let people = tx.people_of(cleveland.id).await.unwrap();
        let expected = records(
            "\
1,cleveland,Ann,Hill,ann@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving,Female,
2,cleveland,Bo,Khan,bo@cleveland.police.uk,Response,Middlesbrough,Sergeant,officer,1,2012-09-10,no,no,serving,,prefer_not_to_say
3,cleveland,Cy,Reid,cy@cleveland.police.uk,,,Constable,officer,2,2024-01-15,yes,no,serving,,
",
        );
        assert_eq!(people.iter().map(|person| &person.record).collect::<Vec<_>>(), expected.iter().collect::<Vec<_>>());
        assert_eq!(people.iter().map(|person| person.id).collect::<Vec<_>>(), ids);
        let mut everyone = tx.all_people().await.unwrap();
        everyone.sort_by(|a, b| a.record.staff_number.cmp(&b.record.staff_number));
        assert_eq!(everyone, people);
        assert_eq!(tx.count_people(cleveland.id).await.unwrap(), 3);
        let links = tx.line_management_links(cleveland.id).await.unwrap();
        assert!(links.contains(&(ids[2], Some(ids[1]))));
        assert!(links.contains(&(ids[0], None)));
    })
    .await;
}

#[tokio::test]
async fn an_update_replaces_the_record_and_clears_withdrawn_answers() {
    on_each_backend(|store| async move {
        let (cleveland, ids) = seed(&store).await;
        let mut changed = records(
            "2,cleveland,Bo,Khan-Reid,bo.kr@cleveland.police.uk,Neighbourhood,Stockton,Inspector,officer,,2012-09-10,no,yes,career_break,,\n",
        )
        .remove(0);
        let mut tx = store.begin_write().await.unwrap();
        tx.update_person(ids[1], &changed, None, NOW).await.unwrap();
        tx.commit().await.unwrap();
        let person = store.begin_read().await.unwrap().person(ids[1]).await.unwrap();
        assert_eq!(person.record, changed);

        changed.diversity.sex = tandem_core::domain::Declaration::parse_optional("Male").unwrap();
        let mut tx = store.begin_write().await.unwrap();
        tx.update_person(ids[1], &changed, Some(ids[0]), NOW).await.unwrap();
        tx.commit().await.unwrap();
        let person = store.begin_read().await.unwrap().person(ids[1]).await.unwrap();
        assert_eq!(person.record.diversity, changed.diversity);
        assert_eq!(person.record.line_manager.unwrap().as_ref(), "1");

        let mut tx = store.begin_write().await.unwrap();
        let missing = tx.update_person(PersonId(Uuid::now_v7()), &changed, None, NOW).await;
        assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
        let _ = cleveland;
    })
    .await;
}

#[tokio::test]
async fn an_email_used_twice_is_a_conflict_and_the_transaction_writes_nothing() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let clash = records(
            "\
4,cleveland,Di,Moss,di@cleveland.police.uk,,,Constable,officer,,2020-01-01,,,serving,,
5,cleveland,Ed,Cole,ANN@cleveland.police.uk,,,Constable,officer,,2020-01-01,,,serving,,
",
        );
        let new_people: Vec<NewPerson<'_>> = clash
            .iter()
            .map(|record| NewPerson {
                id: PersonId(Uuid::now_v7()),
                organisation: cleveland.id,
                record,
                line_manager: None,
            })
            .collect();
        let mut tx = store.begin_write().await.unwrap();
        let result = tx.insert_people(&new_people, NOW).await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        drop(tx);
        assert_eq!(
            store
                .begin_read()
                .await
                .unwrap()
                .count_people(cleveland.id)
                .await
                .unwrap(),
            3
        );
    })
    .await;
}

#[tokio::test]
async fn a_manager_who_does_not_exist_is_refused() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let person = records("6,cleveland,Fay,Lowe,fay@cleveland.police.uk,,,Constable,officer,,2020-01-01,,,serving,,\n");
        let new_person =
            NewPerson { id: PersonId(Uuid::now_v7()), organisation: cleveland.id, record: &person[0], line_manager: Some(PersonId(Uuid::now_v7())) };
        let mut tx = store.begin_write().await.unwrap();
        assert!(tx.insert_people(&[new_person], NOW).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn schemes_keep_their_policy_and_keys_are_unique_per_organisation() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let programme = presets::load("cleveland").unwrap().unwrap();
        let schemes: Vec<Scheme> = programme
            .schemes
            .iter()
            .map(|definition| Scheme {
                id: SchemeId(Uuid::now_v7()),
                organisation: cleveland.id,
                definition: definition.clone(),
                preset: Some("cleveland".to_owned()),
                status: SchemeStatus::Open,
                version: 1,
            })
            .collect();
        let mut tx = store.begin_write().await.unwrap();
        for scheme in &schemes {
            tx.insert_scheme(scheme, NOW).await.unwrap();
        }
        tx.commit().await.unwrap();
        let mut tx = store.begin_read().await.unwrap();
        let by_key: Vec<Scheme> = vec![schemes[1].clone(), schemes[0].clone()];
        assert_eq!(tx.schemes_of(cleveland.id).await.unwrap(), by_key);
        let reverse = SchemeKey::parse("reverse").unwrap();
        assert_eq!(
            tx.scheme_by_key(cleveland.id, &reverse)
                .await
                .unwrap()
                .as_ref(),
            Some(&schemes[1])
        );
        drop(tx);

        let mut again = schemes[0].clone();
        again.id = SchemeId(Uuid::now_v7());
        let mut tx = store.begin_write().await.unwrap();
        let result = tx.insert_scheme(&again, NOW).await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    })
    .await;
}

#[tokio::test]
async fn grants_read_back_with_their_scope() {
    on_each_backend(|store| async move {
        let (cleveland, ids) = seed(&store).await;
        let grants = [
            Grant {
                role: StaffRole::NationalAdmin,
                scope: Scope::Installation,
            },
            Grant {
                role: StaffRole::OrganisationAdmin,
                scope: Scope::Organisation(cleveland.id),
            },
            Grant {
                role: StaffRole::Champion,
                scope: Scope::Division {
                    organisation: cleveland.id,
                    division: "Response".to_owned(),
                },
            },
        ];
        let mut tx = store.begin_write().await.unwrap();
        for (idx, grant) in grants.iter().enumerate() {
            let at = NOW + time::Duration::seconds(idx as i64);
            tx.insert_grant(Uuid::now_v7(), ids[0], grant, "operator:test", at)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(
            store
                .begin_read()
                .await
                .unwrap()
                .grants_of(ids[0])
                .await
                .unwrap(),
            grants
        );
        assert_eq!(
            store
                .begin_read()
                .await
                .unwrap()
                .grants_of(ids[1])
                .await
                .unwrap(),
            []
        );
    })
    .await;
}

#[tokio::test]
async fn audit_entries_read_back_in_order() {
    on_each_backend(|store| async move {
        let (cleveland, ids) = seed(&store).await;
        let entries: Vec<AuditEntry> = (0..3)
            .map(|n| AuditEntry {
                id: AuditId(Uuid::now_v7()),
                at: NOW + time::Duration::minutes(n),
                actor: "operator:test".to_owned(),
                action: AuditAction::PersonUpdated,
                organisation: Some(cleveland.id),
                subject_kind: "person".to_owned(),
                subject: Some(ids[0].0),
                detail: serde_json::json!({ "fields": ["email"], "n": n }),
            })
            .collect();
        let mut tx = store.begin_write().await.unwrap();
        tx.insert_audit(&entries).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin_read().await.unwrap();
        assert_eq!(tx.audit_of_subject(ids[0].0).await.unwrap(), entries);
        assert_eq!(
            tx.recent_audit(2).await.unwrap(),
            vec![entries[2].clone(), entries[1].clone()]
        );
        assert_eq!(tx.count_audit(AuditAction::PersonUpdated).await.unwrap(), 3);
    })
    .await;
}

#[tokio::test]
async fn the_directory_searches_names_numbers_ranks_and_departments_a_page_at_a_time() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let mut tx = store.begin_read().await.unwrap();
        let search = |text: &str, rank: &str, department: &str, limit: i64, offset: i64| {
            tandem_store::PeopleSearch {
                text: text.to_owned(),
                rank: rank.to_owned(),
                department: department.to_owned(),
                limit,
                offset,
            }
        };
        let names = |people: &[tandem_core::hr::ExistingPerson]| {
            people
                .iter()
                .map(|person| person.record.full_name())
                .collect::<Vec<_>>()
        };
        let (all, total) = tx
            .search_people(cleveland.id, &search("", "", "", 2, 0))
            .await
            .unwrap();
        assert_eq!(
            (names(&all), total),
            (vec!["Ann Hill".to_owned(), "Bo Khan".to_owned()], 3)
        );
        let (rest, _) = tx
            .search_people(cleveland.id, &search("", "", "", 2, 2))
            .await
            .unwrap();
        assert_eq!(names(&rest), ["Cy Reid"]);
        let (by_name, _) = tx
            .search_people(cleveland.id, &search("  KHAN ", "", "", 10, 0))
            .await
            .unwrap();
        assert_eq!(names(&by_name), ["Bo Khan"]);
        let (by_full_name, _) = tx
            .search_people(cleveland.id, &search("ann hi", "", "", 10, 0))
            .await
            .unwrap();
        assert_eq!(names(&by_full_name), ["Ann Hill"]);
        let (by_number, _) = tx
            .search_people(cleveland.id, &search("3", "", "", 10, 0))
            .await
            .unwrap();
        assert_eq!(names(&by_number), ["Cy Reid"]);
        let (by_rank, _) = tx
            .search_people(cleveland.id, &search("", "sergeant", "", 10, 0))
            .await
            .unwrap();
        assert_eq!(names(&by_rank), ["Bo Khan"]);
        let (by_department, total) = tx
            .search_people(cleveland.id, &search("", "", "resp", 10, 0))
            .await
            .unwrap();
        assert_eq!((names(&by_department).len(), total), (2, 2));
        let (wildcard, total) = tx
            .search_people(cleveland.id, &search("%", "", "", 10, 0))
            .await
            .unwrap();
        assert_eq!(
            (wildcard.len(), total),
            (0, 0),
            "a percent sign matches itself, not everything"
        );
        let (ranks, departments) = tx.directory_facets(cleveland.id).await.unwrap();
        assert_eq!(ranks, ["Constable", "Inspector", "Sergeant"]);
        assert_eq!(departments, ["Response"]);
    })
    .await;
}

#[tokio::test]
async fn a_grant_can_be_taken_away_by_its_id() {
    on_each_backend(|store| async move {
        let (cleveland, ids) = seed(&store).await;
        let grant = Grant {
            role: StaffRole::Coordinator,
            scope: Scope::Organisation(cleveland.id),
        };
        let mut tx = store.begin_write().await.unwrap();
        let id = Uuid::now_v7();
        tx.insert_grant(id, ids[0], &grant, "operator:test", NOW)
            .await
            .unwrap();
        assert_eq!(tx.held_grants_of(ids[0]).await.unwrap(), vec![(id, grant)]);
        assert!(
            !tx.delete_grant(ids[1], id).await.unwrap(),
            "only the holder's grant is removed"
        );
        assert!(tx.delete_grant(ids[0], id).await.unwrap());
        assert!(tx.held_grants_of(ids[0]).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_filtered_by_organisation_subject_actor_and_time() {
    on_each_backend(|store| async move {
        let (cleveland, ids) = seed(&store).await;
        let entry = |minutes: i64,
                     actor: &str,
                     subject: PersonId,
                     organisation: Option<OrganisationId>| AuditEntry {
            id: AuditId(Uuid::now_v7()),
            at: NOW + time::Duration::minutes(minutes),
            actor: actor.to_owned(),
            action: AuditAction::PersonViewed,
            organisation,
            subject_kind: "person".to_owned(),
            subject: Some(subject.0),
            detail: serde_json::json!({}),
        };
        let entries = vec![
            entry(0, "person:a", ids[0], Some(cleveland.id)),
            entry(10, "person:b", ids[1], Some(cleveland.id)),
            entry(20, "person:a", ids[1], None),
        ];
        let mut tx = store.begin_write().await.unwrap();
        tx.insert_audit(&entries).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin_read().await.unwrap();
        let search = |search: tandem_store::AuditSearch| tandem_store::AuditSearch {
            limit: 10,
            ..search
        };
        let (all, total) = tx.search_audit(&search(Default::default())).await.unwrap();
        assert_eq!((all.len(), total), (3, 3));
        assert_eq!(all[0], entries[2], "newest first");
        let (of_cleveland, _) = tx
            .search_audit(&search(tandem_store::AuditSearch {
                organisation: Some(cleveland.id),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(of_cleveland.len(), 2);
        let (about_bo, _) = tx
            .search_audit(&search(tandem_store::AuditSearch {
                subject: Some(ids[1].0),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(about_bo.len(), 2);
        let (by_a, _) = tx
            .search_audit(&search(tandem_store::AuditSearch {
                actor: Some("person:a".to_owned()),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(by_a.len(), 2);
        let window = tandem_store::AuditSearch {
            from: Some(NOW + time::Duration::minutes(5)),
            to: Some(NOW + time::Duration::minutes(15)),
            ..Default::default()
        };
        let (in_window, _) = tx.search_audit(&search(window)).await.unwrap();
        assert_eq!(in_window, vec![entries[1].clone()]);
    })
    .await;
}

#[tokio::test]
async fn api_tokens_are_found_by_the_hash_of_their_secret_and_can_be_revoked() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let token = tandem_store::ApiToken {
            id: Uuid::now_v7(),
            name: "HR feed".to_owned(),
            organisation: Some(cleveland.id),
            write: true,
            created_by: "operator:test".to_owned(),
            created_at: NOW,
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = store.begin_write().await.unwrap();
        tx.insert_token(&token, b"hash-of-the-secret")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        assert_eq!(
            tx.token_by_hash(b"hash-of-the-secret").await.unwrap(),
            Some(token.clone())
        );
        assert_eq!(tx.token_by_hash(b"another").await.unwrap(), None);
        assert_eq!(
            tx.tokens_of(Some(cleveland.id)).await.unwrap(),
            vec![token.clone()]
        );
        assert!(tx.tokens_of(None).await.unwrap().is_empty());
        tx.touch_token(token.id, NOW).await.unwrap();
        assert!(tx.revoke_token(token.id, NOW).await.unwrap());
        assert!(
            !tx.revoke_token(token.id, NOW).await.unwrap(),
            "revoking twice changes nothing"
        );
        let held = tx
            .token_by_hash(b"hash-of-the-secret")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((held.last_used_at, held.revoked_at), (Some(NOW), Some(NOW)));
    })
    .await;
}

#[tokio::test]
async fn a_schemes_evaluation_themes_keep_their_order_and_leave_with_their_tags() {
    use tandem_core::evaluation::{Theme, ThemeKey};
    use tandem_store::reports::{ReportFilter, Window};
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let definition = presets::load("cleveland").unwrap().unwrap().schemes[0].clone();
        let scheme = Scheme {
            id: SchemeId(Uuid::now_v7()),
            organisation: cleveland.id,
            definition,
            preset: None,
            status: SchemeStatus::Open,
            version: 1,
        };
        let time = Theme::add(&[], "Time to meet").unwrap();
        let confidence = Theme::add(&[], "Confidence").unwrap();
        let mut tx = store.begin_write().await.unwrap();
        tx.insert_scheme(&scheme, NOW).await.unwrap();
        tx.insert_evaluation_theme(scheme.id, &time, NOW)
            .await
            .unwrap();
        tx.insert_evaluation_theme(scheme.id, &confidence, NOW)
            .await
            .unwrap();
        let again = tx.insert_evaluation_theme(scheme.id, &time, NOW).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        drop(tx);

        let mut tx = store.begin_write().await.unwrap();
        tx.insert_scheme(&scheme, NOW).await.unwrap();
        tx.insert_evaluation_theme(scheme.id, &time, NOW)
            .await
            .unwrap();
        tx.insert_evaluation_theme(scheme.id, &confidence, NOW)
            .await
            .unwrap();
        // Added order, not alphabetical.
        assert_eq!(
            tx.evaluation_themes(scheme.id).await.unwrap(),
            vec![time.clone(), confidence.clone()]
        );
        // No answer has that reference: nothing is tagged.
        assert!(
            !tx.save_answer_themes(
                scheme.id,
                "nobody",
                "worked",
                std::slice::from_ref(&time.key),
                NOW
            )
            .await
            .unwrap()
        );
        assert!(
            tx.delete_evaluation_theme(scheme.id, &time.key)
                .await
                .unwrap()
        );
        assert!(
            !tx.delete_evaluation_theme(scheme.id, &ThemeKey::parse("time-to-meet").unwrap())
                .await
                .unwrap()
        );
        assert_eq!(
            tx.evaluation_themes(scheme.id).await.unwrap(),
            vec![confidence]
        );
        // With no relationship closing, nobody was asked and nothing is read.
        let filter = ReportFilter {
            organisation: cleveland.id,
            scheme: Some(scheme.id),
            division: None,
        };
        let window = Window {
            start: NOW - time::Duration::days(365),
            end: NOW,
        };
        let response = tx.evaluation_response(&filter, window).await.unwrap();
        assert_eq!((response.members, response.respondents), (0, 0));
        assert!(
            tx.evaluation_answers_in(&filter, window)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_erased_person_keeps_their_row_under_stand_ins_and_loses_their_answers() {
    on_each_backend(|store| async move {
        let (_, ids) = seed(&store).await;
        let rows = |records: &tandem_store::subject_access::PersonRecords, table: &str| {
            records
                .tables
                .iter()
                .find(|it| it.name == table)
                .map(|it| it.rows.len())
                .unwrap()
        };
        let mut tx = store.begin_read().await.unwrap();
        let before = tx.person_records(ids[0], true).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(rows(&before, "person_diversity"), 1);
        assert_eq!(before.erased_at, None);

        let identity =
            tandem_core::erasure::ErasedIdentity::new(Uuid::from_u128(0xfeed_0000_0000_0001));
        let mut tx = store.begin_write().await.unwrap();
        tx.erase_person(ids[0], &identity, NOW).await.unwrap();
        tx.commit().await.unwrap();

        let mut tx = store.begin_write().await.unwrap();
        let after = tx.person_records(ids[0], true).await.unwrap();
        assert_eq!(after.person.record.full_name(), "Erased person");
        assert_eq!(after.person.record.staff_number, identity.staff_number);
        assert_eq!(after.person.record.department, None);
        assert!(after.person.record.diversity.is_empty());
        assert_eq!(after.erased_at, Some(NOW));
        assert_eq!(rows(&after, "person_diversity"), 0);
        assert!(
            !tx.person(ids[1]).await.unwrap().record.diversity.is_empty(),
            "nobody else's answers go"
        );
        assert!(matches!(
            tx.erase_person(ids[0], &identity, NOW).await,
            Err(StoreError::Conflict(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn a_read_beside_another_sees_its_snapshot_on_postgres_and_reads_on_either() {
    on_each_backend(|store| async move {
        let (cleveland, _) = seed(&store).await;
        let mut first = store.begin_read().await.unwrap();
        assert_eq!(first.count_people(cleveland.id).await.unwrap(), 3);
        let mut tx = store.begin_write().await.unwrap();
        let later = records(
            "4,cleveland,Di,Ward,di@cleveland.police.uk,Response,Middlesbrough,Constable,officer,,2025-01-06,yes,no,serving,,\n",
        );
        let newcomer = NewPerson {
            id: PersonId(Uuid::now_v7()),
            organisation: cleveland.id,
            record: &later[0],
            line_manager: None,
        };
        tx.insert_people(&[newcomer], NOW).await.unwrap();
        tx.commit().await.unwrap();
        let mut beside = store.begin_read_beside(&mut first).await.unwrap();
        let seen = beside.count_people(cleveland.id).await.unwrap();
        match store.backend() {
            // The second reading shares the first's snapshot: the dashboard's two halves agree.
            tandem_store::Backend::Postgres => assert_eq!(seen, 3),
            // SQLite cannot share a snapshot; the second sees the database at its first read.
            tandem_store::Backend::Sqlite => assert_eq!(seen, 4),
        }
        assert_eq!(first.count_people(cleveland.id).await.unwrap(), 3);
        beside.rollback().await.unwrap();
        first.rollback().await.unwrap();
    })
    .await;
}
