//! A synthetic but realistic workforce, for the demo and the import benchmark.
//!
//! One organisation's people in a proper line-management tree: a chief officer team, divisions
//! of officers (chief superintendent down to constables), police staff departments by grade,
//! special constables, volunteers and community members; probationers are the recently
//! joined, a few people are under performance management, have left or retired, and most
//! have answered some diversity questions. The same seed always gives the same people.

use rand::rngs::ChaCha8Rng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;
use tandem_core::domain::{
    Declaration, Email, EmploymentStatus, FreeText, OrgCode, PersonName, RankOrGrade, RoleType,
    StaffNumber,
};
use tandem_core::{DiversityData, PersonRecord};
use time::{Date, Duration};

/// What to generate.
#[derive(Debug, Clone)]
pub struct WorkforceSpec {
    /// The organisation.
    pub organisation: OrgCode,
    /// How many people.
    pub people: usize,
    /// Email domain, e.g. `cleveland.police.uk`.
    pub email_domain: String,
    /// Staff numbers start at this number.
    pub first_staff_number: u32,
    /// Names of divisions (more are made up as `Division N` if the size needs them).
    pub divisions: Vec<String>,
    /// Stations and sites people work at.
    pub locations: Vec<String>,
    /// A national body: a small seconded-officer team, mostly staff.
    pub national_body: bool,
    /// Start dates and probation are worked out back from this day.
    pub today: Date,
}

/// A staff role the demo gives to someone the generator placed for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DesignatedRole {
    /// Head of HR: the organisation's administrator.
    Administrator,
    /// A manager in organisational development: the programme coordinator.
    Coordinator,
    /// An inspector in a division: that division's mentoring champion.
    Champion,
}

/// The generated people and who the demo should give staff roles to.
#[derive(Debug, Clone)]
pub struct Workforce {
    /// Everyone, managers before their reports.
    pub people: Vec<PersonRecord>,
    /// Staff number, role and (for champions) the division.
    pub designated: Vec<(StaffNumber, DesignatedRole, String)>,
}

const FIRST_NAMES_FEMALE: [&str; 40] = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Emily",
    "Sophie",
    "Grace",
    "Mia",
    "Poppy",
    "Ella",
    "Lucy",
    "Freya",
    "Chloe",
    "Aisha",
    "Priya",
    "Zara",
    "Fatima",
    "Niamh",
    "Siobhan",
    "Eilidh",
    "Morag",
    "Catriona",
    "Hannah",
    "Rebecca",
    "Laura",
    "Sarah",
    "Claire",
    "Joanne",
    "Karen",
    "Nicola",
    "Gemma",
    "Leah",
    "Megan",
    "Jasmine",
    "Amira",
    "Chantelle",
    "Keeley",
    "Rachel",
    "Helen",
    "Yasmin",
];
const FIRST_NAMES_MALE: [&str; 40] = [
    "Oliver", "Jack", "Harry", "George", "Noah", "Charlie", "Jacob", "Thomas", "Oscar", "William",
    "James", "Callum", "Euan", "Fraser", "Angus", "Hamish", "Mohammed", "Imran", "Ravi", "Arjun",
    "Kwame", "Tunde", "Daniel", "Michael", "David", "Paul", "Mark", "Steven", "Gary", "Craig",
    "Lewis", "Ryan", "Liam", "Connor", "Kieran", "Adam", "Ben", "Sam", "Joseph", "Ahmed",
];
const LAST_NAMES: [&str; 60] = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robertson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Ahmed",
    "Hussain",
    "Ali",
    "Singh",
    "Kaur",
    "Begum",
    "Okafor",
    "Mensah",
    "Campbell",
    "Stewart",
    "MacDonald",
    "Murray",
    "Reid",
    "Scott",
    "Paterson",
    "Fraser",
    "MacLeod",
    "Ross",
    "Young",
    "Mitchell",
    "Morrison",
    "Watson",
    "Anderson",
    "O'Neill",
    "Kelly",
    "Doyle",
    "Murphy",
    "Nowak",
    "Kowalski",
    "Da Silva",
    "Chen",
    "Wong",
    "Nguyen",
    "Hughes",
    "Lewis",
    "Harrison",
    "Coleman",
    "Barker",
];
const STAFF_DEPARTMENTS: [&str; 10] = [
    "Human Resources",
    "Organisational Development",
    "Contact Centre",
    "Criminal Justice",
    "Finance",
    "ICT",
    "Estates",
    "Forensic Services",
    "Corporate Communications",
    "Professional Standards",
];
const ETHNICITIES: [(&str, u32); 8] = [
    ("White British", 78),
    ("White Scottish", 6),
    ("White Other", 4),
    ("Asian or Asian British", 5),
    ("Black or Black British", 2),
    ("Mixed or multiple ethnic groups", 2),
    ("Other ethnic group", 1),
    ("prefer_not_to_say", 2),
];

