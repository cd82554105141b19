//! The signed-in person's own account page.

use crate::chrome::{Chrome, role_names};
use crate::visitor::SignedIn;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub(crate) struct AccountPage {
    chrome: Chrome,
    rows: Vec<(&'static str, String)>,
    roles: Vec<String>,
}

/// `GET /account`: who you are signed in as, and your roles.
pub(crate) async fn get(signed_in: SignedIn) -> AccountPage {
    let SignedIn { session, visitor } = signed_in;
    let record = &session.record;
    let optional = |text: &Option<tandem_core::domain::FreeText>| {
        text.as_ref()
            .map_or_else(|| "Not recorded".to_owned(), ToString::to_string)
    };
    AccountPage {
        chrome: Chrome::new(&visitor, Some(&session), "/account"),
        rows: vec![
            ("Name", record.full_name()),
            ("Email", record.email.to_string()),
            ("Organisation", session.organisation.name.clone()),
            ("Staff number", record.staff_number.to_string()),
            ("Rank or grade", record.rank_or_grade.to_string()),
            ("Department", optional(&record.department)),
            ("Location", optional(&record.location)),
        ],
        roles: role_names(&session),
    }
}
