//! A person's HR record: the fields the directory import owns (REQUIREMENTS R1.2).

use crate::domain::{
    Declaration, Email, EmploymentStatus, FreeText, OrgCode, PersonName, RankOrGrade, RoleType,
    StaffNumber,
};
use time::Date;

/// Everything the HR directory says about one person, parsed and valid.
///
/// The line manager is named by staff number in the same organisation, as the HR file does;
/// the store resolves it to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    /// The person's organisation.
    pub organisation: OrgCode,
    /// Their key within the organisation.
    pub staff_number: StaffNumber,
    /// First name.
    pub first_name: PersonName,
    /// Last name.
    pub last_name: PersonName,
    /// Work email, unique across the installation.
    pub email: Email,
    /// Division, department or command.
    pub department: Option<FreeText>,
    /// Site or station.
    pub location: Option<FreeText>,
    /// Rank or grade; the organisation maps it to a rank band.
    pub rank_or_grade: RankOrGrade,
    /// Kind of worker.
    pub role_type: RoleType,
    /// Staff number of their line manager, if any.
    pub line_manager: Option<StaffNumber>,
    /// Start of service.
    pub start_date: Date,
    /// Probationary constable or staff on probation.
    pub on_probation: bool,
    /// Under a formal performance or attendance process.
    pub under_performance_management: bool,
    /// Serving, leaver, retired, career break or suspended.
    pub employment_status: EmploymentStatus,
    /// Self-declared diversity data; every answer optional.
    pub diversity: DiversityData,
}

impl PersonRecord {
    /// "First Last", for lists and messages.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The names of the fields that differ, for the audit log. Diversity answers are reported
    /// as one field, `diversity`, so the log never repeats special-category data.
    pub fn changed_fields(&self, other: &Self) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut note = |differs: bool, name: &'static str| {
            if differs {
                changed.push(name);
            }
        };
        note(self.organisation != other.organisation, "organisation");
        note(self.staff_number != other.staff_number, "staff_number");
        note(self.first_name != other.first_name, "first_name");
        note(self.last_name != other.last_name, "last_name");
        note(self.email != other.email, "email");
        note(self.department != other.department, "department");
        note(self.location != other.location, "location");
        note(self.rank_or_grade != other.rank_or_grade, "rank_or_grade");
        note(self.role_type != other.role_type, "role_type");
        note(
            self.line_manager != other.line_manager,
            "line_manager_staff_number",
        );
        note(self.start_date != other.start_date, "start_date");
        note(self.on_probation != other.on_probation, "on_probation");
        note(
            self.under_performance_management != other.under_performance_management,
            "under_performance_management",
        );
        note(
            self.employment_status != other.employment_status,
            "employment_status",
        );
        note(self.diversity != other.diversity, "diversity");
        changed
    }
}

/// Self-declared protected characteristics and caring responsibilities (R1.2). Only aggregated,
/// suppressed counts ever leave the store (R10.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiversityData {
    /// Sex.
    pub sex: Option<Declaration>,
    /// Gender identity.
    pub gender_identity: Option<Declaration>,
    /// Ethnicity.
    pub ethnicity: Option<Declaration>,
    /// Disability.
    pub disability: Option<Declaration>,
    /// Sexual orientation.
    pub sexual_orientation: Option<Declaration>,
    /// Religion or belief.
    pub religion: Option<Declaration>,
    /// Age band.
    pub age_band: Option<Declaration>,
    /// Caring responsibilities.
    pub caring_responsibilities: Option<Declaration>,
}

impl DiversityData {
    /// The file column names, in file order.
    pub const COLUMNS: [&'static str; 8] = [
        "sex",
        "gender_identity",
        "ethnicity",
        "disability",
        "sexual_orientation",
        "religion",
        "age_band",
        "caring_responsibilities",
    ];

    /// The answers in [`DiversityData::COLUMNS`] order.
    pub fn answers(&self) -> [&Option<Declaration>; 8] {
        [
            &self.sex,
            &self.gender_identity,
            &self.ethnicity,
            &self.disability,
            &self.sexual_orientation,
            &self.religion,
            &self.age_band,
            &self.caring_responsibilities,
        ]
    }

    /// Mutable answers in [`DiversityData::COLUMNS`] order.
    pub fn answers_mut(&mut self) -> [&mut Option<Declaration>; 8] {
        [
            &mut self.sex,
            &mut self.gender_identity,
            &mut self.ethnicity,
            &mut self.disability,
            &mut self.sexual_orientation,
            &mut self.religion,
            &mut self.age_band,
            &mut self.caring_responsibilities,
        ]
    }

    /// Whether the person answered (or declined) any question.
    pub fn is_empty(&self) -> bool {
        self.answers().iter().all(|answer| answer.is_none())
    }
}