struct Draft {
    rank: &'static str,
    role_type: RoleType,
    manager: Option<usize>,
    department: String,
    years: (u32, u32),
    leaf: bool,
}

struct Builder {
    drafts: Vec<Draft>,
}

impl Builder {
    fn push(
        &mut self,
        rank: &'static str,
        role_type: RoleType,
        manager: Option<usize>,
        department: &str,
        years: (u32, u32),
    ) -> usize {
        if let Some(manager) = manager {
            self.drafts[manager].leaf = false;
        }
        self.drafts.push(Draft {
            rank,
            role_type,
            manager,
            department: department.to_owned(),
            years,
            leaf: true,
        });
        self.drafts.len() - 1
    }
}

/// Generates the workforce described by `spec`; the same `seed` gives the same people.
pub fn generate(spec: &WorkforceSpec, seed: u64) -> Workforce {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let total = spec.people.max(12);
    let (officers, specials, volunteers, external) = if spec.national_body {
        (total / 10, 0, 0, total / 50)
    } else {
        (
            total * 60 / 100,
            total * 4 / 100,
            total * 2 / 100,
            total * 2 / 100,
        )
    };
    let staff = total - officers - specials - volunteers - external;

    let mut builder = Builder {
        drafts: Vec::with_capacity(total),
    };
    let mut designated_drafts: Vec<(usize, DesignatedRole, String)> = Vec::new();
    let top = if spec.national_body {
        builder.push(
            "Chief Executive",
            RoleType::Staff,
            None,
            "Executive",
            (20, 32),
        )
    } else {
        builder.push(
            "Chief Constable",
            RoleType::Officer,
            None,
            "Chief Officer Team",
            (24, 34),
        )
    };

    // Officers: a chief officer team, then divisions from chief superintendent down.
    let mut sergeants: Vec<usize> = Vec::new();
    let mut accs = vec![top];
    let mut deputy = top;
    if spec.national_body {
        let supt = builder.push(
            "Superintendent",
            RoleType::Officer,
            Some(top),
            "Leadership Development",
            (15, 28),
        );
        for _ in 1..officers.max(2) {
            builder.push(
                ["Chief Inspector", "Inspector", "Sergeant"]
                    .choose(&mut rng)
                    .unwrap_or(&"Inspector"),
                RoleType::Officer,
                Some(supt),
                "Leadership Development",
                (8, 24),
            );
        }
    } else {
        let dcc = builder.push(
            "Deputy Chief Constable",
            RoleType::Officer,
            Some(top),
            "Chief Officer Team",
            (22, 32),
        );
        deputy = dcc;
        let n_acc = (officers / 5_000).clamp(2, 6);
        accs = (0..n_acc)
            .map(|_| {
                builder.push(
                    "Assistant Chief Constable",
                    RoleType::Officer,
                    Some(dcc),
                    "Chief Officer Team",
                    (20, 32),
                )
            })
            .collect();
        let n_divisions = ((officers.saturating_sub(2 + n_acc)) / 120).max(1);
        for division_idx in 0..n_divisions {
            let division = spec
                .divisions
                .get(division_idx)
                .cloned()
                .unwrap_or_else(|| format!("Division {}", division_idx + 1));
            let csupt = builder.push(
                "Chief Superintendent",
                RoleType::Officer,
                Some(accs[division_idx % n_acc]),
                &division,
                (18, 30),
            );
            let supt = builder.push(
                "Superintendent",
                RoleType::Officer,
                Some(csupt),
                &division,
                (15, 28),
            );
            for _ in 0..2 {
                let ci = builder.push(
                    "Chief Inspector",
                    RoleType::Officer,
                    Some(supt),
                    &division,
                    (12, 26),
                );
                for inspector_idx in 0..2 {
                    let inspector =
                        builder.push("Inspector", RoleType::Officer, Some(ci), &division, (8, 24));
                    if inspector_idx == 0
                        && designated_drafts.iter().all(|(_, _, it)| *it != division)
                    {
                        designated_drafts.push((
                            inspector,
                            DesignatedRole::Champion,
                            division.clone(),
                        ));
                    }
                    for _ in 0..3 {
                        sergeants.push(builder.push(
                            "Sergeant",
                            RoleType::Officer,
                            Some(inspector),
                            &division,
                            (5, 20),
                        ));
                    }
                }
            }
        }
        let constables = officers.saturating_sub(builder.drafts.len());
        for idx in 0..constables {
            let sergeant = sergeants[idx % sergeants.len()];
            let division = builder.drafts[sergeant].department.clone();
            let rank = if rng.random_bool(0.15) {
                "Detective Constable"
            } else {
                "Constable"
            };
            builder.push(rank, RoleType::Officer, Some(sergeant), &division, (0, 20));
        }
    }

    // Police staff: departments under a director, by grade.
    let director_rank = if spec.national_body {
        "Director"
    } else {
        "Assistant Chief Officer"
    };
    let director = builder.push(
        director_rank,
        RoleType::Staff,
        Some(deputy),
        "Corporate Services",
        (15, 30),
    );
    let n_departments = (staff / 40).clamp(1, 60);
    let mut supervisors = Vec::new();
    let mut staff_count = 1;
    for department_idx in 0..n_departments {
        let department = STAFF_DEPARTMENTS.get(department_idx).map_or_else(
            || format!("Business Unit {}", department_idx + 1),
            |name| (*name).to_owned(),
        );
        let department = if spec.national_body && department == "Organisational Development" {
            "Leadership and Talent".to_owned()
        } else {
            department
        };
        let head = builder.push(
            "Grade 10",
            RoleType::Staff,
            Some(director),
            &department,
            (10, 30),
        );
        staff_count += 1;
        if department == "Human Resources" {
            designated_drafts.push((head, DesignatedRole::Administrator, department.clone()));
        }
        for manager_idx in 0..2 {
            let manager =
                builder.push("Grade 8", RoleType::Staff, Some(head), &department, (6, 25));
            staff_count += 1;
            if manager_idx == 0
                && (department == "Organisational Development"
                    || department == "Leadership and Talent")
            {
                designated_drafts.push((manager, DesignatedRole::Coordinator, department.clone()));
            }
            for _ in 0..2 {
                supervisors.push(builder.push(
                    "Grade 6",
                    RoleType::Staff,
                    Some(manager),
                    &department,
                    (3, 20),
                ));
                staff_count += 1;
            }
        }
    }
    for idx in 0..staff.saturating_sub(staff_count) {
        let supervisor = supervisors[idx % supervisors.len()];
        let department = builder.drafts[supervisor].department.clone();
        let grade = *["Grade 2", "Grade 3", "Grade 4", "Grade 5"]
            .choose(&mut rng)
            .unwrap_or(&"Grade 3");
        builder.push(
            grade,
            RoleType::Staff,
            Some(supervisor),
            &department,
            (0, 25),
        );
    }

    // The special constabulary, volunteers and community members.
    if specials > 0 {
        let before = builder.drafts.len();
        let chief = builder.push(
            "Special Chief Officer",
            RoleType::Special,
            Some(accs[0]),
            "Special Constabulary",
            (5, 20),
        );
        let mut special_sergeants = Vec::new();
        for _ in 0..(specials / 20).max(1) {
            let inspector = builder.push(
                "Special Inspector",
                RoleType::Special,
                Some(chief),
                "Special Constabulary",
                (3, 15),
            );
            for _ in 0..3 {
                special_sergeants.push(builder.push(
                    "Special Sergeant",
                    RoleType::Special,
                    Some(inspector),
                    "Special Constabulary",
                    (2, 12),
                ));
            }
        }
        let supervisors = builder.drafts.len() - before;
        for idx in 0..specials.saturating_sub(supervisors) {
            builder.push(
                "Special Constable",
                RoleType::Special,
                Some(special_sergeants[idx % special_sergeants.len()]),
                "Special Constabulary",
                (0, 10),
            );
        }
    }
    for idx in 0..volunteers {
        let supervisor = supervisors[idx % supervisors.len()];
        builder.push(
            "Police Support Volunteer",
            RoleType::Volunteer,
            Some(supervisor),
            "Volunteers",
            (0, 10),
        );
    }
    for _ in 0..external {
        builder.push(
            "Community Member",
            RoleType::External,
            None,
            "Community",
            (0, 3),
        );
    }

    let people = finish(spec, &builder.drafts, &mut rng);
    let designated = designated_drafts
        .into_iter()
        .map(|(idx, role, division)| (people[idx].staff_number.clone(), role, division))
        .collect();
    Workforce { people, designated }
}

