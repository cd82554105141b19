//! The check page before an action that cannot be undone (the GOV.UK pattern): "You are about
//! to …", what happens in words (who is told, what ends, counted), a warning button that
//! sends the action with [`CONFIRMED`], and a link to cancel. The action's `POST` acts only
//! with that field, so a stale or hand-made form lands on the check page instead; both ask
//! the same use-case function whether the action is allowed.

use crate::chrome::Chrome;
use crate::form::{Pairs, value};
use crate::routes::sign_in::FieldError;
use askama::Template;
use askama_web::WebTemplate;

/// The field, and its value, that the check page's button sends.
pub(crate) const CONFIRMED: (&str, &str) = ("confirmed", "yes");

/// Whether a form was sent from its check page.
pub(crate) fn confirmed(pairs: &Pairs) -> bool {
    value(pairs, CONFIRMED.0) == CONFIRMED.1
}

/// A reason the person types on the check page (ending a relationship).
pub(crate) struct ReasonField {
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) value: String,
    /// The most characters the use case accepts, counted down as the person types.
    pub(crate) limit: usize,
}

/// A box to tick on the check page (going back on the waiting list).
pub(crate) struct Tick {
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) checked: bool,
}

/// A check page.
#[derive(Template, WebTemplate)]
#[template(path = "check.html")]
pub(crate) struct CheckPage {
    pub(crate) chrome: Chrome,
    /// The page the action starts from: (address, its name), the breadcrumb and the way back.
    pub(crate) from: (String, String),
    /// Above the heading: the scheme or the person.
    pub(crate) caption: String,
    /// "You are about to …".
    pub(crate) heading: String,
    /// What happens, one sentence each.
    pub(crate) consequences: Vec<String>,
    /// Where the button sends the form.
    pub(crate) action: String,
    /// Fields the form carries unchanged.
    pub(crate) hidden: Vec<(String, String)>,
    pub(crate) reason: Option<ReasonField>,
    pub(crate) tick: Option<Tick>,
    /// The button's words.
    pub(crate) button: String,
    pub(crate) errors: Vec<FieldError>,
}

impl CheckPage {
    /// A check page for `heading`, its button sending to `action`.
    pub(crate) fn new(
        chrome: Chrome,
        from: (String, String),
        heading: String,
        action: String,
        button: &str,
    ) -> Self {
        Self {
            chrome,
            from,
            caption: String::new(),
            heading,
            consequences: Vec::new(),
            action,
            hidden: Vec::new(),
            reason: None,
            tick: None,
            button: button.to_owned(),
            errors: Vec::new(),
        }
    }

    /// The confirmation field and the form's carried fields, in the order they are sent.
    fn fields(&self) -> Vec<(&str, &str)> {
        let mut fields: Vec<(&str, &str)> = self
            .hidden
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        fields.push(CONFIRMED);
        fields
    }

    /// The error at `field`, if any.
    fn error_at(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}
