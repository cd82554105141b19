//! The browser suite: journeys through the real `tandem` binary in headless chromium, each page
//! checked with axe-core (see docs/testing.md).

mod administration;
mod care_journeys;
mod catalogue;
mod errors;
mod every_page;
mod gate;
mod helpers;
mod keyboard;
mod matching_journeys;
mod records_journeys;
mod reflow;
mod relationship_journeys;
mod reminder_journeys;
mod report_journeys;
mod without_javascript;