fn finish(spec: &WorkforceSpec, drafts: &[Draft], rng: &mut ChaCha8Rng) -> Vec<PersonRecord> {
    let mut emails = HashSet::with_capacity(drafts.len());
    let mut people: Vec<PersonRecord> = Vec::with_capacity(drafts.len());
    for (idx, draft) in drafts.iter().enumerate() {
        let female = rng.random_bool(0.4);
        let first = *if female {
            FIRST_NAMES_FEMALE.choose(rng)
        } else {
            FIRST_NAMES_MALE.choose(rng)
        }
        .unwrap_or(&"Alex");
        let last = *LAST_NAMES.choose(rng).unwrap_or(&"Smith");
        let local = format!("{}.{}", first, last.replace([' ', '\''], "")).to_lowercase();
        let mut address = format!("{local}@{}", spec.email_domain);
        let mut suffix = 2;
        while !emails.insert(address.clone()) {
            address = format!("{local}{suffix}@{}", spec.email_domain);
            suffix += 1;
        }
        let years = rng.random_range(draft.years.0..=draft.years.1);
        let days = i64::from(years) * 365 + rng.random_range(0..365);
        let start_date = spec.today - Duration::days(days);
        let new_constable = draft.role_type == RoleType::Officer
            && draft.rank.ends_with("Constable")
            && days < 2 * 365;
        let new_staff = draft.role_type == RoleType::Staff && days < 180;
        let employment_status = if !draft.leaf {
            EmploymentStatus::Serving
        } else {
            match rng.random_range(0..1000) {
                0..=19 => EmploymentStatus::Leaver,
                20..=29 if years > 20 => EmploymentStatus::Retired,
                30..=39 => EmploymentStatus::CareerBreak,
                40..=42 => EmploymentStatus::Suspended,
                _ => EmploymentStatus::Serving,
            }
        };
        let location = spec
            .locations
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| "Headquarters".to_owned());
        let record = PersonRecord {
            organisation: spec.organisation.clone(),
            staff_number: parse(StaffNumber::parse(
                &(u64::from(spec.first_staff_number) + idx as u64).to_string(),
            )),
            first_name: parse(PersonName::parse(first)),
            last_name: parse(PersonName::parse(last)),
            email: parse(Email::parse(&address)),
            department: parse(FreeText::parse_optional(&draft.department)),
            location: parse(FreeText::parse_optional(&location)),
            rank_or_grade: parse(RankOrGrade::parse(draft.rank)),
            role_type: draft.role_type,
            line_manager: draft
                .manager
                .map(|manager| people[manager].staff_number.clone()),
            start_date,
            on_probation: new_constable || new_staff,
            under_performance_management: draft.leaf && rng.random_bool(0.015),
            employment_status,
            diversity: diversity(female, years, rng),
        };
        people.push(record);
    }
    people
}

