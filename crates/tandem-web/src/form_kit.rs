//! Forms described as data (`FormView`), rendered by one template fragment (`form.html`), so a
//! page with many small forms shows each one's errors at its fields, keeps what was typed and
//! labels every control the same accessible way.

use crate::form::{Pairs, value};
use crate::routes::sign_in::FieldError;

/// The control a field is.
#[derive(Debug, Clone)]
pub(crate) enum FieldKind {
    /// One line of text.
    Text,
    /// A date: GOV.UK's three boxes (`{name}-day`, `-month`, `-year`), folded back into one
    /// `year-month-day` value by [`crate::date_input::Folded`] before the use case reads it.
    Date,
    /// A time of day (`type=time`).
    Time,
    /// A whole number.
    Number,
    /// Several lines.
    TextArea,
    /// One of several choices: (value, label).
    Radios(Vec<(&'static str, &'static str)>),
}

/// A field of a form.
#[derive(Debug, Clone)]
pub(crate) struct FieldView {
    /// The element's id (unique on the page: the form's id, a dash, the name).
    pub(crate) id: String,
    /// The submitted name.
    pub(crate) name: &'static str,
    /// Its label.
    pub(crate) label: String,
    /// A hint under the label.
    pub(crate) hint: Option<&'static str>,
    /// The value shown (kept from a refused submission).
    pub(crate) value: String,
    /// The error at this field.
    pub(crate) error: Option<String>,
    /// The control.
    pub(crate) kind: FieldKind,
    /// A date field's boxes (drawn by `date_input.html` in place of the other controls).
    pub(crate) date: Option<crate::date_input::DateInput>,
}

impl FieldView {
    /// Whether radio `choice` is the one chosen.
    pub(crate) fn chosen(&self, choice: &str) -> bool {
        self.value == choice
    }

    /// Whether this is a radio group.
    pub(crate) fn is_radios(&self) -> bool {
        matches!(self.kind, FieldKind::Radios(_))
    }

    /// The choices of a radio group.
    pub(crate) fn choices(&self) -> &[(&'static str, &'static str)] {
        match &self.kind {
            FieldKind::Radios(choices) => choices,
            _ => &[],
        }
    }

    /// The ids of the hint and the error that describe the control, as `aria-describedby`
    /// lists them ("" when there are none).
    pub(crate) fn described_by(&self) -> String {
        let hint = self.hint.map(|_| format!("{}-hint", self.id));
        let error = self.error.as_ref().map(|_| format!("{}-error", self.id));
        [hint, error]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `type` of an `<input>`, or "" for a textarea or radios.
    pub(crate) fn input_type(&self) -> &'static str {
        match self.kind {
            FieldKind::Text => "text",
            // Drawn as three boxes; never an `<input>` of its own.
            FieldKind::Date => "",
            FieldKind::Time => "time",
            FieldKind::Number => "number",
            FieldKind::TextArea | FieldKind::Radios(_) => "",
        }
    }
}

/// A submit button.
#[derive(Debug, Clone)]
pub(crate) struct ButtonView {
    /// Its words.
    pub(crate) label: String,
    /// The name/value it submits, if any.
    pub(crate) submits: Option<(&'static str, &'static str)>,
    /// Shown as a secondary action.
    pub(crate) secondary: bool,
}

/// A form on a page.
#[derive(Debug, Clone)]
pub(crate) struct FormView {
    /// Its id (fields' ids start with it).
    pub(crate) id: String,
    /// Where it posts.
    pub(crate) action: String,
    /// A heading-like legend over its fields, if any.
    pub(crate) legend: Option<String>,
    /// Hidden values.
    pub(crate) hidden: Vec<(&'static str, String)>,
    /// Its fields.
    pub(crate) fields: Vec<FieldView>,
    /// Its buttons.
    pub(crate) buttons: Vec<ButtonView>,
}

/// A refused submission: which form, every error (field ids already prefixed), what was typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refused {
    /// The form's id.
    pub(crate) form: String,
    /// The errors, for the page's summary and the fields.
    pub(crate) errors: Vec<FieldError>,
    /// What was submitted.
    pub(crate) kept: Pairs,
}

impl Refused {
    /// Problems of `form` from a use case, with the submission kept.
    pub(crate) fn new(
        form: &str,
        problems: &[tandem_core::application::FormProblem],
        kept: Pairs,
    ) -> Self {
        Self {
            form: form.to_owned(),
            errors: FieldError::from_problems(problems)
                .into_iter()
                .map(|it| FieldError {
                    field: format!("{form}-{}", it.field),
                    ..it
                })
                .collect(),
            kept,
        }
    }
}

/// Builds the fields of one form, filling in what a refused submission of it kept.
pub(crate) struct Fields<'a> {
    form: String,
    refused: Option<&'a Refused>,
    fields: Vec<FieldView>,
}

impl<'a> Fields<'a> {
    /// Fields of form `form`, given the page's refused submission (if any).
    pub(crate) fn of(form: impl Into<String>, refused: Option<&'a Refused>) -> Self {
        let form = form.into();
        Self {
            refused: refused.filter(|it| it.form == form),
            form,
            fields: Vec::new(),
        }
    }

    /// Adds a field with its default value (used unless a refused submission kept another).
    pub(crate) fn add(
        mut self,
        name: &'static str,
        label: impl Into<String>,
        hint: Option<&'static str>,
        kind: FieldKind,
        default: impl Into<String>,
    ) -> Self {
        let id = format!("{}-{name}", self.form);
        let (value_shown, error) = match self.refused {
            Some(refused) => (
                value(&refused.kept, name).to_owned(),
                refused
                    .errors
                    .iter()
                    .find(|it| it.field == id)
                    .map(|it| it.message.clone()),
            ),
            None => (default.into(), None),
        };
        let label = label.into();
        let date = matches!(kind, FieldKind::Date).then(|| {
            let boxes = crate::date_input::DateInput::new(id.clone(), name, label.clone());
            let boxes = match self.refused {
                Some(refused) => boxes.kept(&refused.kept),
                None => boxes.holding(&value_shown),
            };
            let boxes = match hint {
                Some(more) => boxes.hint_also(more),
                None => boxes,
            };
            boxes.with_error(error.clone())
        });
        self.fields.push(FieldView {
            id,
            name,
            label,
            hint,
            value: value_shown,
            error,
            kind,
            date,
        });
        self
    }

    /// The fields.
    pub(crate) fn done(self) -> Vec<FieldView> {
        self.fields
    }
}

/// A primary button.
pub(crate) fn button(label: impl Into<String>) -> ButtonView {
    ButtonView {
        label: label.into(),
        submits: None,
        secondary: false,
    }
}

/// A secondary button.
pub(crate) fn secondary(label: impl Into<String>) -> ButtonView {
    ButtonView {
        label: label.into(),
        submits: None,
        secondary: true,
    }
}