/// The generator only feeds its own well-formed values to the parsers.
fn parse<T>(result: Result<T, tandem_core::domain::ParseError>) -> T {
    result.unwrap_or_else(|err| {
        panic!("the workforce generator made a value the domain refuses: {err}")
    })
}

fn diversity(female: bool, years: u32, rng: &mut ChaCha8Rng) -> DiversityData {
    fn answer(rng: &mut ChaCha8Rng, value: &str) -> Option<Declaration> {
        if rng.random_bool(0.2) {
            None
        } else if rng.random_bool(0.03) {
            Some(Declaration::PreferNotToSay)
        } else {
            Declaration::parse_optional(value).ok().flatten()
        }
    }
    let disabled = if rng.random_bool(0.1) { "Yes" } else { "No" };
    let orientation = if rng.random_bool(0.05) {
        "Gay or lesbian"
    } else {
        "Heterosexual"
    };
    let religion = [
        "No religion",
        "Christian",
        "Muslim",
        "Hindu",
        "Sikh",
        "Jewish",
        "Buddhist",
    ][rng.random_range(0..7)];
    let carer = if rng.random_bool(0.3) { "Yes" } else { "No" };
    let ethnicity = {
        let roll = rng.random_range(0..100);
        let mut acc = 0;
        ETHNICITIES
            .iter()
            .find(|(_, weight)| {
                acc += weight;
                roll < acc
            })
            .map_or("White British", |(name, _)| *name)
    };
    let age = 19 + years + rng.random_range(0..8);
    let age_band = match age {
        0..=24 => "16-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        _ => "55+",
    };
    DiversityData {
        sex: answer(rng, if female { "Female" } else { "Male" }),
        gender_identity: answer(rng, if female { "Woman" } else { "Man" }),
        ethnicity: answer(rng, ethnicity),
        disability: answer(rng, disabled),
        sexual_orientation: answer(rng, orientation),
        religion: answer(rng, religion),
        age_band: answer(rng, age_band),
        caring_responsibilities: answer(rng, carer),
    }
}
